import { index, integer, pgEnum, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { buildings } from '../places/schema.js';
import { accounts } from '../subscribers/schema.js';

export const nodeKind = pgEnum('network_node_kind', ['core', 'aggregation', 'access_switch', 'olt']);
export const accessMethod = pgEnum('access_method', ['pppoe', 'ipoe']);

export const networkNodes = pgTable(
  'network_nodes',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    kind: nodeKind().notNull(),
    name: text().notNull().unique(),
    model: text().notNull(),
    // Always in 127.0.0.0/8 for demo and test nodes, so no poller ever leaves the machine.
    managementIp: text().notNull(),
    uplinkNodeId: integer(),
    // Where the node itself stands (access switches sit in a building's basement).
    buildingId: integer().references(() => buildings.id),
  },
  (t) => [index('network_nodes_uplink_idx').on(t.uplinkNodeId)],
);

export const networkPorts = pgTable(
  'network_ports',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    nodeId: integer()
      .notNull()
      .references(() => networkNodes.id),
    name: text().notNull(), // ge-0/0/12, gpon-0/1
    ifIndex: integer().notNull(),
    medium: text().notNull(), // copper, fiber, pon
  },
  (t) => [uniqueIndex('network_ports_node_name_uq').on(t.nodeId, t.name)],
);

export const nodeBuildings = pgTable(
  'network_node_buildings',
  {
    nodeId: integer()
      .notNull()
      .references(() => networkNodes.id),
    buildingId: integer()
      .notNull()
      .references(() => buildings.id),
  },
  (t) => [
    primaryKey({ columns: [t.nodeId, t.buildingId] }),
    index('network_node_buildings_building_idx').on(t.buildingId),
  ],
);

/** How one account reaches the network: PPPoE credentials or an IPoE binding to a switch port. */
export const serviceConnections = pgTable(
  'service_connections',
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    accountId: integer()
      .notNull()
      .references(() => accounts.id)
      .unique(),
    method: accessMethod().notNull(),
    pppoeLogin: text().unique(),
    nodeId: integer()
      .notNull()
      .references(() => networkNodes.id),
    portId: integer().references(() => networkPorts.id),
    vlan: integer(),
    // DHCP Option 82 (RFC 3046): circuit id names the port, remote id the switch.
    option82CircuitId: text(),
    option82RemoteId: text(),
    mac: text(),
    staticIp: text(),
    // The ONT's number on its PON port (GPON), as in the Option 82 circuit id "gpon 0/3:12".
    ontId: integer(),
  },
  (t) => [index('service_connections_node_port_idx').on(t.nodeId, t.portId)],
);
