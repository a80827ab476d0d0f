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

/** One port of a simulated switch: its ifIndex, link, and the MACs learnt on it. */
export interface SimulatedPort {
  ifIndex: number;
  /** Its name (ifDescr), as the switch calls it. */
  name?: string;
  up: boolean;
  macs?: string[];
  /** ifInErrors so far (a bad cable makes it grow). */
  inErrors?: number;
}

const oidOrder = (a: string, b: string) => {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  }
  return x.length - y.length;
};

/**
 * snmpsim data for a switch with these ports (IF-MIB, EtherLike-MIB, BRIDGE-MIB, bridge port =
 * ifIndex), in OID order as snmpsimd needs it; ifAdminStatus takes SETs (writecache). For a demo
 * or a test that flips a port by writing the data again.
 */
export function simulatedSwitch(name: string, ports: SimulatedPort[]): string {
  const rows: [string, string | number, string | number][] = [
    ['1.3.6.1.2.1.1.1.0', 4, `Linedesk simulated switch ${name}`],
    ['1.3.6.1.2.1.1.3.0', 67, 8_640_000],
    ['1.3.6.1.2.1.1.5.0', 4, name],
  ];
  for (const { ifIndex: i, name: portName, up, macs = [], inErrors = 0 } of ports) {
    if (portName) rows.push([`1.3.6.1.2.1.2.2.1.2.${i}`, 4, portName]);
    rows.push(
      [`1.3.6.1.2.1.2.2.1.1.${i}`, 2, i],
      [`1.3.6.1.2.1.2.2.1.7.${i}`, '2:writecache', 'value=1'],
      [`1.3.6.1.2.1.2.2.1.8.${i}`, 2, up ? 1 : 2],
      [`1.3.6.1.2.1.2.2.1.14.${i}`, 65, inErrors],
      [`1.3.6.1.2.1.2.2.1.20.${i}`, 65, 0],
      [`1.3.6.1.2.1.31.1.1.1.15.${i}`, 66, up ? 100 : 0],
      [`1.3.6.1.2.1.10.7.2.1.19.${i}`, 2, up ? 3 : 1],
      [`1.3.6.1.2.1.17.1.4.1.2.${i}`, 2, i],
    );
    for (const mac of up ? macs : []) {
      const octets = mac.split(':').map((hex) => Number.parseInt(hex, 16));
      rows.push([`1.3.6.1.2.1.17.4.3.1.2.${octets.join('.')}`, 2, i]);
    }
  }
  return `${rows
    .sort((a, b) => oidOrder(a[0], b[0]))
    .map(([oid, type, value]) => `${oid}|${type}|${value}`)
    .join('\n')}\n`;
}

/**
 * Writes an snmpsim data file in one step and returns the modification time given to it (whole
 * seconds). snmpsimd serves a file through an index it builds, and builds it again only when the
 * file is newer than the index; a file older than its index is served through the old index's
 * offsets, which no longer fit it (wrong or no answers). So each write is dated after both the
 * last write and now, the index having been built at the latest now.
 */
export function writeSnmpsimData(file: string, data: string, previousTime: number): number {
  const time = Math.max(previousTime + 2, Math.floor(Date.now() / 1000) + 2);
  fs.writeFileSync(`${file}.next`, data.endsWith('\n') ? data : `${data}\n`, { mode: 0o644 });
  fs.renameSync(`${file}.next`, file);
  fs.utimesSync(file, time, time);
  return time;
}
