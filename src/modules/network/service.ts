import { type SQL, sql } from 'drizzle-orm';

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
