import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';

/**
 * How an account reaches the network, with the chain of uplinks from its node to the core, as one
 * JSON value (null when the account has no connection). It is an SQL expression rather than a
 * query of its own so the subscriber card can read everything in one round trip; `accountId` is
 * an SQL expression of the caller's statement. The topology is shallow (access → aggregation →
 * core), so three self-joins reach the top.
 */
export function connectionJsonOf(accountId: SQL): SQL {
  return sql`(select json_build_object(
      'method', sc.method, 'pppoeLogin', sc.pppoe_login,
      'nodeName', node.name, 'nodeKind', node.kind, 'nodeManagementIp', node.management_ip,
      'portName', port.name, 'vlan', sc.vlan,
      'option82CircuitId', sc.option82_circuit_id, 'option82RemoteId', sc.option82_remote_id,
      'mac', sc.mac, 'staticIp', sc.static_ip,
      'uplinkPath', array_remove(array[up1.name, up2.name, up3.name], null))
    from service_connections sc
    join network_nodes node on node.id = sc.node_id
    left join network_ports port on port.id = sc.port_id
    left join network_nodes up1 on up1.id = node.uplink_node_id
    left join network_nodes up2 on up2.id = up1.uplink_node_id
    left join network_nodes up3 on up3.id = up2.uplink_node_id
    where sc.account_id = ${accountId})`;
}

/** What a NAS tells of a session that may name the account behind it (each normalised by the caller). */
export interface SessionKeys {
  pppoeLogin: string | null;
  /** 12 lower-case hex digits. */
  mac: string | null;
  ip: string | null;
  /** DHCP Option 82 (RFC 3046) as the access switch wrote it: the port, and the switch (text or its MAC's hex). */
  circuitId: string | null;
  remoteId: string | null;
}

export interface SessionAccount {
  accountId: number;
  subscriberId: number;
  matchedBy: 'pppoe_login' | 'option82' | 'mac' | 'ip';
}

/**
 * The account a NAS session belongs to, through the connections on record, the surest key first:
 * the PPPoE login, then the switch port by Option 82 (the circuit id alone only when one
 * connection has it: port names repeat across switches), then the CPE's MAC, then a static IP.
 * Null when nothing matches, or a key matches more than one account.
 */
export async function accountOfSession(db: Db, keys: SessionKeys): Promise<SessionAccount | null> {
  const remoteHex = keys.remoteId?.toLowerCase().replace(/[^0-9a-f]/g, '') ?? null;
  const candidates = sql`
    select 'pppoe_login' as matched_by, 1 as rank, sc.account_id from service_connections sc
      where ${keys.pppoeLogin}::text is not null and sc.pppoe_login = ${keys.pppoeLogin}
    union all
    select 'option82', 2, sc.account_id from service_connections sc
      where ${keys.circuitId}::text is not null and sc.option82_circuit_id = ${keys.circuitId}
        and (${keys.remoteId}::text is null or sc.option82_remote_id = ${keys.remoteId}
          or lower(regexp_replace(sc.option82_remote_id, '[^0-9A-Fa-f]', '', 'g')) = ${remoteHex})
    union all
    select 'mac', 3, sc.account_id from service_connections sc
      where ${keys.mac}::text is not null and lower(regexp_replace(sc.mac, '[^0-9A-Fa-f]', '', 'g')) = ${keys.mac}
    union all
    select 'ip', 4, sc.account_id from service_connections sc
      where ${keys.ip}::text is not null and sc.static_ip = ${keys.ip}`;
  const rows = (await db.execute(sql`
    with c as (${candidates}),
    best as (select min(rank) as rank from c)
    select c.matched_by, c.account_id, a.subscriber_id
    from c join best on c.rank = best.rank join accounts a on a.id = c.account_id
    limit 2`)) as unknown as {
    rows: { matched_by: SessionAccount['matchedBy']; account_id: number; subscriber_id: number }[];
  };
  const [first, second] = rows.rows;
  if (!first || (second && second.account_id !== first.account_id)) return null;
  return { accountId: first.account_id, subscriberId: first.subscriber_id, matchedBy: first.matched_by };
}
