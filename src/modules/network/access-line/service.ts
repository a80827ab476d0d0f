import { type SQL, sql } from 'drizzle-orm';
import { ACCESS_LINE_TOPIC, type Duplex, type IfStatus, type OntDownCause } from '../../../common/api/access-line.js';
import type { Db } from '../../../db/connection.js';
import { withWriteBehind } from '../../../db/write-behind.js';
import type { AppContext } from '../../core/context.js';
import { publishLive } from '../../live/service.js';
import { macDigits } from '../service.js';
import {
  applyNode,
  applyOnt,
  applyPort,
  applyPortMacs,
  type NodeLine,
  type OntLine,
  type Pending,
  type PortLine,
  plausible,
} from './apply.js';
import type { AccessObservation, AccessOutcome } from './observations.js';

export { GPON_RX_WINDOW_DBM } from './apply.js';
export type { AccessObservation, AccessOutcome } from './observations.js';

const rowsOf = async <T>(db: Db, query: SQL) => ((await db.execute(query)) as unknown as { rows: T[] }).rows;
const asDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));
const dateOrNull = (value: Date | string | null) => (value === null ? null : asDate(value));
const numberOrNull = (value: number | string | null) => (value === null ? null : Number(value));
const iso = (date: Date | null) => (date === null ? null : date.toISOString());

const portKey = (nodeId: number, ifIndex: number) => `${nodeId}/${ifIndex}`;
const ontKey = (nodeId: number, ifIndex: number, ontId: number) => `${nodeId}/${ifIndex}/${ontId}`;

/** The ports, ONTs and nodes a batch reads and writes, each once whatever number of readings it has. */
interface Lines {
  ports: Map<string, PortLine>;
  onts: Map<string, OntLine>;
  nodes: Map<number, NodeLine>;
}

/**
 * Applies what the switches and OLTs said (SNMP polls and traps) in one transaction, in the order
 * given, as if one after another, and resolves with each one's outcome once committed. Only
 * changes of state go into access_line_changes (the card's timeline); a reading that changes
 * nothing only moves its part's `checked_at` (and the error counters and optical levels). A
 * reading older than what its part holds changes nothing ('late'); one of a node, port or PON
 * port not on record is 'unknown', never an error, as is one that cannot name anything on record
 * (`plausible`).
 *
 * A handful of statements whatever the batch's size (budget: 10,000 events/s on PostgreSQL,
 * docs/benchmarks.md): the locks, the ports, ONTs and nodes read, then each table written in one
 * statement, and the wake-ups at the end (write-behind), one per node that changed.
 */
export async function recordAccessObservations(
  ctx: AppContext,
  observations: readonly AccessObservation[],
): Promise<AccessOutcome[]> {
  if (observations.length === 0) return [];
  return ctx.database.db.transaction((tx) =>
    withWriteBehind(tx, async () => {
      const readings = observations.map(plausible);
      const applicable = readings.filter((reading): reading is AccessObservation => reading !== null);
      if (applicable.length === 0) return readings.map((): AccessOutcome => 'unknown');
      await lockLines(tx, applicable);
      const lines = await readLines(tx, applicable);
      const pending: Pending = { changes: [], nodes: new Set() };
      const outcomes = readings.map((reading) =>
        reading === null ? 'unknown' : applyObservation(reading, lines, pending),
      );
      await writeLines(tx, lines, pending);
      return outcomes;
    }),
  );
}

/** One reading against its part as the batch holds it (every part of the batch was read). */
function applyObservation(observation: AccessObservation, lines: Lines, pending: Pending): AccessOutcome {
  if (observation.kind === 'node')
    return applyNode(observation, lines.nodes.get(observation.nodeId) as NodeLine, pending);
  const port = lines.ports.get(portKey(observation.nodeId, observation.ifIndex)) as PortLine;
  if (observation.kind === 'port') return applyPort(observation, port, pending);
  if (observation.kind === 'port-macs') return applyPortMacs(observation, port, pending);
  const ont = lines.onts.get(ontKey(observation.nodeId, observation.ifIndex, observation.ontId)) as OntLine;
  return applyOnt(observation, port.portId !== null, ont, pending);
}

/** The part of the line a reading is of: its port (state or MACs), ONT or node. Locks and batches go by it. */
export const lineKeyOf = (observation: AccessObservation) => {
  switch (observation.kind) {
    case 'port':
    case 'port-macs':
      return `access-line:port:${observation.nodeId}/${observation.ifIndex}`;
    case 'ont':
      return `access-line:ont:${observation.nodeId}/${observation.ifIndex}/${observation.ontId}`;
    case 'node':
      return `access-line:node:${observation.nodeId}`;
  }
};

/**
 * Two instances (a poll on one, a trap on the other) may bring readings of one port at once: one
 * transaction at a time holds a port, ONT or node, so each judges its readings against what the
 * other committed. Taken in one order, so two batches never wait for each other in a circle.
 */
async function lockLines(tx: Db, observations: readonly AccessObservation[]): Promise<void> {
  const keys = [...new Set(observations.map(lineKeyOf))];
  await tx.execute(sql`select pg_advisory_xact_lock(h) from (
      select distinct hashtextextended(k, 0) as h from unnest(${sql.param(keys)}::text[]) k order by h) locks`);
}

interface PortStateRow {
  node_id: number;
  if_index: number;
  port_id: number | null;
  admin_status: string | null;
  oper_status: string | null;
  since: Date | string | null;
  speed_mbps: number | null;
  duplex: string | null;
  in_errors: string | number | null;
  out_errors: string | number | null;
  errors_at: Date | string | null;
  previous_in_errors: string | number | null;
  previous_out_errors: string | number | null;
  previous_errors_at: Date | string | null;
  checked_at: Date | string | null;
  macs: string[] | null;
  macs_checked_at: Date | string | null;
  cpes: { accountId: number; mac: string }[] | string | null;
}

interface OntStateRow {
  node_id: number;
  if_index: number;
  ont_id: number;
  state: 'online' | 'offline' | null;
  since: Date | string | null;
  last_down_cause: string | null;
  rx_power_dbm: number | string | null;
  tx_power_dbm: number | string | null;
  rx_within: boolean | null;
  checked_at: Date | string | null;
}

interface NodeStateRow {
  node_id: number;
  known: boolean;
  reachable: boolean | null;
  since: Date | string | null;
  last_error: string | null;
  checked_at: Date | string | null;
}

/** What the batch's parts hold now, in three statements at most (ports with their MACs, ONTs, nodes). */
async function readLines(tx: Db, observations: readonly AccessObservation[]): Promise<Lines> {
  const lines: Lines = { ports: new Map(), onts: new Map(), nodes: new Map() };
  const portKeys = new Map<string, { nodeId: number; ifIndex: number; cpes: boolean }>();
  const ontKeys = new Map<string, { nodeId: number; ifIndex: number; ontId: number }>();
  const nodeIds = new Set<number>();
  for (const observation of observations) {
    if (observation.kind === 'node') {
      nodeIds.add(observation.nodeId);
      continue;
    }
    const key = portKey(observation.nodeId, observation.ifIndex);
    const port = portKeys.get(key) ?? { nodeId: observation.nodeId, ifIndex: observation.ifIndex, cpes: false };
    port.cpes ||= observation.kind === 'port-macs';
    portKeys.set(key, port);
    if (observation.kind === 'ont') {
      const { nodeId, ifIndex, ontId } = observation;
      ontKeys.set(ontKey(nodeId, ifIndex, ontId), { nodeId, ifIndex, ontId });
    }
  }
  if (portKeys.size > 0) await readPorts(tx, [...portKeys.values()], lines);
  if (ontKeys.size > 0) await readOnts(tx, [...ontKeys.values()], lines);
  if (nodeIds.size > 0) await readNodes(tx, [...nodeIds], lines);
  return lines;
}

async function readPorts(tx: Db, keys: { nodeId: number; ifIndex: number; cpes: boolean }[], lines: Lines) {
  const rows = await rowsOf<PortStateRow>(
    tx,
    sql`select k.node_id, k.if_index, p.id as port_id, s.admin_status, s.oper_status, s.since, s.speed_mbps, s.duplex,
          s.in_errors, s.out_errors, s.errors_at, s.previous_in_errors, s.previous_out_errors, s.previous_errors_at,
          s.checked_at, m.macs, m.checked_at as macs_checked_at,
          -- The CPEs on record only where a forwarding table is read (a PON port has many accounts).
          case when k.cpes and p.id is not null then (
            select json_agg(json_build_object('accountId', sc.account_id, 'mac', sc.mac))
            from service_connections sc where sc.node_id = k.node_id and sc.port_id = p.id and sc.mac is not null)
          end as cpes
        from unnest(${sql.param(keys.map((k) => k.nodeId))}::int[], ${sql.param(keys.map((k) => k.ifIndex))}::int[],
          ${sql.param(keys.map((k) => k.cpes))}::boolean[]) as k(node_id, if_index, cpes)
        left join lateral (select p.id from network_ports p where p.node_id = k.node_id and p.if_index = k.if_index
          order by p.id limit 1) p on true
        left join access_ports s on s.node_id = k.node_id and s.if_index = k.if_index
        left join access_port_macs m on m.node_id = k.node_id and m.if_index = k.if_index`,
  );
  for (const row of rows) {
    const cpes = (typeof row.cpes === 'string' ? JSON.parse(row.cpes) : (row.cpes ?? [])) as {
      accountId: number;
      mac: string;
    }[];
    lines.ports.set(portKey(row.node_id, row.if_index), {
      nodeId: row.node_id,
      ifIndex: row.if_index,
      portId: row.port_id,
      state:
        row.checked_at === null
          ? null
          : {
              adminStatus: row.admin_status as IfStatus | null,
              operStatus: row.oper_status as IfStatus | null,
              since: dateOrNull(row.since),
              speedMbps: row.speed_mbps,
              duplex: row.duplex as Duplex | null,
              inErrors: numberOrNull(row.in_errors),
              outErrors: numberOrNull(row.out_errors),
              errorsAt: dateOrNull(row.errors_at),
              previousInErrors: numberOrNull(row.previous_in_errors),
              previousOutErrors: numberOrNull(row.previous_out_errors),
              previousErrorsAt: dateOrNull(row.previous_errors_at),
              checkedAt: asDate(row.checked_at),
            },
      macs: row.macs_checked_at === null ? null : { macs: row.macs ?? [], checkedAt: asDate(row.macs_checked_at) },
      cpes: cpes.flatMap((cpe) => {
        const mac = macDigits(cpe.mac);
        return mac === null ? [] : [{ accountId: cpe.accountId, mac }];
      }),
      stateWritten: false,
      macsWritten: false,
    });
  }
}

async function readOnts(tx: Db, keys: { nodeId: number; ifIndex: number; ontId: number }[], lines: Lines) {
  const rows = await rowsOf<OntStateRow>(
    tx,
    sql`select k.node_id, k.if_index, k.ont_id, o.state, o.since, o.last_down_cause, o.rx_power_dbm, o.tx_power_dbm,
          o.rx_within, o.checked_at
        from unnest(${sql.param(keys.map((k) => k.nodeId))}::int[], ${sql.param(keys.map((k) => k.ifIndex))}::int[],
          ${sql.param(keys.map((k) => k.ontId))}::int[]) as k(node_id, if_index, ont_id)
        left join access_onts o on o.node_id = k.node_id and o.if_index = k.if_index and o.ont_id = k.ont_id`,
  );
  for (const row of rows) {
    lines.onts.set(ontKey(row.node_id, row.if_index, row.ont_id), {
      nodeId: row.node_id,
      ifIndex: row.if_index,
      ontId: row.ont_id,
      state:
        row.checked_at === null
          ? null
          : {
              state: row.state,
              since: dateOrNull(row.since),
              lastDownCause: row.last_down_cause as OntDownCause | null,
              rxPowerDbm: numberOrNull(row.rx_power_dbm),
              txPowerDbm: numberOrNull(row.tx_power_dbm),
              rxWithin: row.rx_within,
              checkedAt: asDate(row.checked_at),
            },
      written: false,
    });
  }
}

async function readNodes(tx: Db, nodeIds: number[], lines: Lines) {
  const rows = await rowsOf<NodeStateRow>(
    tx,
    sql`select k.node_id, n.id is not null as known, r.reachable, r.since, r.last_error, r.checked_at
        from unnest(${sql.param(nodeIds)}::int[]) as k(node_id)
        left join network_nodes n on n.id = k.node_id
        left join access_node_reachability r on r.node_id = k.node_id`,
  );
  for (const row of rows) {
    lines.nodes.set(row.node_id, {
      nodeId: row.node_id,
      known: row.known,
      state:
        row.checked_at === null || row.reachable === null || row.since === null
          ? null
          : {
              reachable: row.reachable,
              since: asDate(row.since),
              lastError: row.last_error,
              checkedAt: asDate(row.checked_at),
            },
      written: false,
    });
  }
}

/** Each table in one statement (rows the batch touched), the changes, then the wake-ups. */
async function writeLines(tx: Db, lines: Lines, pending: Pending): Promise<void> {
  const ports = [...lines.ports.values()].filter((line) => line.stateWritten && line.state);
  const macs = [...lines.ports.values()].filter((line) => line.macsWritten && line.macs);
  const onts = [...lines.onts.values()].filter((line) => line.written && line.state);
  const nodes = [...lines.nodes.values()].filter((line) => line.written && line.state);
  const column = <T, V>(rows: T[], pick: (row: T) => V) => sql.param(rows.map(pick));
  if (ports.length > 0) {
    const p = ports.map((line) => ({ line, s: line.state! }));
    await tx.execute(sql`
      insert into access_ports (node_id, if_index, admin_status, oper_status, since, speed_mbps, duplex, in_errors,
        out_errors, errors_at, previous_in_errors, previous_out_errors, previous_errors_at, checked_at)
      select * from unnest(${column(p, (r) => r.line.nodeId)}::int[], ${column(p, (r) => r.line.ifIndex)}::int[],
        ${column(p, (r) => r.s.adminStatus)}::text[], ${column(p, (r) => r.s.operStatus)}::text[],
        ${column(p, (r) => iso(r.s.since))}::timestamptz[], ${column(p, (r) => r.s.speedMbps)}::int[],
        ${column(p, (r) => r.s.duplex)}::text[], ${column(p, (r) => r.s.inErrors)}::bigint[],
        ${column(p, (r) => r.s.outErrors)}::bigint[], ${column(p, (r) => iso(r.s.errorsAt))}::timestamptz[],
        ${column(p, (r) => r.s.previousInErrors)}::bigint[], ${column(p, (r) => r.s.previousOutErrors)}::bigint[],
        ${column(p, (r) => iso(r.s.previousErrorsAt))}::timestamptz[], ${column(p, (r) => iso(r.s.checkedAt))}::timestamptz[])
      on conflict (node_id, if_index) do update set admin_status = excluded.admin_status,
        oper_status = excluded.oper_status, since = excluded.since, speed_mbps = excluded.speed_mbps,
        duplex = excluded.duplex, in_errors = excluded.in_errors, out_errors = excluded.out_errors,
        errors_at = excluded.errors_at, previous_in_errors = excluded.previous_in_errors,
        previous_out_errors = excluded.previous_out_errors, previous_errors_at = excluded.previous_errors_at,
        checked_at = excluded.checked_at`);
  }
  if (macs.length > 0) {
    // A text[] per port does not fit unnest's one-dimensional arrays: each list goes as JSON.
    await tx.execute(sql`
      insert into access_port_macs (node_id, if_index, macs, checked_at)
      select node_id, if_index, array(select jsonb_array_elements_text(macs)), checked_at
      from unnest(${column(macs, (l) => l.nodeId)}::int[], ${column(macs, (l) => l.ifIndex)}::int[],
        ${column(macs, (l) => JSON.stringify(l.macs!.macs))}::jsonb[],
        ${column(macs, (l) => iso(l.macs!.checkedAt))}::timestamptz[]) as v(node_id, if_index, macs, checked_at)
      on conflict (node_id, if_index) do update set macs = excluded.macs, checked_at = excluded.checked_at`);
  }
  if (onts.length > 0) {
    const o = onts.map((line) => ({ line, s: line.state! }));
    await tx.execute(sql`
      insert into access_onts (node_id, if_index, ont_id, state, since, last_down_cause, rx_power_dbm, tx_power_dbm,
        rx_within, checked_at)
      select * from unnest(${column(o, (r) => r.line.nodeId)}::int[], ${column(o, (r) => r.line.ifIndex)}::int[],
        ${column(o, (r) => r.line.ontId)}::int[], ${column(o, (r) => r.s.state)}::text[],
        ${column(o, (r) => iso(r.s.since))}::timestamptz[], ${column(o, (r) => r.s.lastDownCause)}::text[],
        ${column(o, (r) => r.s.rxPowerDbm)}::float8[], ${column(o, (r) => r.s.txPowerDbm)}::float8[],
        ${column(o, (r) => r.s.rxWithin)}::boolean[], ${column(o, (r) => iso(r.s.checkedAt))}::timestamptz[])
      on conflict (node_id, if_index, ont_id) do update set state = excluded.state, since = excluded.since,
        last_down_cause = excluded.last_down_cause, rx_power_dbm = excluded.rx_power_dbm,
        tx_power_dbm = excluded.tx_power_dbm, rx_within = excluded.rx_within, checked_at = excluded.checked_at`);
  }
  if (nodes.length > 0) {
    const n = nodes.map((line) => ({ line, s: line.state! }));
    await tx.execute(sql`
      insert into access_node_reachability (node_id, reachable, since, last_error, checked_at)
      select * from unnest(${column(n, (r) => r.line.nodeId)}::int[], ${column(n, (r) => r.s.reachable)}::boolean[],
        ${column(n, (r) => iso(r.s.since))}::timestamptz[], ${column(n, (r) => r.s.lastError)}::text[],
        ${column(n, (r) => iso(r.s.checkedAt))}::timestamptz[])
      on conflict (node_id) do update set reachable = excluded.reachable, since = excluded.since,
        last_error = excluded.last_error, checked_at = excluded.checked_at`);
  }
  const changes = pending.changes;
  if (changes.length > 0) {
    await tx.execute(sql`
      insert into access_line_changes (node_id, if_index, ont_id, at, change, details)
      select * from unnest(${column(changes, (c) => c.nodeId)}::int[], ${column(changes, (c) => c.ifIndex)}::int[],
        ${column(changes, (c) => c.ontId)}::int[], ${column(changes, (c) => c.at.toISOString())}::timestamptz[],
        ${column(changes, (c) => c.change)}::text[], ${column(changes, (c) => JSON.stringify(c.details))}::jsonb[])`);
  }
  // The cards showing a line of these nodes read it again. Ids only, as every wake-up; one per node
  // that changed, in one statement at the transaction's end (write-behind).
  for (const nodeId of pending.nodes) await publishLive(tx, { topic: ACCESS_LINE_TOPIC, data: { nodeId } });
}
