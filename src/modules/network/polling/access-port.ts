import { sql } from 'drizzle-orm';
import type { AppContext } from '../../core/context.js';

/** Where an account's line ends on the network: its node, and the port when one is on record. */
export interface AccountAccessPort {
  accountId: number;
  nodeId: number;
  node: string;
  nodeKind: string;
  managementIp: string;
  port: { id: number; name: string; ifIndex: number; medium: string } | null;
  /** Other accounts whose connection ends on the same port (a building's or an office's shared port). */
  otherAccountsOnPort: number;
}

/**
 * The access node and port of a subscriber's account (`accountId`, else the subscriber's first
 * account with a connection); null when none has a connection on record.
 */
export async function accountAccessPort(
  ctx: AppContext,
  subscriberId: number,
  accountId?: number,
): Promise<AccountAccessPort | null> {
  const [row] = await ctx.database.rows<{
    account_id: number;
    node_id: number;
    node: string;
    node_kind: string;
    management_ip: string;
    port_id: number | null;
    port: string | null;
    if_index: number | null;
    medium: string | null;
    others: number;
  }>(sql`
    select sc.account_id, node.id as node_id, node.name as node, node.kind as node_kind, node.management_ip,
      port.id as port_id, port.name as port, port.if_index, port.medium,
      (select count(*)::int from service_connections other
        where other.port_id = sc.port_id and other.account_id <> sc.account_id) as others
    from service_connections sc
    join accounts a on a.id = sc.account_id
    join network_nodes node on node.id = sc.node_id
    left join network_ports port on port.id = sc.port_id
    where a.subscriber_id = ${subscriberId} ${accountId === undefined ? sql`` : sql`and sc.account_id = ${accountId}`}
    order by sc.account_id limit 1`);
  if (!row) return null;
  return {
    accountId: row.account_id,
    nodeId: row.node_id,
    node: row.node,
    nodeKind: row.node_kind,
    managementIp: row.management_ip,
    port:
      row.port_id === null || row.port === null || row.if_index === null
        ? null
        : { id: row.port_id, name: row.port, ifIndex: row.if_index, medium: row.medium ?? '' },
    otherAccountsOnPort: row.others,
  };
}
