import { type Static, Type } from 'typebox';
import { ProblemSchema } from '../../common/problem.js';
import { Nullable, StrictObject, Text } from '../../common/schema-kit.js';
import type { PbxCommand, PbxEvent } from '../../modules/contacts/pbx.js';

/**
 * What the generic PBX adapter's webhooks carry, both ways (docs/integrations/telephony.md). The
 * wire names are the PBX's words (`type`, `timestamp`, `to`); `toPbxEvent` turns them into the
 * contacts module's `PbxEvent`.
 */

/** Ids the PBX makes up: printable ASCII without spaces, as Asterisk's uniqueid or a UUID. */
const PbxId = Text(200, { minLength: 1, pattern: '^[\\x21-\\x7E]+$' });

/** RFC 3339 with its offset: a time without a zone would be read in whatever zone the receiver runs in. */
const Rfc3339 = Type.String({
  format: 'date-time',
  maxLength: 40,
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})$',
});

/** A number dialled or a menu choice: what the lines' `dialled` lists hold (settings). */
const Dialled = Text(40, { minLength: 1, pattern: '^[0-9A-Za-z+*#(). -]+$' });
/** As an agent's profile holds it (AgentProfile.extension). */
const Extension = Text(40, { minLength: 1, pattern: '^[A-Za-z0-9*#+/@._-]+$' });

export const pbxEventTypes = ['offered', 'answered', 'unanswered', 'ended', 'dtmf', 'recording'] as const;
export type PbxEventType = (typeof pbxEventTypes)[number];

export const WireEvent = StrictObject({
  /** The PBX's own id of this event; a repeat carries the same id. */
  id: PbxId,
  type: Type.Union([
    Type.Literal('offered'),
    Type.Literal('answered'),
    Type.Literal('unanswered'),
    Type.Literal('ended'),
    Type.Literal('dtmf'),
    Type.Literal('recording'),
  ]),
  /** The PBX's id of the call, the same in every event about it. */
  callId: PbxId,
  /** When it happened at the PBX; events are applied in this order, not in the order they arrive. */
  timestamp: Rfc3339,
  /** offered: the caller ID; null or absent when withheld. */
  from: Type.Optional(Nullable(Text(64, { minLength: 1 }))),
  /** offered: the number dialled. */
  to: Type.Optional(Nullable(Dialled)),
  /** offered: the IVR menu choice; when given it picks the line rather than `to`. */
  menuChoice: Type.Optional(Nullable(Dialled)),
  /** offered (card-pop mode), answered and unanswered: the extension ringing, answering, or that did not answer. */
  agentExtension: Type.Optional(Nullable(Extension)),
  /** dtmf: the keys the caller pressed. */
  digits: Type.Optional(Text(32, { minLength: 1, pattern: '^[0-9*#A-Da-d]+$' })),
  /** recording: where the recording can be fetched. */
  recordingUrl: Type.Optional(Type.String({ format: 'uri', maxLength: 1000, pattern: '^https?://' })),
});
export type WireEvent = Static<typeof WireEvent>;

export const maxEventsPerRequest = 500;

/** Always a list, one event or many: one shape for the PBX to write and for the answer to mirror. */
export const WireEventBatch = StrictObject({
  events: Type.Array(WireEvent, { minItems: 1, maxItems: maxEventsPerRequest }),
});
export type WireEventBatch = Static<typeof WireEventBatch>;

const optionalFields = ['from', 'to', 'menuChoice', 'agentExtension', 'digits', 'recordingUrl'] as const;
type OptionalField = (typeof optionalFields)[number];

/** Which of the optional fields each type of event may carry, and which it must. */
const fieldsOf: Record<PbxEventType, { may: OptionalField[]; must: OptionalField[] }> = {
  offered: { may: ['from', 'to', 'menuChoice', 'agentExtension'], must: [] },
  answered: { may: ['agentExtension'], must: [] },
  unanswered: { may: ['agentExtension'], must: ['agentExtension'] },
  ended: { may: [], must: [] },
  dtmf: { may: ['digits'], must: ['digits'] },
  recording: { may: ['recordingUrl'], must: ['recordingUrl'] },
};

export interface FieldIssue {
  path: string;
  message: string;
}

/**
 * What the schema cannot say about one event: the fields its type needs and only those, and a
 * timestamp not ahead of the receiver's clock by more than `futureToleranceSeconds` (an event
 * dated tomorrow would make every real event after it look older, and be ignored).
 */
export function eventIssues(event: WireEvent, path: string, now: Date, futureToleranceSeconds: number): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const { may, must } = fieldsOf[event.type];
  for (const field of optionalFields) {
    const present = event[field] !== undefined;
    if (present && !may.includes(field)) {
      issues.push({ path: `${path}/${field}`, message: `not a field of '${event.type}' events` });
    }
    if (!present && must.includes(field)) {
      issues.push({ path: `${path}/${field}`, message: `required in '${event.type}' events` });
    }
  }
  const at = Date.parse(event.timestamp);
  if (Number.isNaN(at)) issues.push({ path: `${path}/timestamp`, message: 'not a moment in time' });
  else if (at - now.getTime() > futureToleranceSeconds * 1000) {
    issues.push({
      path: `${path}/timestamp`,
      message: `more than ${futureToleranceSeconds} s ahead of Linedesk's clock`,
    });
  }
  return issues;
}

/** The contacts module's event from a checked wire event. */
export function toPbxEvent(event: WireEvent): PbxEvent {
  const common = { eventId: event.id, callId: event.callId, at: new Date(event.timestamp) };
  switch (event.type) {
    case 'offered':
      return {
        kind: 'offered',
        ...common,
        from: event.from ?? null,
        dialled: event.menuChoice ?? event.to ?? null,
        agentExtension: event.agentExtension ?? null,
      };
    case 'answered':
      return { kind: 'answered', ...common, agentExtension: event.agentExtension ?? null };
    case 'unanswered':
      return { kind: 'unanswered', ...common, agentExtension: event.agentExtension as string };
    case 'ended':
      return { kind: 'ended', ...common };
    case 'dtmf':
      return { kind: 'dtmf', ...common, digits: event.digits as string };
    case 'recording':
      return { kind: 'recording', ...common, url: event.recordingUrl as string };
  }
}

/** What applying an event did (contacts' PbxEventResult). */
export const EventResult = Type.Object({
  contactId: Type.Integer(),
  status: Type.Union([
    Type.Literal('waiting'),
    Type.Literal('offered'),
    Type.Literal('connected'),
    Type.Literal('after_work'),
    Type.Literal('ended'),
  ]),
  applied: Type.String(),
});

/** One event's outcome, in the order the events were sent. */
export const EventOutcome = Type.Object({
  id: Type.String(),
  /** 200: applied, or a repeat (`repeated`) answered with the first time's result; 404: refused. */
  status: Type.Integer(),
  result: Type.Optional(EventResult),
  repeated: Type.Optional(Type.Boolean()),
  problem: Type.Optional(ProblemSchema),
});
export type EventOutcome = Static<typeof EventOutcome>;

export const EventsAccepted = Type.Object({ results: Type.Array(EventOutcome) });

/** A batch in which some event was refused: the problem, with every event's outcome beside it. */
export const EventsRefused = Type.Object({
  ...ProblemSchema.properties,
  results: Type.Optional(Type.Array(EventOutcome)),
});

const WireAnnouncement = Type.Union([
  StrictObject({ kind: Type.Literal('position'), position: Type.Integer(), minutes: Nullable(Type.Integer()) }),
  StrictObject({ kind: Type.Literal('outside-hours'), opensAt: Nullable(Type.String()) }),
  StrictObject({ kind: Type.Literal('callback-offer'), digit: Type.String() }),
  StrictObject({ kind: Type.Literal('callback-confirmed') }),
]);

const CommandId = Type.String({ format: 'uuid' });

/** Commands Linedesk POSTs to the PBX's command URL, one per request. */
export const WireCommand = Type.Union([
  StrictObject({
    id: CommandId,
    command: Type.Literal('connect'),
    callId: Type.String(),
    contactId: Type.Integer(),
    extension: Type.String(),
  }),
  StrictObject({
    id: CommandId,
    command: Type.Literal('announce'),
    callId: Type.String(),
    contactId: Type.Integer(),
    announcement: WireAnnouncement,
  }),
  StrictObject({
    id: CommandId,
    command: Type.Literal('transfer'),
    callId: Type.String(),
    contactId: Type.Integer(),
    /** A line's id (targetType line: back to hold music until that line's agent is connected) or an extension. */
    target: Type.String(),
    targetType: Type.Union([Type.Literal('line'), Type.Literal('extension')]),
  }),
  StrictObject({
    id: CommandId,
    command: Type.Literal('originate'),
    contactId: Type.Integer(),
    extension: Type.String(),
    number: Type.String(),
  }),
  StrictObject({ id: CommandId, command: Type.Literal('hangUp'), callId: Type.String(), contactId: Type.Integer() }),
  StrictObject({
    id: CommandId,
    command: Type.Literal('supervise'),
    callId: Type.String(),
    contactId: Type.Integer(),
    /** The supervisor's extension, rung first. */
    extension: Type.String(),
    mode: Type.Union([
      Type.Literal('listen'),
      Type.Literal('whisper'),
      Type.Literal('barge'),
      Type.Literal('takeover'),
    ]),
  }),
]);
export type WireCommand = Static<typeof WireCommand>;

/** The command as sent: the contacts module's command with an id of its own sending. */
export function toWireCommand(id: string, command: PbxCommand): WireCommand {
  return { id, ...command } as WireCommand;
}
