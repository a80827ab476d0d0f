import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** Work that must happen once across instances; migrations/0011_jobs.sql says what each column is for. */
export const jobs = pgTable(
  'jobs',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    kind: text().notNull(),
    key: text(),
    payload: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    runAt: timestamp({ withTimezone: true }).notNull(),
    state: text().$type<'pending' | 'failed'>().notNull().default('pending'),
    attempts: integer().notNull().default(0),
    revision: integer().notNull().default(0),
    lease: uuid(),
    lockedUntil: timestamp({ withTimezone: true }),
    everySeconds: integer(),
    lastError: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    failedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('jobs_pending_key').on(t.key).where(sql`${t.state} = 'pending'`),
    index('jobs_due').on(t.runAt).where(sql`${t.state} = 'pending'`),
  ],
);
