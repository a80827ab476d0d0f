import { type Static, Type } from 'typebox';
import { Nullable, StrictObject, Text } from '../schema-kit.js';

/**
 * The card's access line (issue 15): what the access switch or OLT says of the subscriber's port
 * and ONT (SNMP polls and traps, docs/integrations/snmp.md), whether the node behind it answers,
 * and the monitoring systems' alerts on it (docs/integrations/monitoring.md). Each part carries
 * its own age (`checkedAt`); only changes of state are stored (`changes`).
 */
const Instant = Type.String({ format: 'date-time' });

/** IF-MIB ifOperStatus (RFC 2863) by name; ifAdminStatus uses the first three. */
export const IfStatus = Type.Union([
  Type.Literal('up'),
  Type.Literal('down'),
  Type.Literal('testing'),
  Type.Literal('unknown'),
  Type.Literal('dormant'),
  Type.Literal('notPresent'),
  Type.Literal('lowerLayerDown'),
]);
export type IfStatus = Static<typeof IfStatus>;

export const Duplex = Type.Union([Type.Literal('full'), Type.Literal('half'), Type.Literal('unknown')]);
export type Duplex = Static<typeof Duplex>;

export const PortState = StrictObject({
  node: Type.String(),
  port: Type.String(),
  ifIndex: Type.Integer(),
  adminStatus: Nullable(IfStatus),
  operStatus: Nullable(IfStatus),
  /** When operStatus last changed (as far as Linedesk saw it). */
  since: Nullable(Instant),
  speedMbps: Nullable(Type.Integer()),
  duplex: Nullable(Duplex),
  inErrors: Nullable(Type.Integer()),
  outErrors: Nullable(Type.Integer()),
  /** In and out errors added per hour between the last two readings; null before two readings. */
  errorsPerHour: Nullable(Type.Number()),
  /** Whether the errors grew between the last two readings. */
  errorTrend: Nullable(Type.Union([Type.Literal('rising'), Type.Literal('steady')])),
  /** The MAC addresses the switch's forwarding table has on this port (lower case, colon form). */
  macs: Type.Array(Type.String()),
  /** The CPE's MAC on record for the account, if any, and whether it is among `macs`. */
  cpeMacOnRecord: Nullable(Type.String()),
  cpeSeen: Nullable(Type.Boolean()),
  macsCheckedAt: Nullable(Instant),
  checkedAt: Nullable(Instant),
});
export type PortState = Static<typeof PortState>;

/** Why an ONT last went down, from the OLT's own MIB (Huawei, ZTE: the codes are mapped to these). */
export const OntDownCause = Type.Union([
  Type.Literal('dying-gasp'), // the ONT lost power and said so
  Type.Literal('los'), // loss of signal: the fibre
  Type.Literal('lofi'), // loss of frame
  Type.Literal('loami'), // loss of acknowledgement
  Type.Literal('deactivated'), // by the operator
  Type.Literal('other'),
]);
export type OntDownCause = Static<typeof OntDownCause>;

export const OntState = StrictObject({
  node: Type.String(),
  ponPort: Type.String(),
  ontId: Type.Integer(),
  state: Type.Union([Type.Literal('online'), Type.Literal('offline'), Type.Literal('unknown')]),
  since: Nullable(Instant),
  lastDownCause: Nullable(OntDownCause),
  /** dBm, as the OLT reads them (the ONT's receive and transmit levels). */
  rxPowerDbm: Nullable(Type.Number()),
  txPowerDbm: Nullable(Type.Number()),
  /** The receive window considered healthy (GPON class B+: -27 to -8 dBm, GPON_RX_WINDOW_DBM). */
  rxMinDbm: Type.Number(),
  rxMaxDbm: Type.Number(),
  /** Null when no level was read. */
  rxWithin: Nullable(Type.Boolean()),
  checkedAt: Nullable(Instant),
});
export type OntState = Static<typeof OntState>;

export const AlertSource = Type.Union([Type.Literal('alertmanager'), Type.Literal('zabbix'), Type.Literal('librenms')]);
export type AlertSource = Static<typeof AlertSource>;

/** An alert a monitoring system raised on a node, as last heard. */
export const NodeAlert = StrictObject({
  source: AlertSource,
  node: Type.String(),
  name: Type.String(),
  severity: Nullable(Type.String()),
  status: Type.Union([Type.Literal('firing'), Type.Literal('resolved')]),
  acknowledged: Type.Boolean(),
  summary: Nullable(Type.String()),
  startedAt: Instant,
  endedAt: Nullable(Instant),
  updatedAt: Instant,
});
export type NodeAlert = Static<typeof NodeAlert>;

export const NodeState = StrictObject({
  /** The node's id, as the live wake-up `access-line` names it (so a card refetches only for its own nodes). */
  nodeId: Type.Optional(Type.Integer()),
  node: Type.String(),
  kind: Type.Union([
    Type.Literal('core'),
    Type.Literal('aggregation'),
    Type.Literal('access_switch'),
    Type.Literal('olt'),
  ]),
  managementIp: Type.String(),
  /** Null when the node is not polled (no SNMP settings for it). */
  reachable: Nullable(Type.Boolean()),
  since: Nullable(Instant),
  checkedAt: Nullable(Instant),
  /** Firing alerts, and those resolved in the last 30 days, newest first. */
  alerts: Type.Array(NodeAlert),
});
export type NodeState = Static<typeof NodeState>;

/** One change of state on the line, for the timeline beside the sessions. */
export const AccessLineChange = StrictObject({
  at: Instant,
  /** port-up, port-down, port-admin-down, port-admin-up, speed-changed, duplex-changed, cpe-mac-seen, cpe-mac-gone, ont-online, ont-offline, ont-rx-out-of-range, ont-rx-within, node-unreachable, node-reachable (alerts come with the nodes, not as changes) */
  change: Type.String(),
  node: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
});
export type AccessLineChange = Static<typeof AccessLineChange>;

export const AccessLinePanel = StrictObject({
  /** The access port on record; null when the account has none (PPPoE without a port, no connection). */
  port: Nullable(PortState),
  /** For GPON: the ONT on the PON port. */
  ont: Nullable(OntState),
  /** The access node, then its uplinks towards the core. */
  nodes: Type.Array(NodeState),
  /** The last 30 days, newest first. */
  changes: Type.Array(AccessLineChange),
  /** Whether this staff member may bounce the port (permission, and the node's settings allow it). */
  canBouncePort: Type.Boolean(),
  readAt: Instant,
});
export type AccessLinePanel = Static<typeof AccessLinePanel>;

/** GET /api/subscribers/:id/access-line?accountId= (the card's account). */
const AccountScope = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
export const AccessLineQuery = StrictObject({ accountId: Type.Optional(AccountScope) });
export type AccessLineQuery = Static<typeof AccessLineQuery>;

/**
 * POST /api/subscribers/:id/access-line/bounce (permission `access-line.bounce`): ifAdminStatus
 * down, then up, on the account's access port, where the node's settings allow it. Audited.
 */
export const PortBounceRequest = StrictObject({
  accountId: Type.Optional(AccountScope),
  reason: Type.Optional(Text(500)),
});
export type PortBounceRequest = Static<typeof PortBounceRequest>;

export const PortBounceResult = StrictObject({
  node: Type.String(),
  port: Type.String(),
  /** `done`: both SETs answered; `failed`: the node refused or did not answer (then `error`). */
  outcome: Type.Union([Type.Literal('done'), Type.Literal('failed')]),
  error: Nullable(Type.String()),
  operStatusAfter: Nullable(IfStatus),
  at: Instant,
});
export type PortBounceResult = Static<typeof PortBounceResult>;

/** The live wake-up `access-line`: this node (and port or ONT) changed; cards showing it read again. */
export const ACCESS_LINE_TOPIC = 'access-line';
