import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { staff } from '../staff/schema.js';

/** Wake-ups for the browsers' live channel; migrations/0012_live_events.sql says what each column is for. */
export const liveEvents = pgTable(
  'live_events',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    topic: text().notNull(),
    staffId: integer().references(() => staff.id, { onDelete: 'cascade' }),
    roles: text().array(),
    data: jsonb().$type<Record<string, string | number | boolean | null>>().notNull().default({}),
  },
  (t) => [index('live_events_at').on(t.at)],
);
