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
  return (await accountsOfSessions(db, [keys]))[0] ?? null;
}

/**
 * accountOfSession for many sessions in one statement (a batch of accounting records), in the
 * order given: each by its surest key, null when nothing matches or that key names two accounts.
 */
export async function accountsOfSessions(db: Db, keys: SessionKeys[]): Promise<(SessionAccount | null)[]> {
  if (keys.length === 0) return [];
  const column = (pick: (key: SessionKeys) => string | null) => sql.param(keys.map(pick));
  const rows = (await db.execute(sql`
    with k as (
      select * from unnest(${column((key) => key.pppoeLogin)}::text[], ${column((key) => key.circuitId)}::text[],
        ${column((key) => key.remoteId)}::text[],
        ${column((key) => key.remoteId?.toLowerCase().replace(/[^0-9a-f]/g, '') ?? null)}::text[],
        ${column((key) => key.mac)}::text[], ${column((key) => key.ip)}::text[])
        with ordinality as k(login, circuit, remote, remote_hex, mac, ip, i)),
    -- Per key, by index (a hash join would compute every connection's normalised MAC).
    c as (
      select k.i, m.matched_by, m.rank, m.account_id from k cross join lateral (
        select 'pppoe_login' as matched_by, 1 as rank, sc.account_id from service_connections sc
          where sc.pppoe_login = k.login
        union all
        select 'option82', 2, sc.account_id from service_connections sc
          where sc.option82_circuit_id = k.circuit and (k.remote is null or sc.option82_remote_id = k.remote
            or lower(regexp_replace(sc.option82_remote_id, '[^0-9A-Fa-f]', '', 'g')) = k.remote_hex)
        union all
        select 'mac', 3, sc.account_id from service_connections sc
          where lower(regexp_replace(sc.mac, '[^0-9A-Fa-f]', '', 'g')) = k.mac
        union all
        select 'ip', 4, sc.account_id from service_connections sc where sc.static_ip = k.ip
        offset 0) m),
    best as (select i, min(rank) as rank from c group by i)
    select c.i, min(c.matched_by) as matched_by, min(c.account_id) as account_id,
      max(c.account_id) as other_account_id, min(a.subscriber_id) as subscriber_id
    from c join best on c.i = best.i and c.rank = best.rank join accounts a on a.id = c.account_id
    group by c.i`)) as unknown as {
    rows: {
      i: number | string;
      matched_by: SessionAccount['matchedBy'];
      account_id: number;
      other_account_id: number;
      subscriber_id: number;
    }[];
  };
  const found: (SessionAccount | null)[] = keys.map(() => null);
  for (const row of rows.rows) {
    if (row.account_id !== row.other_account_id) continue;
    found[Number(row.i) - 1] = {
      accountId: row.account_id,
      subscriberId: row.subscriber_id,
      matchedBy: row.matched_by,
    };
  }
  return found;
}

/**
 * A MAC in any form it is written on record, by a NAS or by a switch (`AA:BB:CC:DD:EE:FF`,
 * `aa-bb-cc-dd-ee-ff`, Cisco's `aabb.ccdd.eeff`, bare hex) as 12 lower-case hex digits; null for
 * anything else.
 */
export function macDigits(text: string | null | undefined): string | null {
  if (!text) return null;
  const trimmed = text.trim();
  if (
    !/^[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}$|^[0-9A-Fa-f]{4}(\.[0-9A-Fa-f]{4}){2}$|^[0-9A-Fa-f]{12}$/.test(trimmed)
  ) {
    return null;
  }
  return trimmed.replace(/[^0-9A-Fa-f]/g, '').toLowerCase();
}
