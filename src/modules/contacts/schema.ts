import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { contactOutcomes, contactReasons, contactStatuses } from '../../common/api/contacts.js';
import { staff } from '../staff/schema.js';
import { subscribers } from '../subscribers/schema.js';

export const contactChannel = pgEnum('contact_channel', ['call', 'chat']);
/** waiting: queued; offered: ringing at one agent; connected: the agent is on it; after_work: ended, being written up. */
export const contactStatus = pgEnum('contact_status', contactStatuses);
export const contactReason = pgEnum('contact_reason', contactReasons);
export const contactOutcome = pgEnum('contact_outcome', contactOutcomes);

/** One call or chat, from arrival to its outcome (migration 0014 says what each column means). */
export const contacts = pgTable(
  'contacts',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    callId: text().unique(),
    channel: contactChannel().notNull(),
    callerNumber: text(),
    dialled: text(),
    line: text().notNull(),
    priority: integer().notNull().default(0),
    status: contactStatus().notNull(),
    arrivedAt: timestamp({ withTimezone: true }).notNull(),
    queuedAt: timestamp({ withTimezone: true }).notNull(),
    offeredTo: integer().references(() => staff.id),
    offeredAt: timestamp({ withTimezone: true }),
    offers: integer().notNull().default(0),
    agentId: integer().references(() => staff.id),
    answeredAt: timestamp({ withTimezone: true }),
    pickedUpAt: timestamp({ withTimezone: true }),
    endedAt: timestamp({ withTimezone: true }),
    afterWorkUntil: timestamp({ withTimezone: true }),
    holdStartedAt: timestamp({ withTimezone: true }),
    holdSeconds: integer().notNull().default(0),
    reason: contactReason(),
    outcome: contactOutcome(),
    recordingUrl: text(),
    subscriberId: integer().references(() => subscribers.id),
    subscribersFitting: integer().notNull().default(0),
    repeatOf: bigint({ mode: 'number' }),
    outsideHours: boolean().notNull().default(false),
    callbackOfferedAt: timestamp({ withTimezone: true }),
    callbackChosen: boolean(),
    transfers: integer().notNull().default(0),
    lastEventAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('contacts_arrived_idx').on(t.arrivedAt)],
);

/** The contact's timeline: every event and note. */
export const contactEvents = pgTable(
  'contact_events',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    contactId: bigint({ mode: 'number' })
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    at: timestamp({ withTimezone: true }).notNull(),
    kind: text().notNull(),
    staffId: integer().references(() => staff.id),
    details: jsonb(),
  },
  (t) => [index('contact_events_contact_idx').on(t.contactId, t.at, t.id)],
);

/** Every event a PBX reported, by its own id: a repeat is answered with the first result. */
export const pbxEvents = pgTable(
  'pbx_events',
  {
    eventId: text().primaryKey(),
    callId: text().notNull(),
    kind: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull(),
    result: jsonb().notNull(),
  },
  (t) => [index('pbx_events_call_idx').on(t.callId, t.at)],
);

/** Each line's average handle time (docs/metrics.md). */
export const lineHandleTimes = pgTable('line_handle_times', {
  line: text().primaryKey(),
  ahtSeconds: doublePrecision().notNull(),
  handled: integer().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull(),
});
