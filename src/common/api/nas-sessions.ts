import { type Static, Type } from 'typebox';
import { Nullable, StrictObject, Text } from '../schema-kit.js';

/** The card's line state: what the NAS's RADIUS accounting says (docs/integrations/radius.md). */
const Instant = Type.String({ format: 'date-time' });

export const SessionChange = StrictObject({
  at: Instant,
  change: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
});

export const NasSession = StrictObject({
  nas: Type.String(),
  acctSessionId: Type.String(),
  state: Type.Union([Type.Literal('open'), Type.Literal('stale'), Type.Literal('closed')]),
  startSeen: Type.Boolean(),
  startedAt: Instant,
  lastEventAt: Instant,
  endedAt: Nullable(Instant),
  terminateCause: Nullable(Type.String()),
  framedIp: Nullable(Type.String()),
  framedIpv6Prefix: Nullable(Type.String()),
  delegatedIpv6Prefix: Nullable(Type.String()),
  /** Octets the subscriber received (Acct-Output, the NAS's view) and sent (Acct-Input). */
  bytesDown: Type.Integer(),
  bytesUp: Type.Integer(),
  changes: Type.Array(SessionChange),
});
export type NasSession = Static<typeof NasSession>;

/** What Linedesk asks of a NAS: RFC 5176's CoA-Request or Disconnect-Request. */
export const NasRequestKind = Type.Union([Type.Literal('coa'), Type.Literal('disconnect')]);
export type NasRequestKind = Static<typeof NasRequestKind>;

/**
 * The NAS's answer: ACK, NAK (with its Error-Cause, RFC 5176 §3.6, in words), or nothing after the
 * retries (the NAS unreachable, a wrong secret: a NAS drops what it cannot verify).
 */
export const NasAnswer = StrictObject({
  request: NasRequestKind,
  nas: Type.String(),
  acctSessionId: Type.String(),
  answer: Type.Union([Type.Literal('ack'), Type.Literal('nak'), Type.Literal('no-answer')]),
  errorCause: Nullable(Type.Integer()),
  /** "Session Context Not Found" and the like; null with an ACK. */
  errorCauseWords: Nullable(Type.String()),
  answeredAt: Instant,
});
export type NasAnswer = Static<typeof NasAnswer>;

/**
 * An account's change (state or tariff) on its way to the network. `waiting` until the NAS
 * answers; `applied` on an ACK (or when no session was online: the next login gets the new
 * state from the authorize endpoint); `refused` on a NAK or no answer after the retries. The card
 * says "not yet applied on the network" while it is `waiting` or `refused`.
 */
export const NetworkApplication = StrictObject({
  reason: Type.Union([Type.Literal('account-state'), Type.Literal('tariff')]),
  state: Type.Union([Type.Literal('waiting'), Type.Literal('applied'), Type.Literal('refused')]),
  requestedAt: Instant,
  /** The last answer heard, if any (the request sent, the NAS's ACK or NAK). */
  lastAnswer: Nullable(NasAnswer),
});
export type NetworkApplication = Static<typeof NetworkApplication>;

export const SessionPanel = StrictObject({
  /** The newest session not closed, if any: online (open) or not heard of lately (stale). */
  current: Nullable(NasSession),
  /** The last 30 days, newest first, the current one included. */
  timeline: Type.Array(NasSession),
  /** The account's latest change on its way to the network; null when none was ever sent. */
  application: Nullable(NetworkApplication),
  /** When this was read: the panel shows its own age. */
  readAt: Instant,
});
export type SessionPanel = Static<typeof SessionPanel>;

/**
 * POST /api/subscribers/:id/session/actions (permission `nas-sessions.act`): `disconnect` ends
 * the current session (the CPE logs in again), `reapply` sends a CoA with the account's current
 * state and speed. Answers with the NAS's answer; 409 when no session is online.
 */
/** A subscriber with several accounts (two flats) has a session per account: the card's one. */
const AccountScope = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });

export const SessionPanelQuery = StrictObject({ accountId: Type.Optional(AccountScope) });
export type SessionPanelQuery = Static<typeof SessionPanelQuery>;

export const SessionActionRequest = StrictObject({
  action: Type.Union([Type.Literal('disconnect'), Type.Literal('reapply')]),
  /** The account whose session is meant; without it, the subscriber's newest session online. */
  accountId: Type.Optional(AccountScope),
  /** Why, for the audit log ("CPE hung, subscriber agreed to a reconnect"). */
  reason: Type.Optional(Text(500)),
});
export type SessionActionRequest = Static<typeof SessionActionRequest>;
