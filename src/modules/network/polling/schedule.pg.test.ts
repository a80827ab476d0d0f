import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../../db/connection.js';
import { testContext } from '../../../testing/context.js';
import { openAnotherPool, openTestDatabase } from '../../../testing/database.js';
import { claimDueNodes, finishPoll, keepPollSchedule } from './schedule.js';

// PostgreSQL only: two instances, each with its own pool, claiming due nodes at the same moment.
let database: Database;
let other: Database;
beforeAll(async () => {
  database = await openTestDatabase();
  other = await openAnotherPool(database);
});
afterAll(async () => {
  await other?.close();
  await database?.close();
});

it('two instances claiming at once never get the same node, and between them claim every due node', async () => {
  const first = testContext(database);
  const second = testContext(other);
  const nodes = await database.rows<{ id: number }>(sql`select id from network_nodes order by id limit 200`);
  const ids = nodes.map((node) => node.id);
  const now = new Date('2026-11-25T09:00:00Z');
  await keepPollSchedule(first, ids, now);
  const timing = { intervalSeconds: 300, jitterPercent: 10, backoffMaxSeconds: 3600 };
  for (let round = 0; round < 5; round++) {
    const due = new Date(now.getTime() + round * 1000 * 1000);
    const leaseUntil = new Date(due.getTime() + 60_000);
    // Each instance claims in small batches, several at once, as concurrent poll rounds would.
    const claims = await Promise.all(
      [first, second, first, second, first, second].map((ctx, i) =>
        (async () => {
          const mine: number[] = [];
          for (;;) {
            const batch = await claimDueNodes(ctx, { instance: `i${i}`, limit: 7, now: due, leaseUntil });
            if (batch.length === 0)
              return { ctx, batch: mine, claims: [] as Awaited<ReturnType<typeof claimDueNodes>> };
            mine.push(...batch.map((node) => node.nodeId));
            for (const node of batch) await finishPoll(ctx, node, { answered: true }, timing, due);
          }
        })(),
      ),
    );
    const all = claims.flatMap((claim) => claim.batch);
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    expect(claims.filter((claim) => claim.batch.length > 0).length).toBeGreaterThan(1);
  }
});
