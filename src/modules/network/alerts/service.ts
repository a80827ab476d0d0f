import { sql } from 'drizzle-orm';
import type { NodeAlert } from '../../../common/api/access-line.js';
import type { Db } from '../../../db/connection.js';

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
  const result = await db.execute(sql`
    select a.source, n.name as node, a.name, a.severity, a.status, a.acknowledged, a.summary,
      a.started_at, a.ended_at, a.updated_at
    from monitoring_alerts a
    join network_nodes n on n.id = a.node_id
    where a.node_id = any(${sql.param(nodeIds)}::int[]) and (a.status = 'firing' or a.ended_at >= ${since})
    order by a.started_at desc, a.id desc`);
  return (result as unknown as { rows: NodeAlertRow[] }).rows.map((row) => ({
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
