import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, integer, jsonb, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * One document per kind of setting ('lines', 'contacts', 'calendar'), each with a version taken
 * from one sequence: a change carries the version it edited (optimistic concurrency), and the sum
 * of all versions tells an instance in one cheap read whether anything changed (service.ts).
 * `updated_by` is a staff id without a foreign key, as in the audit log: regenerating the demo
 * data truncates staff, and must not take the settings with it.
 */
export const settingsDocuments = pgTable(
  'settings_documents',
  {
    kind: text().primaryKey(),
    value: jsonb().notNull(),
    version: bigint({ mode: 'number' }).notNull().default(sql`nextval('settings_version_seq')`),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedBy: integer(),
  },
  (t) => [check('settings_documents_kind', sql`${t.kind} in ('lines', 'contacts', 'calendar')`)],
);

/**
 * Secrets (the PBX's webhook secret; later the NAS secrets), AES-256-GCM under SETTINGS_KEY. A
 * cleared secret keeps its row with no ciphertext, so versions only grow (see above). `key_id`
 * names the key it was sealed with, so a changed key is told apart from a damaged value.
 */
export const settingsSecrets = pgTable('settings_secrets', {
  name: text().primaryKey(),
  ciphertext: text(), // base64
  iv: text(), // base64, 12 bytes
  tag: text(), // base64, 16 bytes
  keyId: text(),
  version: bigint({ mode: 'number' }).notNull().default(sql`nextval('settings_version_seq')`),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedBy: integer(),
});

/** The production calendar's marked days; ordinary weekends are not listed. */
export const productionCalendarDays = pgTable(
  'production_calendar_days',
  {
    day: date({ mode: 'string' }).primaryKey(),
    kind: text().notNull(), // holiday | shortened | working
    title: text(),
    movedFrom: date({ mode: 'string' }),
  },
  (t) => [check('production_calendar_days_kind', sql`${t.kind} in ('holiday', 'shortened', 'working')`)],
);

/**
 * The NASes that send accounting: each with its shared secret, sealed like the secrets above
 * (additional data `nas:<name>`), its interim interval (the interval itself travels only in the
 * RADIUS server's Access-Accept, so Linedesk is told it here) and the port its CoA listens on.
 */
export const settingsNas = pgTable('settings_nas', {
  name: text().primaryKey(),
  address: text().notNull().unique(),
  vendor: text().notNull(),
  relay: boolean().notNull().default(false),
  interimIntervalSeconds: integer().notNull(),
  coaPort: integer().notNull(),
  ciphertext: text(),
  iv: text(),
  tag: text(),
  keyId: text(),
  version: bigint({ mode: 'number' }).notNull().default(sql`nextval('settings_version_seq')`),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedBy: integer(),
});

/**
 * How Linedesk reaches each switch and OLT by SNMP (migration 0021): the node by its name on record,
 * v2c or v3, and its community or v3 keys sealed like the NAS secrets (additional data `snmp:<node>`).
 */
export const settingsSnmpNodes = pgTable('settings_snmp_nodes', {
  node: text().primaryKey(),
  snmpVersion: text().notNull(),
  port: integer().notNull().default(161),
  bounceAllowed: boolean().notNull().default(false),
  intervalSeconds: integer(),
  v3User: text(),
  authProtocol: text(),
  privProtocol: text(),
  ciphertext: text(),
  iv: text(),
  tag: text(),
  keyId: text(),
  version: bigint({ mode: 'number' }).notNull().default(sql`nextval('settings_version_seq')`),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedBy: integer(),
});

/** The SNMP poller's global settings: one row, absent until an administrator saves them. */
export const settingsSnmpPolling = pgTable('settings_snmp_polling', {
  id: smallint().primaryKey().default(1),
  intervalSeconds: integer().notNull(),
  timeoutMs: integer().notNull(),
  retries: integer().notNull(),
  backoffMaxSeconds: integer().notNull(),
  jitterPercent: integer().notNull(),
  concurrency: integer().notNull(),
  version: bigint({ mode: 'number' }).notNull().default(sql`nextval('settings_version_seq')`),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedBy: integer(),
});
