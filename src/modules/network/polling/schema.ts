import { bigint, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { networkNodes } from '../schema.js';

/**
 * When each node is polled next by SNMP (migration 0021). A claim moves `nextPollAt` past the poll's
 * longest run, so a node whose instance died mid-poll is due again by itself; `claim` grows with
 * every claim, so a poll that outlived its lease cannot overwrite the next claimer's schedule.
 */
export const snmpPollSchedule = pgTable(
  'snmp_poll_schedule',
  {
    nodeId: integer()
      .primaryKey()
      .references(() => networkNodes.id, { onDelete: 'cascade' }),
    nextPollAt: timestamp({ withTimezone: true }).notNull(),
    claim: bigint({ mode: 'number' }).notNull().default(0),
    claimedBy: text(),
    failures: integer().notNull().default(0),
    lastPolledAt: timestamp({ withTimezone: true }),
    lastError: text(),
  },
  (t) => [index('snmp_poll_schedule_due').on(t.nextPollAt)],
);
