import { bigint, index, integer, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { agentStateNames } from '../../common/api/contacts.js';

export const staffRole = pgEnum('staff_role', ['l1', 'l2', 'l3', 'supervisor', 'tech', 'admin']);

export const staff = pgTable('staff', {
  id: integer().primaryKey().generatedByDefaultAsIdentity(),
  login: text().notNull().unique(),
  fullName: text().notNull(),
  role: staffRole().notNull(),
  passwordHash: text().notNull(), // argon2id
  isActive: integer().notNull().default(1),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  deactivatedAt: timestamp({ withTimezone: true }),
});

/** Server-side sessions: the cookie holds a random token, the table only its SHA-256. */
export const staffSessions = pgTable(
  'staff_sessions',
  {
    id: text().primaryKey(), // uuid, shown to admins; not the secret
    tokenHash: text().notNull().unique(),
    staffId: integer()
      .notNull()
      .references(() => staff.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    revokedAt: timestamp({ withTimezone: true }),
    ip: text(),
    userAgent: text(),
  },
  (t) => [index('staff_sessions_staff_idx').on(t.staffId)],
);

/** Failed logins counted per login name and per client address, so guessing is slowed and locked. */
export const loginThrottle = pgTable('login_throttle', {
  key: text().primaryKey(), // "login:<name>" or "ip:<address>"
  failures: integer().notNull(),
  windowStartedAt: timestamp({ withTimezone: true }).notNull(),
  lockedUntil: timestamp({ withTimezone: true }),
});

/**
 * An agent's state on the desk. `offered` and `missed` are set by routing (an offer rings; one not
 * accepted in time leaves the agent missed, not available, until they come back). The contacts
 * module changes these rows only through agent-state.ts, in the transaction of the contact.
 */
export const agentState = pgEnum('agent_state', agentStateNames);

export const agentStates = pgTable('agent_states', {
  staffId: integer()
    .primaryKey()
    .references(() => staff.id, { onDelete: 'cascade' }),
  state: agentState().notNull().default('offline'),
  since: timestamp({ withTimezone: true }).notNull(),
  breakReason: text(),
  lines: text().array().notNull(),
  skills: text().array().notNull(),
  extension: text(),
  calls: integer().notNull().default(0),
  chats: integer().notNull().default(0),
  lastSeenAt: timestamp({ withTimezone: true }),
});

export const agentStateChanges = pgTable(
  'agent_state_changes',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    staffId: integer()
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    state: agentState().notNull(),
    reason: text(),
    at: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index('agent_state_changes_staff_idx').on(t.staffId, t.at), index('agent_state_changes_at_idx').on(t.at)],
);
