import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/connection.js';

/** The recorded agents' data (testdata/*.snmprec), for tests and the simulator. */
export function recordedData(name: 'switch-snr' | 'olt-huawei' | 'olt-zte'): string {
  return fs.readFileSync(new URL(`./testdata/${name}.snmprec`, import.meta.url), 'utf8');
}

/** The data with one object's line replaced (or added, kept in OID order by the caller's choice of OID). */
export function withObject(data: string, oid: string, type: string | number, value: string | number): string {
  const lines = data.trimEnd().split('\n');
  const at = lines.findIndex((line) => line.startsWith(`${oid}|`));
  const line = `${oid}|${type}|${value}`;
  if (at >= 0) lines[at] = line;
  else throw new Error(`no ${oid} in the data`);
  return `${lines.join('\n')}\n`;
}

/** A node put on record for a test, with its ports (ifIndex and name), in 127.0.0.0/8. */
export async function addTestNode(
  database: Database,
  node: { name: string; kind: 'access_switch' | 'olt'; model: string; managementIp: string },
  ports: { name: string; ifIndex: number; medium: string }[],
): Promise<{ id: number; portIds: Map<number, number> }> {
  if (!node.managementIp.startsWith('127.')) throw new Error('test nodes live in 127.0.0.0/8');
  const [row] = await database.rows<{ id: number }>(sql`
    insert into network_nodes (kind, name, model, management_ip)
    values (${node.kind}, ${node.name}, ${node.model}, ${node.managementIp}) returning id`);
  if (!row) throw new Error('node not added');
  const portIds = new Map<number, number>();
  for (const port of ports) {
    const [added] = await database.rows<{ id: number }>(sql`
      insert into network_ports (node_id, name, if_index, medium)
      values (${row.id}, ${port.name}, ${port.ifIndex}, ${port.medium}) returning id`);
    if (added) portIds.set(port.ifIndex, added.id);
  }
  return { id: row.id, portIds };
}
