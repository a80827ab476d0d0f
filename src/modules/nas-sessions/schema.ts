import { bigint, boolean, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { accounts } from '../subscribers/schema.js';

/**
 * One row per session generation (NAS + Acct-Session-Id + generation): a Start reusing the id of
 * a closed session opens the next generation. Indexes and checks: migrations/0015_sessions.sql.
 */
export const nasSessions = pgTable('nas_sessions', {
  id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
  nas: text().notNull(),
  acctSessionId: text().notNull(),
  generation: integer().notNull(),
  state: text().notNull(), // open | stale | closed
  startSeen: boolean().notNull(),
  startedAt: timestamp({ withTimezone: true }).notNull(),
  lastEventAt: timestamp({ withTimezone: true }).notNull(),
  endedAt: timestamp({ withTimezone: true }),
  endedBy: text(), // stop | accounting_on | accounting_off | replaced
  terminateCause: integer(),
  terminateCauseWords: text(),
  userName: text(),
  callingStationId: text(),
  framedIp: text(),
  framedIpv6Prefix: text(),
  delegatedIpv6Prefix: text(),
  inputBytes: bigint({ mode: 'number' }).notNull().default(0),
  outputBytes: bigint({ mode: 'number' }).notNull().default(0),
  circuitId: text(),
  remoteId: text(),
  accountId: integer().references(() => accounts.id),
  subscriberId: integer(),
});

/** The timeline: only changes of state, kept 30 days. */
export const nasSessionChanges = pgTable('nas_session_changes', {
  id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
  sessionId: bigint({ mode: 'number' })
    .notNull()
    .references(() => nasSessions.id, { onDelete: 'cascade' }),
  at: timestamp({ withTimezone: true }).notNull(),
  change: text().notNull(),
  details: jsonb().notNull().default({}),
});
