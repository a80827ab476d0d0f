import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../../db/connection.js';

const rowsOf = async <T>(db: Db, query: SQL) => ((await db.execute(query)) as unknown as { rows: T[] }).rows;

const IPV4_WITH_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/;
const IPV6_WITH_PORT = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/;
const HOST_WITH_PORT = /^([a-z0-9][a-z0-9_.-]*):\d{1,5}$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * The forms in which a node's name or management address may hide in what a monitoring system
 * sends, most exact first: the value itself (lower case), without a scheme, path or port
 * (Prometheus `instance` is "127.0.3.7:9116", a blackbox target "http://sw-1:80/"), and a host
 * name's first label ("sw-lenina-5.net.example" for the node sw-lenina-5).
 */
export function nodeKeysOf(identifier: string): string[] {
  const keys: string[] = [];
  const add = (key: string) => {
    if (key !== '' && !keys.includes(key)) keys.push(key);
  };
  const value = identifier.trim().toLowerCase();
  add(value);
  const host = value.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/\/.*$/, '');
  add(host);
  const bare =
    IPV4_WITH_PORT.exec(host)?.[1] ?? IPV6_WITH_PORT.exec(host)?.[1] ?? HOST_WITH_PORT.exec(host)?.[1] ?? host;
  add(bare);
  if (!IPV4.test(bare) && !bare.includes(':') && bare.includes('.')) add(bare.slice(0, bare.indexOf('.')));
  return keys;
}

export interface NodeFound {
  nodeId: number;
  /** The identifier (as it came) the node was found by. */
  identifier: string;
}

/**
 * The node of each alert, from the identifiers each carries (most telling first), in one
 * statement for the batch: a node's name in any case, or its management address. Null where no
 * node answers to any of them.
 */
export async function findNodes(db: Db, identifiersOfAlerts: string[][]): Promise<(NodeFound | null)[]> {
  const alertIndexes: number[] = [];
  const keys: string[] = [];
  const origins: string[] = [];
  identifiersOfAlerts.forEach((identifiers, alert) => {
    for (const identifier of identifiers) {
      for (const key of nodeKeysOf(identifier)) {
        alertIndexes.push(alert);
        keys.push(key);
        origins.push(identifier);
      }
    }
  });
  const found: (NodeFound | null)[] = identifiersOfAlerts.map(() => null);
  if (keys.length === 0) return found;
  // A key's position in the arrays ranks it: an alert's keys come in the order of preference.
  const rows = await rowsOf<{ alert: number; node_id: number; position: number }>(
    db,
    sql`with k as (
          select * from unnest(${sql.param(alertIndexes)}::int[], ${sql.param(keys)}::text[]) with ordinality
            as k(alert, key, position))
        select distinct on (alert) alert, node_id, position from (
          select k.alert, k.position, n.id as node_id from k join network_nodes n on lower(n.name) = k.key
          union all
          select k.alert, k.position, n.id from k join network_nodes n on n.management_ip = k.key) m
        order by alert, position, node_id`,
  );
  for (const row of rows) {
    found[row.alert] = { nodeId: row.node_id, identifier: origins[Number(row.position) - 1] ?? '' };
  }
  return found;
}
