import { type Static, Type } from 'typebox';
import { Nullable, StrictObject, Text } from '../schema-kit.js';
import { RoleSchema } from './staff.js';

/** The agent's states (docs/metrics.md counts occupancy from their changes). */
export const agentStateNames = [
  'offline',
  'available',
  'offered',
  'on_contact',
  'after_contact_work',
  'break',
  'missed',
] as const;
export type AgentStateName = (typeof agentStateNames)[number];
export const AgentStateSchema = Type.Enum(agentStateNames);

export const contactReasons = [
  'no_internet',
  'slow_speed',
  'billing',
  'tariff',
  'connection_request',
  'equipment',
  'other',
] as const;
export type ContactReason = (typeof contactReasons)[number];
export const ContactReasonSchema = Type.Enum(contactReasons);

export const contactOutcomes = [
  'resolved',
  'callback',
  'request_created',
  'visit_needed',
  'claim',
  'escalated',
  'abandoned',
] as const;
export type ContactOutcome = (typeof contactOutcomes)[number];
export const ContactOutcomeSchema = Type.Enum(contactOutcomes);

export const contactStatuses = ['waiting', 'offered', 'connected', 'after_work', 'ended'] as const;
export type ContactStatus = (typeof contactStatuses)[number];
export const ContactStatusSchema = Type.Enum(contactStatuses);

export const ChannelSchema = Type.Union([Type.Literal('call'), Type.Literal('chat')]);
export type Channel = Static<typeof ChannelSchema>;

const Moment = Type.String({ format: 'date-time' });

/** What the estimate tells a waiting caller: position (the head is 1) and about how long; null seconds = unknown. */
export const WaitEstimate = Type.Object({
  position: Type.Integer(),
  seconds: Nullable(Type.Number()),
  offerCallback: Type.Boolean(),
});
export type WaitEstimate = Static<typeof WaitEstimate>;

/** One contact as lists, the desk and the card show it. */
export const ContactSummary = Type.Object({
  id: Type.Integer(),
  channel: ChannelSchema,
  /** The caller's number as the PBX reported it (E.164 when it is one); null when withheld. */
  callerNumber: Nullable(Type.String()),
  dialled: Nullable(Type.String()),
  line: Type.String(),
  priority: Type.Integer(),
  status: ContactStatusSchema,
  arrivedAt: Moment,
  offeredAt: Nullable(Moment),
  answeredAt: Nullable(Moment),
  endedAt: Nullable(Moment),
  afterWorkUntil: Nullable(Moment),
  onHold: Type.Boolean(),
  holdSeconds: Type.Integer(),
  reason: Nullable(ContactReasonSchema),
  outcome: Nullable(ContactOutcomeSchema),
  /** The subscriber the caller's number names (exactly one fits), else null. */
  subscriberId: Nullable(Type.Integer()),
  /** How many subscribers the number fits: 0 unknown number, more than 1 ask which. */
  subscribersFitting: Type.Integer(),
  /** The earlier contact of the same subscriber within the repeat window, when this is a repeat. */
  repeatOf: Nullable(Type.Integer()),
  outsideHours: Type.Boolean(),
  callbackOffered: Type.Boolean(),
  callbackChosen: Nullable(Type.Boolean()),
  recordingUrl: Nullable(Type.String()),
  agentId: Nullable(Type.Integer()),
  agentName: Nullable(Type.String()),
  transfers: Type.Integer(),
});
export type ContactSummary = Static<typeof ContactSummary>;

export const ContactEvent = Type.Object({
  id: Type.Integer(),
  at: Moment,
  /** queued, offered, missed, accepted, answered, held, resumed, note, ended, abandoned, recording, dtmf, announced, callback_offered, callback_chosen, after_work_ended, returned_to_queue, outside_hours */
  kind: Type.String(),
  staffId: Nullable(Type.Integer()),
  staffName: Nullable(Type.String()),
  details: Type.Unknown(),
});
export type ContactEvent = Static<typeof ContactEvent>;

export const ContactDetail = Type.Object({
  contact: ContactSummary,
  timeline: Type.Array(ContactEvent),
});
export type ContactDetail = Static<typeof ContactDetail>;

export const LineQueue = Type.Object({
  line: Type.String(),
  name: Type.String(),
  open: Type.Boolean(),
  waiting: Type.Integer(),
  longestWaitSeconds: Nullable(Type.Number()),
  /** The waiting contacts in queue order, with their estimates. */
  contacts: Type.Array(
    Type.Object({
      id: Type.Integer(),
      channel: ChannelSchema,
      callerNumber: Nullable(Type.String()),
      priority: Type.Integer(),
      waitedSeconds: Type.Number(),
      estimate: WaitEstimate,
    }),
  ),
});
export type LineQueue = Static<typeof LineQueue>;

export const AgentSelf = Type.Object({
  staffId: Type.Integer(),
  state: AgentStateSchema,
  since: Moment,
  breakReason: Nullable(Type.String()),
  lines: Type.Array(Type.String()),
  skills: Type.Array(Type.String()),
  extension: Nullable(Type.String()),
});
export type AgentSelf = Static<typeof AgentSelf>;

/** The agent's desk in one answer: refetched on each live wake-up. */
export const Desk = Type.Object({
  agent: AgentSelf,
  /** The contact ringing at this agent, with when the offer lapses. */
  offer: Nullable(Type.Object({ contact: ContactSummary, expiresAt: Moment })),
  /** The contacts the agent is on or writing up. */
  current: Type.Array(ContactSummary),
  queues: Type.Array(LineQueue),
  /** The server's clock, so timers on screen do not depend on the browser's. */
  now: Moment,
});
export type Desk = Static<typeof Desk>;

export const SetAgentState = StrictObject({
  state: Type.Union([Type.Literal('available'), Type.Literal('break'), Type.Literal('offline')]),
  /** Required for a break: lunch, training, meeting, technical… */
  breakReason: Type.Optional(Text(80, { minLength: 1 })),
});
export type SetAgentState = Static<typeof SetAgentState>;

export const HoldRequest = StrictObject({ hold: Type.Boolean() });
export type HoldRequest = Static<typeof HoldRequest>;

export const EndContactRequest = StrictObject({
  reason: ContactReasonSchema,
  outcome: ContactOutcomeSchema,
  note: Type.Optional(Text(2000, { minLength: 1 })),
});
export type EndContactRequest = Static<typeof EndContactRequest>;

export const NoteRequest = StrictObject({ text: Text(2000, { minLength: 1 }) });
export type NoteRequest = Static<typeof NoteRequest>;

export const SubscriberContacts = Type.Object({
  contacts: Type.Array(ContactSummary),
  /** The repeat window used to mark repeats, in hours. */
  repeatWindowHours: Type.Integer(),
});
export type SubscriberContacts = Static<typeof SubscriberContacts>;

const Share = Nullable(Type.Number({ minimum: 0, maximum: 1 }));

export const BoardLine = Type.Object({
  line: Type.String(),
  name: Type.String(),
  open: Type.Boolean(),
  waiting: Type.Integer(),
  longestWaitSeconds: Nullable(Type.Number()),
  /** Today in the ISP's zone (docs/metrics.md). */
  offeredToday: Type.Integer(),
  answeredToday: Type.Integer(),
  abandonedToday: Type.Integer(),
  serviceLevel: Share,
  targetSeconds: Type.Integer(),
  targetPercent: Type.Integer(),
  abandonRate: Share,
  averageSpeedOfAnswerSeconds: Nullable(Type.Number()),
  averageHandleTimeSeconds: Nullable(Type.Number()),
  occupancy: Share,
  agents: Type.Record(Type.String(), Type.Integer()),
  /** Erlang C from the last 30 minutes' arrivals and the line's AHT; null without arrivals. */
  forecast: Nullable(
    Type.Object({
      arrivalsPerHour: Type.Number(),
      trafficErlangs: Type.Number(),
      agentsServing: Type.Integer(),
      probabilityOfWaiting: Share,
      averageSpeedOfAnswerSeconds: Nullable(Type.Number()),
      serviceLevel: Share,
      agentsNeeded: Nullable(Type.Integer()),
    }),
  ),
});
export type BoardLine = Static<typeof BoardLine>;

export const BoardAgent = Type.Object({
  staffId: Type.Integer(),
  name: Type.String(),
  login: Type.String(),
  state: AgentStateSchema,
  since: Moment,
  breakReason: Nullable(Type.String()),
  lines: Type.Array(Type.String()),
  contactId: Nullable(Type.Integer()),
});
export type BoardAgent = Static<typeof BoardAgent>;

export const Board = Type.Object({
  lines: Type.Array(BoardLine),
  agents: Type.Array(BoardAgent),
  now: Moment,
});
export type Board = Static<typeof Board>;

/** An agent's routing profile, as a supervisor or administrator sets it. */
export const AgentProfile = StrictObject({
  lines: Type.Array(Text(20, { pattern: '^[a-z0-9_-]+$' }), { minItems: 1, maxItems: 10, uniqueItems: true }),
  skills: Type.Array(Text(40, { pattern: '^[a-z0-9_-]+$' }), { maxItems: 20, uniqueItems: true }),
  extension: Nullable(Text(40, { pattern: '^[A-Za-z0-9*#+/@._-]+$', minLength: 1 })),
});
export type AgentProfile = Static<typeof AgentProfile>;

/** One agent as GET /api/agents lists them: who, their state now, and their routing profile. */
export const ListedAgent = Type.Object({
  staffId: Type.Integer(),
  login: Type.String(),
  fullName: Type.String(),
  role: RoleSchema,
  state: AgentStateSchema,
  lines: Type.Array(Type.String()),
  skills: Type.Array(Type.String()),
  extension: Nullable(Type.String()),
});
export type ListedAgent = Static<typeof ListedAgent>;
