import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import { testContext } from '../../testing/context.js';
import { openAnotherPool, openTestDatabase } from '../../testing/database.js';
import { TEST_DEMO } from '../../testing/demo.js';
import type { AppContext } from '../core/context.js';
import { type JobHandler, runDueJobs, scheduleJob } from './service.js';

// PostgreSQL only: two instances (two pools) claiming from one jobs table at the same moment.
let first: Database;
let second: Database;
const start = new Date(`${TEST_DEMO.today}T09:00:00Z`);
let instances: AppContext[];

beforeAll(async () => {
  first = await openTestDatabase();
  second = await openAnotherPool(first);
  instances = [testContext(first, { clock: () => start }), testContext(second, { clock: () => start })];
});
afterAll(async () => {
  await second?.close();
  await first?.close();
});
beforeEach(async () => {
  await first.db.execute(sql`delete from jobs`);
});

describe('two instances running due jobs at once', () => {
  it('run each of 200 due jobs exactly once between them', async () => {
    await first.db.transaction(async (tx) => {
      for (let n = 0; n < 200; n++) await scheduleJob(tx, { kind: 'test.once', runAt: start, payload: { n } });
    });
    const runs = new Map<number, string[]>();
    const handlerOf =
      (instance: string): JobHandler =>
      async (_ctx, payload) => {
        const n = payload.n as number;
        runs.set(n, [...(runs.get(n) ?? []), instance]);
        // Long enough for the other instance's claims to meet these rows locked.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
      };
    const drain = async (ctx: AppContext, instance: string, worker: number) => {
      let total = 0;
      for (;;) {
        const ran = await runDueJobs(ctx, { 'test.once': handlerOf(`${instance}/${worker}`) }, 7);
        if (ran === 0) return total;
        total += ran;
      }
    };
    // Three runners per instance, so claims also race inside one pool.
    const totals = await Promise.all(
      instances.flatMap((ctx, i) => [0, 1, 2].map((worker) => drain(ctx, i === 0 ? 'A' : 'B', worker))),
    );
    expect(totals.reduce((sum, n) => sum + n, 0)).toBe(200);
    expect(runs.size).toBe(200);
    expect([...runs.values()].filter((ranBy) => ranBy.length !== 1)).toEqual([]);
    // Both instances took part.
    const byInstance = new Set([...runs.values()].map((ranBy) => ranBy[0]?.slice(0, 1)));
    expect(byInstance).toEqual(new Set(['A', 'B']));
    expect(await first.rows(sql`select id from jobs`)).toEqual([]);
  });

  it('give a job claimed by an instance that died to the other once the claim expires, and not before', async () => {
    await scheduleJob(first.db, { kind: 'test.orphan', runAt: start });
    // The first instance claims the job and never finishes (its process died mid-run).
    const dead = testContext(first, { clock: () => start });
    void runDueJobs(dead, { 'test.orphan': () => new Promise<void>(() => {}) }, 1, { leaseMs: 30_000 });
    await expect
      .poll(() => first.rows<{ attempts: number }>(sql`select attempts from jobs`))
      .toEqual([{ attempts: 1 }]);

    const ran: string[] = [];
    const survivor = (at: number) => testContext(second, { clock: () => new Date(start.getTime() + at) });
    const handlers = { 'test.orphan': async () => void ran.push('survivor') };
    expect(await runDueJobs(survivor(29_000), handlers, 1, { leaseMs: 30_000 })).toBe(0);
    expect(await runDueJobs(survivor(30_000), handlers, 1, { leaseMs: 30_000 })).toBe(1);
    expect(ran).toEqual(['survivor']);
    expect(await first.rows(sql`select id from jobs`)).toEqual([]);
  });

  it('replace a keyed job scheduled by both at once with one job', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        (n % 2 === 0 ? first : second).db.transaction((tx) =>
          scheduleJob(tx, { kind: 'test.offer', key: 'offer:9', runAt: start, payload: { n } }),
        ),
      ),
    );
    expect(await first.rows(sql`select key from jobs`)).toEqual([{ key: 'offer:9' }]);
  });
});
