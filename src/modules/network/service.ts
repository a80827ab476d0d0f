import { eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/connection.js';
import { networkNodes, networkPorts, serviceConnections } from './schema.js';

/** How an account reaches the network, with the chain of uplinks from its node to the core. */
export async function connectionOfAccount(db: Db, accountId: number) {
  const [row] = await db
    .select({
      method: serviceConnections.method,
      pppoeLogin: serviceConnections.pppoeLogin,
      nodeId: networkNodes.id,
      nodeName: networkNodes.name,
      nodeKind: networkNodes.kind,
      nodeManagementIp: networkNodes.managementIp,
      uplinkNodeId: networkNodes.uplinkNodeId,
      portName: networkPorts.name,
      vlan: serviceConnections.vlan,
      option82CircuitId: serviceConnections.option82CircuitId,
      option82RemoteId: serviceConnections.option82RemoteId,
      mac: serviceConnections.mac,
      staticIp: serviceConnections.staticIp,
    })
    .from(serviceConnections)
    .innerJoin(networkNodes, eq(networkNodes.id, serviceConnections.nodeId))
    .leftJoin(networkPorts, eq(networkPorts.id, serviceConnections.portId))
    .where(eq(serviceConnections.accountId, accountId));
  if (!row) return null;
  const { nodeId: _nodeId, uplinkNodeId, ...connection } = row;
  return { ...connection, uplinkPath: await uplinkPath(db, uplinkNodeId) };
}

// The topology is shallow (access → aggregation → core), so two self-joins reach the top.
async function uplinkPath(db: Db, firstUplinkId: number | null): Promise<string[]> {
  if (firstUplinkId === null) return [];
  const upper = alias(networkNodes, 'upper');
  const top = alias(networkNodes, 'top');
  const [row] = await db
    .select({ first: networkNodes.name, second: upper.name, third: top.name })
    .from(networkNodes)
    .leftJoin(upper, eq(upper.id, networkNodes.uplinkNodeId))
    .leftJoin(top, eq(top.id, upper.uplinkNodeId))
    .where(eq(networkNodes.id, firstUplinkId));
  return row ? [row.first, row.second, row.third].filter((name): name is string => name !== null) : [];
}
