import { bigint, boolean, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { networkNodes } from '../schema.js';

/**
 * An alert from a monitoring system as last heard, one row per (source, externalId): the
 * Alertmanager fingerprint, the Zabbix problem event id, the LibreNMS alert id. Checks and
 * indexes: migrations/0020_monitoring_alerts.sql.
 */
export const monitoringAlerts = pgTable('monitoring_alerts', {
  id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
  source: text().notNull(), // alertmanager | zabbix | librenms
  externalId: text().notNull(),
  nodeId: integer().references(() => networkNodes.id, { onDelete: 'set null' }),
  nodeIdentifier: text(),
  name: text().notNull(),
  severity: text(),
  status: text().notNull(), // firing | resolved
  acknowledged: boolean().notNull().default(false),
  summary: text(),
  startedAt: timestamp({ withTimezone: true }).notNull(),
  endedAt: timestamp({ withTimezone: true }),
  updatedAt: timestamp({ withTimezone: true }).notNull(),
});
