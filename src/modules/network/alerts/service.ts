import { type SQL, sql } from 'drizzle-orm';
import { ACCESS_LINE_TOPIC, type NodeAlert } from '../../../common/api/access-line.js';
import type { Db } from '../../../db/connection.js';
import { withWriteBehind } from '../../../db/write-behind.js';
import type { AppContext } from '../../core/context.js';
import { publishLive } from '../../live/service.js';
import { type AlertState, type IncomingAlert, nextAlertState, sameAlertState } from './incoming.js';
import { findNodes } from './node-match.js';

export type { IncomingAlert } from './incoming.js';

const rowsOf = async <T>(db: Db, query: SQL) => ((await db.execute(query)) as unknown as { rows: T[] }).rows;

const iso = (value: Date | string) => new Date(value).toISOString();

interface NodeAlertRow {
  source: NodeAlert['source'];
  node: string;
  name: string;
  severity: string | null;
  status: NodeAlert['status'];
  acknowledged: boolean;
  summary: string | null;
  started_at: Date | string;
  ended_at: Date | string | null;
  updated_at: Date | string;
}

/**
 * The alerts on these nodes the card shows: those still firing, and those resolved since `since`,
 * newest first. Alerts whose node is unknown are not anyone's.
 */
export async function alertsOfNodes(db: Db, nodeIds: number[], since: Date): Promise<NodeAlert[]> {
  if (nodeIds.length === 0) return [];
  const rows = await rowsOf<NodeAlertRow>(
    db,
    sql`
    select a.source, n.name as node, a.name, a.severity, a.status, a.acknowledged, a.summary,
      a.started_at, a.ended_at, a.updated_at
    from monitoring_alerts a
    join network_nodes n on n.id = a.node_id
    where a.node_id = any(${sql.param(nodeIds)}::int[]) and (a.status = 'firing' or a.ended_at >= ${since})
    order by a.started_at desc, a.id desc`,
  );
  return rows.map((row) => ({
    source: row.source,
    node: row.node,
    name: row.name,
    severity: row.severity,
    status: row.status,
    acknowledged: row.acknowledged,
    summary: row.summary,
    startedAt: iso(row.started_at),
    endedAt: row.ended_at === null ? null : iso(row.ended_at),
    updatedAt: iso(row.updated_at),
  }));
}

export interface AlertsRecorded {
  /** Alerts whose stored state changed (new ones included). */
  changed: number;
  /** Alerts no node on record answers to (stored all the same, without a node). */
  unknownNodes: number;
}

interface StoredRow {
  id: number | string;
  source: string;
  external_id: string;
  node_id: number | null;
  node_identifier: string | null;
  name: string;
  severity: string | null;
  status: AlertState['status'];
  acknowledged: boolean;
  summary: string | null;
  started_at: Date | string;
  ended_at: Date | string | null;
}

// No source holds a "/", so the key is one alert's alone.
const keyOf = (alert: { source: string; externalId: string }) => `${alert.source}/${alert.externalId}`;

/**
 * Stores what one webhook request told, in one transaction and a few statements whatever its size
 * (an Alertmanager group may hold hundreds of alerts; budget: 10,000 status events/s,
 * docs/benchmarks.md): the alerts' locks, their nodes, their stored states, then the new ones and
 * the changed ones one statement each. Alerts of one request are applied in order, each against
 * what the one before it left (nextAlertState). Every node whose alerts changed gets one
 * `access-line` wake-up, so the cards showing it read again.
 */
export async function recordAlerts(ctx: AppContext, alerts: readonly IncomingAlert[]): Promise<AlertsRecorded> {
  if (alerts.length === 0) return { changed: 0, unknownNodes: 0 };
  const receivedAt = ctx.clock();
  return ctx.database.db.transaction((tx) =>
    withWriteBehind(tx, async () => {
      const keys = [...new Set(alerts.map(keyOf))];
      await lockAlerts(tx, keys);
      const nodes = await findNodes(
        tx,
        alerts.map((alert) => alert.identifiers),
      );
      const stored = await readStoredAlerts(tx, alerts);
      const current = new Map<string, AlertState>();
      alerts.forEach((alert, index) => {
        const key = keyOf(alert);
        const found = nodes[index] ?? null;
        const before = current.get(key) ?? stored.get(key)?.state ?? null;
        current.set(
          key,
          nextAlertState(before, {
            ...alert,
            nodeId: found?.nodeId ?? null,
            nodeIdentifier: found?.identifier ?? alert.identifiers[0] ?? null,
            receivedAt,
          }),
        );
      });
      const inserted: { alert: IncomingAlert; state: AlertState }[] = [];
      const updated: { id: number; state: AlertState }[] = [];
      const woken = new Set<number>();
      const first = new Map(alerts.map((alert) => [keyOf(alert), alert]));
      for (const [key, state] of current) {
        const before = stored.get(key);
        if (before && sameAlertState(before.state, state)) continue;
        if (before) updated.push({ id: before.id, state });
        else inserted.push({ alert: first.get(key) as IncomingAlert, state });
        for (const nodeId of [before?.state.nodeId, state.nodeId]) if (typeof nodeId === 'number') woken.add(nodeId);
      }
      await insertAlerts(tx, inserted, receivedAt);
      await updateAlerts(tx, updated, receivedAt);
      for (const nodeId of woken) await publishLive(tx, { topic: ACCESS_LINE_TOPIC, data: { nodeId } });
      return { changed: inserted.length + updated.length, unknownNodes: nodes.filter((node) => node === null).length };
    }),
  );
}

/**
 * Two instances (or a system that retries while the first request is still running) may bring
 * one alert at once: one transaction at a time holds it, so each judges the other's committed
 * state, and an alert new to both is inserted once. Taken in one order, so two never wait on
 * each other.
 */
async function lockAlerts(tx: Db, keys: string[]): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(h) from (
      select distinct hashtextextended('monitoring-alert:' || k, 0) as h from unnest(${sql.param(keys)}::text[]) k
      order by h) locks`);
}

async function readStoredAlerts(
  tx: Db,
  alerts: readonly IncomingAlert[],
): Promise<Map<string, { id: number; state: AlertState }>> {
  const rows = await rowsOf<StoredRow>(
    tx,
    sql`select a.id, a.source, a.external_id, a.node_id, a.node_identifier, a.name, a.severity, a.status,
          a.acknowledged, a.summary, a.started_at, a.ended_at
        from unnest(${sql.param(alerts.map((a) => a.source))}::text[], ${sql.param(alerts.map((a) => a.externalId))}::text[])
          as k(source, external_id)
        -- offset 0: each key by the unique index, never a scan of the whole table to join with.
        join lateral (select * from monitoring_alerts a where a.source = k.source and a.external_id = k.external_id
          offset 0) a on true`,
  );
  return new Map(
    rows.map((row) => [
      keyOf({ source: row.source, externalId: row.external_id }),
      {
        id: Number(row.id),
        state: {
          nodeId: row.node_id,
          nodeIdentifier: row.node_identifier,
          name: row.name,
          severity: row.severity,
          status: row.status,
          acknowledged: row.acknowledged,
          summary: row.summary,
          startedAt: new Date(row.started_at),
          endedAt: row.ended_at === null ? null : new Date(row.ended_at),
        },
      },
    ]),
  );
}

const isoOf = (date: Date | null) => (date === null ? null : date.toISOString());

function stateColumns(states: AlertState[]): SQL {
  const column = <T>(pick: (state: AlertState) => T) => sql.param(states.map(pick));
  return sql`${column((s) => s.nodeId)}::int[], ${column((s) => s.nodeIdentifier)}::text[], ${column((s) => s.name)}::text[],
    ${column((s) => s.severity)}::text[], ${column((s) => s.status)}::text[], ${column((s) => s.acknowledged)}::boolean[],
    ${column((s) => s.summary)}::text[], ${column((s) => isoOf(s.startedAt))}::timestamptz[],
    ${column((s) => isoOf(s.endedAt))}::timestamptz[]`;
}

async function insertAlerts(tx: Db, rows: { alert: IncomingAlert; state: AlertState }[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(
    sql`insert into monitoring_alerts (source, external_id, node_id, node_identifier, name, severity, status,
          acknowledged, summary, started_at, ended_at, updated_at)
        select v.*, ${at}::timestamptz from unnest(${sql.param(rows.map((r) => r.alert.source))}::text[],
          ${sql.param(rows.map((r) => r.alert.externalId))}::text[], ${stateColumns(rows.map((r) => r.state))}) as v`,
  );
}

async function updateAlerts(tx: Db, rows: { id: number; state: AlertState }[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  const ids = sql.param(rows.map((r) => r.id));
  // `a.id = any(...)` too: the rows by their primary key, not a scan of the table to join with.
  await tx.execute(
    sql`update monitoring_alerts a set node_id = v.node_id, node_identifier = v.node_identifier, name = v.name,
          severity = v.severity, status = v.status, acknowledged = v.acknowledged, summary = v.summary,
          started_at = v.started_at, ended_at = v.ended_at, updated_at = ${at}::timestamptz
        from unnest(${ids}::bigint[], ${stateColumns(rows.map((r) => r.state))})
          as v(id, node_id, node_identifier, name, severity, status, acknowledged, summary, started_at, ended_at)
        where a.id = v.id and a.id = any(${ids}::bigint[])`,
  );
}
