import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/connection.js';
import { testContext } from '../../../testing/context.js';
import { openTestDatabase } from '../../../testing/database.js';
import type { AppContext } from '../../core/context.js';
import { claimDueNodes, finishPoll, keepPollSchedule, nextPollDelaySeconds } from './schedule.js';

let database: Database;
let ctx: AppContext;
let nodeIds: number[];
const t0 = new Date('2026-11-25T09:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const timing = { intervalSeconds: 300, jitterPercent: 0, backoffMaxSeconds: 3600 };

beforeAll(async () => {
  database = await openTestDatabase();
  ctx = testContext(database);
  const rows = await database.rows<{ id: number }>(sql`select id from network_nodes order by id limit 3`);
  nodeIds = rows.map((row) => row.id);
});
afterAll(() => database?.close());

describe('the SNMP poll schedule', () => {
  it('waits the interval after an answer, doubles after each failure up to the maximum, moved by jitter', () => {
    expect(nextPollDelaySeconds(timing, 0, 0.9)).toBe(300);
    expect(nextPollDelaySeconds(timing, 1, 0.5)).toBe(600);
    expect(nextPollDelaySeconds(timing, 3, 0.5)).toBe(2400);
    expect(nextPollDelaySeconds(timing, 4, 0.5)).toBe(3600);
    expect(nextPollDelaySeconds(timing, 50, 0.5)).toBe(3600);
    expect(nextPollDelaySeconds({ ...timing, backoffMaxSeconds: 60 }, 2, 0.5)).toBe(300);
    const jittered = { ...timing, jitterPercent: 10 };
    expect(nextPollDelaySeconds(jittered, 0, 0)).toBe(270);
    expect(nextPollDelaySeconds(jittered, 0, 0.999_999)).toBeCloseTo(330, 3);
  });

  it('claims a new node at once, not again while claimed, and next after its interval', async () => {
    await keepPollSchedule(ctx, nodeIds, t0);
    const claimed = await claimDueNodes(ctx, { instance: 'a', limit: 10, now: t0, leaseUntil: at(30) });
    expect(claimed.map((node) => node.nodeId).sort()).toEqual([...nodeIds].sort());
    expect(await claimDueNodes(ctx, { instance: 'b', limit: 10, now: at(10), leaseUntil: at(40) })).toEqual([]);
    for (const node of claimed) {
      expect(await finishPoll(ctx, node, { answered: true }, timing, at(5), () => 0.5)).toBe(true);
    }
    expect(await claimDueNodes(ctx, { instance: 'b', limit: 10, now: at(304), leaseUntil: at(334) })).toEqual([]);
    expect(await claimDueNodes(ctx, { instance: 'b', limit: 2, now: at(305), leaseUntil: at(335) })).toHaveLength(2);
  });

  it('gives a node whose poll outlived its lease to another claimer, and ignores the late finish', async () => {
    const [late] = await claimDueNodes(ctx, { instance: 'a', limit: 1, now: at(400), leaseUntil: at(430) });
    if (!late) throw new Error('nothing due');
    const again = (await claimDueNodes(ctx, { instance: 'b', limit: 5, now: at(431), leaseUntil: at(461) })).find(
      (node) => node.nodeId === late.nodeId,
    );
    expect(again?.claim).toBe(late.claim + 1);
    expect(await finishPoll(ctx, late, { answered: true }, timing, at(432))).toBe(false);
    expect(
      await finishPoll(
        ctx,
        again as NonNullable<typeof again>,
        { answered: false, error: 'timeout' },
        timing,
        at(433),
        () => 0.5,
      ),
    ).toBe(true);
    const [row] = await database.rows<{ failures: number; next_poll_at: Date; last_error: string }>(
      sql`select failures, next_poll_at, last_error from snmp_poll_schedule where node_id = ${late.nodeId}`,
    );
    expect(row).toMatchObject({ failures: 1, last_error: 'timeout' });
    expect(new Date(row?.next_poll_at ?? 0).getTime()).toBe(at(433 + 600).getTime());
  });

  it('takes off the schedule a node no longer polled', async () => {
    await keepPollSchedule(ctx, nodeIds.slice(0, 1), at(500));
    const rows = await database.rows<{ node_id: number }>(sql`select node_id from snmp_poll_schedule`);
    expect(rows.map((row) => row.node_id)).toEqual(nodeIds.slice(0, 1));
  });
});
