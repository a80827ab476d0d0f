import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/connection.js';
import { testContext } from '../../../testing/context.js';
import { openAnotherPool, openTestDatabase } from '../../../testing/database.js';
import type { AppContext } from '../../core/context.js';
import type { AccessObservation, PortObservation } from './observations.js';
import { recordAccessObservations } from './service.js';

// PostgreSQL only: two instances (each its own pool) writing the same port at once, as when one
// polls a switch while the other takes its linkDown trap.
let database: Database;
let other: Database;
let first: AppContext;
let second: AppContext;
let ports: { node_id: number; if_index: number }[] = [];
beforeAll(async () => {
  database = await openTestDatabase();
  other = await openAnotherPool(database);
  first = testContext(database);
  second = testContext(other);
  ports = await database.rows<{ node_id: number; if_index: number }>(sql`
    select p.node_id, p.if_index from network_ports p join network_nodes n on n.id = p.node_id
    where n.kind = 'access_switch' order by p.id limit 60`);
});
afterAll(async () => {
  await other?.close();
  await database?.close();
});

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 25, 9, 0, seconds));
const reading = (
  line: { node_id: number; if_index: number },
  seconds: number,
  operStatus: 'up' | 'down',
): PortObservation => ({
  kind: 'port',
  nodeId: line.node_id,
  ifIndex: line.if_index,
  at: at(seconds),
  source: seconds % 2 ? 'trap' : 'poll',
  operStatus,
});

const changesOf = (line: { node_id: number; if_index: number }) =>
  database.rows<{ change: string }>(sql`
    select change from access_line_changes where node_id = ${line.node_id} and if_index = ${line.if_index}
    order by at, id`);

const stateOf = async (line: { node_id: number; if_index: number }) =>
  (
    await database.rows<{ oper_status: string }>(
      sql`select oper_status from access_ports where node_id = ${line.node_id} and if_index = ${line.if_index}`,
    )
  )[0]?.oper_status;

describe('two instances writing the same port at once', () => {
  it('the same linkDown on both: one port-down, judged once as a change and once as nothing new', async () => {
    for (let round = 0; round < 10; round++) {
      const line = ports[round] as { node_id: number; if_index: number };
      await recordAccessObservations(first, [reading(line, 0, 'up')]);
      const down = reading(line, 1, 'down');
      const outcomes = await Promise.all([
        recordAccessObservations(first, [down]),
        recordAccessObservations(second, [down]),
      ]);
      expect(outcomes.flat().sort()).toEqual(['changed', 'refreshed']);
      expect((await changesOf(line)).map((c) => c.change)).toEqual(['port-down']);
    }
  });

  it('a poll and a newer trap at once: whichever commits first, the newer state stays and no change is lost', async () => {
    for (let round = 10; round < 30; round++) {
      const line = ports[round] as { node_id: number; if_index: number };
      await recordAccessObservations(first, [reading(line, 0, 'up')]);
      // The poll's answer (down at :02) and the trap (up at :03) race; the poll's may commit last.
      await Promise.all([
        recordAccessObservations(first, [reading(line, 2, 'down')]),
        recordAccessObservations(second, [reading(line, 3, 'up')]),
      ]);
      expect(await stateOf(line)).toBe('up');
      const changes = (await changesOf(line)).map((c) => c.change);
      // Trap first: the older poll is late, nothing on the timeline. Poll first: down, then up.
      expect([[], ['port-down', 'port-up']]).toContainEqual(changes);
    }
  });

  it('batches over many ports in opposite orders on two instances neither deadlock nor lose a change', async () => {
    const lines = ports.slice(30, 60);
    await recordAccessObservations(
      first,
      lines.map((line) => reading(line, 0, 'up')),
    );
    const flips = (seconds: number, status: 'up' | 'down', order: typeof lines): AccessObservation[] =>
      order.map((line) => reading(line, seconds, status));
    await Promise.all([
      recordAccessObservations(first, flips(10, 'down', lines)),
      recordAccessObservations(second, flips(11, 'up', [...lines].reverse())),
    ]);
    for (const line of lines) {
      expect(await stateOf(line)).toBe('up');
      expect([[], ['port-down', 'port-up']]).toContainEqual((await changesOf(line)).map((c) => c.change));
    }
  });
});
