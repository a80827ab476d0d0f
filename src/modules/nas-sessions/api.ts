import { type Static, Type } from 'typebox';
import { Nullable, StrictObject } from '../../common/schema-kit.js';

/**
 * The session panel's shape (the card's "is the equipment on the line"). Kept in the module until
 * the card shows it; then it moves to src/common/api/ for the web app to share.
 */
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

export const SessionPanel = StrictObject({
  /** The newest session not closed, if any: online (open) or not heard of lately (stale). */
  current: Nullable(NasSession),
  /** The last 30 days, newest first, the current one included. */
  timeline: Type.Array(NasSession),
  /** When this was read: the panel shows its own age. */
  readAt: Instant,
});
export type SessionPanel = Static<typeof SessionPanel>;
