import {
  bigint,
  boolean,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { networkNodes } from '../schema.js';

/**
 * The access line's latest state, one row per port, port's MAC list, ONT and node, and its
 * changes (30 days). Indexes and checks: migrations/0019_access_line.sql.
 */
const instant = () => timestamp({ withTimezone: true });
const node = () =>
  integer()
    .notNull()
    .references(() => networkNodes.id, { onDelete: 'cascade' });

export const accessPorts = pgTable(
  'access_ports',
  {
    nodeId: node(),
    ifIndex: integer().notNull(),
    adminStatus: text(),
    operStatus: text(),
    since: instant(),
    speedMbps: integer(),
    duplex: text(),
    inErrors: bigint({ mode: 'number' }),
    outErrors: bigint({ mode: 'number' }),
    errorsAt: instant(),
    previousInErrors: bigint({ mode: 'number' }),
    previousOutErrors: bigint({ mode: 'number' }),
    previousErrorsAt: instant(),
    checkedAt: instant().notNull(),
  },
  (t) => [primaryKey({ columns: [t.nodeId, t.ifIndex] })],
);

export const accessPortMacs = pgTable(
  'access_port_macs',
  {
    nodeId: node(),
    ifIndex: integer().notNull(),
    macs: text().array().notNull(),
    checkedAt: instant().notNull(),
  },
  (t) => [primaryKey({ columns: [t.nodeId, t.ifIndex] })],
);

export const accessOnts = pgTable(
  'access_onts',
  {
    nodeId: node(),
    ifIndex: integer().notNull(),
    ontId: integer().notNull(),
    state: text(),
    since: instant(),
    lastDownCause: text(),
    rxPowerDbm: doublePrecision(),
    txPowerDbm: doublePrecision(),
    rxWithin: boolean(),
    checkedAt: instant().notNull(),
  },
  (t) => [primaryKey({ columns: [t.nodeId, t.ifIndex, t.ontId] })],
);

export const accessNodeReachability = pgTable('access_node_reachability', {
  nodeId: integer()
    .primaryKey()
    .references(() => networkNodes.id, { onDelete: 'cascade' }),
  reachable: boolean().notNull(),
  since: instant().notNull(),
  lastError: text(),
  checkedAt: instant().notNull(),
});

export const accessLineChanges = pgTable('access_line_changes', {
  id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
  nodeId: node(),
  ifIndex: integer(),
  ontId: integer(),
  at: instant().notNull(),
  change: text().notNull(),
  details: jsonb().notNull().default({}),
});
