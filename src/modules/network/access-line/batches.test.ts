import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/connection.js';
import { testContext } from '../../../testing/context.js';
import { openTestDatabase } from '../../../testing/database.js';
import type { AppContext } from '../../core/context.js';
import { AccessLineBatcher } from './batches.js';
import type { AccessObservation, PortObservation } from './observations.js';
import { recordAccessObservations } from './service.js';

let database: Database;
let ctx: AppContext;
let ports: { node_id: number; if_index: number }[] = [];
beforeAll(async () => {
  database = await openTestDatabase();
  ctx = testContext(database);
  ports = await database.rows<{ node_id: number; if_index: number }>(sql`
    select p.node_id, p.if_index from network_ports p join network_nodes n on n.id = p.node_id
    where n.kind = 'access_switch' order by p.id limit 20`);
});
afterAll(() => database?.close());

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 25, 9, 0, seconds));
const reading = (line: { node_id: number; if_index: number }, seconds: number): PortObservation => ({
  kind: 'port',
  nodeId: line.node_id,
  ifIndex: line.if_index,
  at: at(seconds),
  source: 'trap',
  operStatus: seconds % 2 ? 'down' : 'up',
});

const changesOf = (line: { node_id: number; if_index: number }) =>
  database.rows<{ change: string }>(sql`
    select change from access_line_changes where node_id = ${line.node_id} and if_index = ${line.if_index}
    order by id`);

describe('readings that arrive together', () => {
  it('go in few transactions, each port seeing its readings in the order they came', async () => {
    let transactions = 0;
    const batcher = new AccessLineBatcher(ctx, {
      concurrency: 2,
      maxObservations: 50,
      apply: (context, observations) => {
        transactions++;
        return recordAccessObservations(context, observations);
      },
    });
    const lines = ports.slice(0, 5);
    const calls: Promise<unknown>[] = [];
    // Each port flips 40 times: up at 0 s, down at 1 s, ... each reading its own caller.
    for (let second = 0; second < 40; second++) {
      for (const line of lines) calls.push(batcher.apply(reading(line, second)));
    }
    const outcomes = (await Promise.all(calls)) as string[];
    expect(outcomes.every((outcome) => outcome === 'changed')).toBe(true);
    expect(transactions).toBeLessThan(calls.length / 4);
    for (const line of lines) {
      const changes = (await changesOf(line)).map((c) => c.change);
      expect(changes).toHaveLength(39);
      expect(changes.every((change, i) => change === (i % 2 ? 'port-up' : 'port-down'))).toBe(true);
    }
  });

  it("applyMany answers a poll's readings in their order, alongside single readings of the same ports", async () => {
    const batcher = new AccessLineBatcher(ctx);
    const line = ports[5] as { node_id: number; if_index: number };
    const poll: AccessObservation[] = [
      reading(line, 0),
      { kind: 'port-macs', nodeId: line.node_id, ifIndex: line.if_index, at: at(0), source: 'poll', macs: [] },
      { kind: 'node', nodeId: line.node_id, at: at(0), source: 'poll', reachable: true },
      { kind: 'node', nodeId: 999_999, at: at(0), source: 'poll', reachable: true },
    ];
    const [many, single, none] = await Promise.all([
      batcher.applyMany(poll),
      batcher.apply(reading(line, 1)),
      batcher.applyMany([]),
    ]);
    expect(many).toEqual(['changed', 'changed', 'changed', 'unknown']);
    expect(single).toBe('changed');
    expect(none).toEqual([]);
    expect((await changesOf(line)).map((c) => c.change)).toEqual(['port-down']);
  });

  it('a batch that fails is tried caller by caller, so only the caller that cannot be stored fails', async () => {
    const batcher = new AccessLineBatcher(ctx, {
      concurrency: 1,
      apply: (context, observations) => {
        if (observations.some((o) => o.nodeId === -1)) return Promise.reject(new Error('cannot store this'));
        return recordAccessObservations(context, observations);
      },
    });
    const good = ports[6] as { node_id: number; if_index: number };
    const results = await Promise.allSettled([
      batcher.apply(reading(good, 0)),
      batcher.apply(reading({ node_id: -1, if_index: 1 }, 0)),
      batcher.apply(reading(good, 1)),
      batcher.apply(reading(good, 2)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((await changesOf(good)).map((c) => c.change)).toEqual(['port-down', 'port-up']);
  });
});
