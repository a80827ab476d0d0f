import { sql } from 'drizzle-orm';
import type {
  AccessLineChange,
  AccessLinePanel,
  Duplex,
  IfStatus,
  NodeAlert,
  NodeState,
  OntDownCause,
  OntState,
  PortState,
} from '../../../common/api/access-line.js';
import type { AppContext } from '../../core/context.js';
import { Problem } from '../../core/problem.js';
import { snmpNodeList } from '../../settings/snmp-nodes.js';
import { alertsOfNodes } from '../alerts/service.js';
import { macDigits } from '../service.js';
import { colonMac, GPON_RX_WINDOW_DBM, rxWithinWindow } from './apply.js';

/** The card's timeline and alerts reach this far back; the prune job keeps no more (jobs.ts). */
export const ACCESS_LINE_KEPT_DAYS = 30;
/** A port flapping all month would fill the card: the newest this many changes are enough to see it. */
const CHANGES_SHOWN = 500;

const iso = (value: Date | string) => new Date(value).toISOString();
const isoOrNull = (value: Date | string | null) => (value === null ? null : iso(value));

interface PortJson {
  node: string;
  node_id: number;
  port: string;
  if_index: number;
  admin_status: IfStatus | null;
  oper_status: IfStatus | null;
  since: string | null;
  speed_mbps: number | null;
  duplex: Duplex | null;
  in_errors: number | null;
  out_errors: number | null;
  errors_at: string | null;
  previous_in_errors: number | null;
  previous_out_errors: number | null;
  previous_errors_at: string | null;
  checked_at: string | null;
  macs: string[] | null;
  macs_checked_at: string | null;
  /** A PON port, or a port with other accounts on it: their MACs are theirs, and a bounce would drop them too. */
  shared: boolean;
}

interface OntJson {
  ont_id: number;
  state: 'online' | 'offline' | null;
  since: string | null;
  last_down_cause: OntDownCause | null;
  rx_power_dbm: number | null;
  tx_power_dbm: number | null;
  checked_at: string | null;
}

interface NodeJson {
  id: number;
  node: string;
  kind: NodeState['kind'];
  management_ip: string;
  reachable: boolean | null;
  since: string | null;
  checked_at: string | null;
}

interface PanelRow {
  subscriber_id: number | null;
  account_id: number | null;
  cpe_mac: string | null;
  port: PortJson | string | null;
  ont: OntJson | string | null;
  nodes: NodeJson[] | string | null;
  changes: { at: string; change: string; node: string; details: Record<string, unknown> }[] | string | null;
}

const parsed = <T>(value: T | string | null): T | null => (typeof value === 'string' ? JSON.parse(value) : value);

/**
 * The card's access line for the account the card shows (`accountId`, else the subscriber's first
 * account with a connection): its access port's state and MACs, its ONT on GPON, the access node
 * and its uplinks towards the core with their reachability and alerts, and 30 days of the changes
 * of those, newest first. One statement for the line, one for the alerts.
 *
 * `mayBounce`: whether the staff member's role may bounce a port (the route knows the role); the
 * panel adds whether the node's SNMP settings allow it.
 */
export async function accessLinePanel(
  ctx: AppContext,
  subscriberId: number,
  accountId: number | undefined,
  mayBounce: boolean,
): Promise<AccessLinePanel> {
  const now = ctx.clock();
  const since = new Date(now.getTime() - ACCESS_LINE_KEPT_DAYS * 86_400_000);
  const [row] = await ctx.database.rows<PanelRow>(sql`
    with recursive chosen as (
      select a.id from accounts a
      where a.subscriber_id = ${subscriberId}::int and (${accountId ?? null}::int is null or a.id = ${accountId ?? null}::int)
      order by (exists (select 1 from service_connections sc where sc.account_id = a.id)) desc, a.id
      limit 1),
    conn as (
      select sc.account_id, sc.node_id, sc.port_id, sc.ont_id, sc.mac from service_connections sc
      where sc.account_id = (select id from chosen)),
    port as (
      select p.id, p.node_id, p.if_index, p.name from network_ports p where p.id = (select port_id from conn)),
    -- The access node, then its uplinks towards the core (bounded: a loop on record ends here too).
    chain(node_id, depth) as (
      select node_id, 0 from conn
      union all
      select n.uplink_node_id, chain.depth + 1 from chain join network_nodes n on n.id = chain.node_id
      where n.uplink_node_id is not null and chain.depth < 8),
    changes as (
      select * from (
        select c.* from access_line_changes c
        where c.node_id in (select node_id from chain) and c.if_index is null and c.ont_id is null and c.at >= ${since}
        union all
        -- The port's own changes; of the CPE MACs only this account's (a PON port carries many).
        select c.* from access_line_changes c, port
        where c.node_id = port.node_id and c.if_index = port.if_index and c.ont_id is null and c.at >= ${since}
          and (c.change not like 'cpe-mac-%' or c.details->>'accountId' = (select account_id::text from conn))
        union all
        select c.* from access_line_changes c, port, conn
        where c.node_id = port.node_id and c.if_index = port.if_index and c.ont_id = conn.ont_id and c.at >= ${since}
      ) c order by c.at desc, c.id desc limit ${CHANGES_SHOWN})
    select
      (select id from subscribers where id = ${subscriberId}::int) as subscriber_id,
      (select id from chosen) as account_id,
      (select mac from conn) as cpe_mac,
      (select json_build_object('node', n.name, 'node_id', n.id, 'port', port.name, 'if_index', port.if_index,
          'admin_status', s.admin_status, 'oper_status', s.oper_status, 'since', s.since, 'speed_mbps', s.speed_mbps,
          'duplex', s.duplex, 'in_errors', s.in_errors, 'out_errors', s.out_errors, 'errors_at', s.errors_at,
          'previous_in_errors', s.previous_in_errors, 'previous_out_errors', s.previous_out_errors,
          'previous_errors_at', s.previous_errors_at, 'checked_at', s.checked_at,
          'macs', m.macs, 'macs_checked_at', m.checked_at,
          'shared', (select conn.ont_id is not null from conn)
            or exists (select 1 from service_connections o
              where o.node_id = port.node_id and o.port_id = port.id and o.account_id <> (select account_id from conn)))
        from port join network_nodes n on n.id = port.node_id
        left join access_ports s on s.node_id = port.node_id and s.if_index = port.if_index
        left join access_port_macs m on m.node_id = port.node_id and m.if_index = port.if_index) as port,
      (select json_build_object('ont_id', conn.ont_id, 'state', o.state, 'since', o.since,
          'last_down_cause', o.last_down_cause, 'rx_power_dbm', o.rx_power_dbm, 'tx_power_dbm', o.tx_power_dbm,
          'checked_at', o.checked_at)
        from conn join port on true
        left join access_onts o on o.node_id = port.node_id and o.if_index = port.if_index and o.ont_id = conn.ont_id
        where conn.ont_id is not null) as ont,
      (select json_agg(json_build_object('id', n.id, 'node', n.name, 'kind', n.kind, 'management_ip', n.management_ip,
          'reachable', r.reachable, 'since', r.since, 'checked_at', r.checked_at) order by chain.depth)
        from chain join network_nodes n on n.id = chain.node_id
        left join access_node_reachability r on r.node_id = n.id) as nodes,
      -- Which port (and ONT) a change is of, for the timeline's words: only the node is a field of its own.
      (select json_agg(json_build_object('at', c.at, 'change', c.change, 'node', n.name, 'details',
            c.details || jsonb_strip_nulls(jsonb_build_object('port', port.name, 'ifIndex', c.if_index, 'ontId', c.ont_id)))
          order by c.at desc, c.id desc)
        from changes c join network_nodes n on n.id = c.node_id
        left join port on port.node_id = c.node_id and port.if_index = c.if_index) as changes`);
  if (row?.subscriber_id == null) throw new Problem('subscriber.not_found', 404, 'No such subscriber');
  if (accountId !== undefined && row.account_id === null) {
    throw new Problem('account.not_found', 404, 'This subscriber has no such account');
  }
  const nodes = parsed(row.nodes) ?? [];
  const port = parsed(row.port);
  const alerts = await alertsOfNodes(
    ctx.database.db,
    nodes.map((node) => node.id),
    since,
  );
  return {
    port: port === null ? null : portStateOf(port, row.cpe_mac),
    ont: port === null ? null : ontStateOf(parsed(row.ont), port),
    nodes: nodes.map((node) => nodeStateOf(node, alerts)),
    changes: (parsed(row.changes) ?? []).map(
      (change): AccessLineChange => ({ ...change, at: iso(change.at), details: change.details ?? {} }),
    ),
    canBouncePort: port !== null && !port.shared && mayBounce && (await bounceAllowedOn(ctx, port.node)),
    readAt: now.toISOString(),
  };
}

/** Whether the node's SNMP settings let staff bounce its ports (settings/snmp-nodes.ts). */
async function bounceAllowedOn(ctx: AppContext, node: string): Promise<boolean> {
  return (await snmpNodeList(ctx)).some((entry) => entry.node === node && entry.bounceAllowed);
}

/**
 * Errors added per hour between the last two readings, and whether they grew. Null before two
 * readings, and when the counters went back (the switch restarted, or they wrapped).
 */
function errorRate(port: PortJson): Pick<PortState, 'errorsPerHour' | 'errorTrend'> {
  if (port.errors_at === null || port.previous_errors_at === null) return { errorsPerHour: null, errorTrend: null };
  const added =
    (port.in_errors ?? 0) + (port.out_errors ?? 0) - (port.previous_in_errors ?? 0) - (port.previous_out_errors ?? 0);
  const hours = (new Date(port.errors_at).getTime() - new Date(port.previous_errors_at).getTime()) / 3_600_000;
  if (added < 0 || hours <= 0) return { errorsPerHour: null, errorTrend: null };
  return { errorsPerHour: Math.round((added / hours) * 100) / 100, errorTrend: added > 0 ? 'rising' : 'steady' };
}

function portStateOf(port: PortJson, cpeMacWritten: string | null): PortState {
  const cpe = macDigits(cpeMacWritten);
  const seen = port.macs ?? [];
  // On a shared port the other MACs are other subscribers' equipment: only this account's is shown.
  const macs = port.shared ? seen.filter((mac) => cpe !== null && macDigits(mac) === cpe) : seen;
  return {
    node: port.node,
    port: port.port,
    ifIndex: port.if_index,
    adminStatus: port.admin_status,
    operStatus: port.oper_status,
    since: isoOrNull(port.since),
    speedMbps: port.speed_mbps,
    duplex: port.duplex,
    inErrors: port.in_errors,
    outErrors: port.out_errors,
    ...errorRate(port),
    macs,
    cpeMacOnRecord: cpe === null ? cpeMacWritten : colonMac(cpe),
    cpeSeen: cpe === null || port.macs_checked_at === null ? null : seen.some((mac) => macDigits(mac) === cpe),
    macsCheckedAt: isoOrNull(port.macs_checked_at),
    checkedAt: isoOrNull(port.checked_at),
  };
}

function ontStateOf(ont: OntJson | null, port: PortJson): OntState | null {
  if (ont === null) return null;
  const rx = ont.rx_power_dbm;
  return {
    node: port.node,
    ponPort: port.port,
    ontId: ont.ont_id,
    state: ont.state ?? 'unknown',
    since: isoOrNull(ont.since),
    lastDownCause: ont.last_down_cause,
    rxPowerDbm: rx,
    txPowerDbm: ont.tx_power_dbm,
    rxMinDbm: GPON_RX_WINDOW_DBM.min,
    rxMaxDbm: GPON_RX_WINDOW_DBM.max,
    rxWithin: rx === null ? null : rxWithinWindow(rx),
    checkedAt: isoOrNull(ont.checked_at),
  };
}

function nodeStateOf(node: NodeJson, alerts: NodeAlert[]): NodeState {
  return {
    nodeId: node.id,
    node: node.node,
    kind: node.kind,
    managementIp: node.management_ip,
    reachable: node.reachable,
    since: isoOrNull(node.since),
    checkedAt: isoOrNull(node.checked_at),
    alerts: alerts.filter((alert) => alert.node === node.node),
  };
}
