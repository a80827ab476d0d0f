import { sql } from 'drizzle-orm';
import type { AppContext } from '../../core/context.js';

/** A node as the SNMP poller and trap receiver need it. */
export interface PolledNode {
  id: number;
  name: string;
  kind: 'core' | 'aggregation' | 'access_switch' | 'olt';
  model: string;
  managementIp: string;
}

/** A port on record: the poller reports only these (a node's other interfaces are not the ISP's lines). */
export interface PortOnRecord {
  id: number;
  nodeId: number;
  name: string;
  ifIndex: number;
  medium: string;
}

/** The nodes of these names that are on record, by name. */
export async function networkNodesNamed(ctx: AppContext, names: string[]): Promise<Map<string, PolledNode>> {
  if (names.length === 0) return new Map();
  const rows = await ctx.database.rows<PolledNode>(sql`
    select id, name, kind, model, management_ip as "managementIp"
    from network_nodes where name = any(${sql.param(names)}::text[])`);
  return new Map(rows.map((row) => [row.name, row]));
}

/** The ports on record of these nodes, by node id. */
export async function portsOfNodes(ctx: AppContext, nodeIds: number[]): Promise<Map<number, PortOnRecord[]>> {
  const byNode = new Map<number, PortOnRecord[]>();
  if (nodeIds.length === 0) return byNode;
  const rows = await ctx.database.rows<PortOnRecord>(sql`
    select id, node_id as "nodeId", name, if_index as "ifIndex", medium
    from network_ports where node_id = any(${sql.param(nodeIds)}::int[]) order by node_id, if_index`);
  for (const row of rows) {
    let ports = byNode.get(row.nodeId);
    if (!ports) {
      ports = [];
      byNode.set(row.nodeId, ports);
    }
    ports.push(row);
  }
  return byNode;
}
