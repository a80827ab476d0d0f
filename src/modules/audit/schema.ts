import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    staffId: integer(), // null for the system and for failed logins of unknown names
    action: text().notNull(), // subscriber.card_opened, staff.session_revoked, ...
    targetType: text(),
    targetId: text(),
    ip: text(),
    details: jsonb(),
  },
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_target_idx').on(t.targetType, t.targetId)],
);
