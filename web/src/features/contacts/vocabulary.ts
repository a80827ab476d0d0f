import type { AgentStateName, ContactOutcome, ContactReason } from '@common/api/contacts.ts';

// Only types come from the server's schemas (their values would pull TypeBox into the bundle);
// `satisfies Record<…>` makes a name added on the server fail this build until it is listed here.

/** The agent states in the order the board counts them: ready to work first, away last. */
const stateOrder = {
  available: 1,
  offered: 2,
  on_contact: 3,
  after_contact_work: 4,
  missed: 5,
  break: 6,
  offline: 7,
} satisfies Record<AgentStateName, number>;
export const agentStates = (Object.keys(stateOrder) as AgentStateName[]).sort((a, b) => stateOrder[a] - stateOrder[b]);

/** Badge colours: green free, yellow ringing, blue talking, violet writing up, red missed, grey away. */
export const stateColors = {
  available: 'teal',
  offered: 'yellow',
  on_contact: 'blue',
  after_contact_work: 'grape',
  missed: 'red',
  break: 'orange',
  offline: 'gray',
} satisfies Record<AgentStateName, string>;

const reasons = {
  no_internet: true,
  slow_speed: true,
  billing: true,
  tariff: true,
  connection_request: true,
  equipment: true,
  other: true,
} satisfies Record<ContactReason, true>;
export const contactReasons = Object.keys(reasons) as ContactReason[];
export const isContactReason = (value: unknown): value is ContactReason =>
  typeof value === 'string' && Object.hasOwn(reasons, value);

// "abandoned" is what the server records when the caller hangs up waiting; an agent never picks it.
const outcomes = {
  resolved: true,
  callback: true,
  request_created: true,
  visit_needed: true,
  claim: true,
  escalated: true,
  abandoned: false,
} satisfies Record<ContactOutcome, boolean>;
export const agentOutcomes = (Object.keys(outcomes) as ContactOutcome[]).filter((outcome) => outcomes[outcome]);
export const isContactOutcome = (value: unknown): value is ContactOutcome =>
  typeof value === 'string' && Object.hasOwn(outcomes, value);

/** The reasons an agent gives for a break (SetAgentState.breakReason takes any short text). */
export const breakReasons = ['lunch', 'training', 'meeting', 'technical', 'other'] as const;
export type BreakReason = (typeof breakReasons)[number];
export const isBreakReason = (value: string | null): value is BreakReason =>
  breakReasons.includes(value as BreakReason);
