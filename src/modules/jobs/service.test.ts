import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import { testContext } from '../../testing/context.js';
import { openTestDatabase } from '../../testing/database.js';
import { TEST_DEMO } from '../../testing/demo.js';
import type { AppContext } from '../core/context.js';
import {
  armRecurringJobs,
  cancelJob,
  every,
  type JobHandler,
  retryDelayMs,
  runDueJobs,
  scheduleJob,
  startJobRunner,
} from './service.js';

let database: Database;
let ctx: AppContext;
let now: Date;
const logLines: string[] = [];
const start = new Date(`${TEST_DEMO.today}T09:00:00Z`);
const at = (ms: number) => new Date(start.getTime() + ms);

beforeAll(async () => {
  database = await openTestDatabase();
  const logTo = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  ctx = testContext(database, { clock: () => now, logTo });
});
afterAll(async () => database?.close());
beforeEach(async () => {
  now = start;
  logLines.length = 0;
  await database.db.execute(sql`delete from jobs`);
});

interface JobRow {
  id: number;
  kind: string;
  key: string | null;
  payload: Record<string, unknown>;
  run_at: Date;
  state: string;
  attempts: number;
  last_error: string | null;
  locked_until: Date | null;
}
const jobRows = () => database.rows<JobRow>(sql`select * from jobs order by id`);

/** A handler that records the payloads it was given. */
function recorder() {
  const seen: Record<string, unknown>[] = [];
  const handler: JobHandler = async (_ctx, payload) => {
    seen.push(payload);
  };
  return { seen, handler };
}

describe('scheduling', () => {
  it('leaves no job behind when the transaction that scheduled it rolls back', async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await scheduleJob(tx, { kind: 'test.ping', runAt: start, payload: { n: 1 } });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await jobRows()).toEqual([]);
    const { seen, handler } = recorder();
    expect(await runDueJobs(ctx, { 'test.ping': handler })).toBe(0);
    expect(seen).toEqual([]);
  });

  it('keeps one pending job per key: scheduling it again replaces its time and payload', async () => {
    await scheduleJob(database.db, { kind: 'test.offer', key: 'offer:1', runAt: at(20_000), payload: { agent: 1 } });
    await scheduleJob(database.db, { kind: 'test.offer', key: 'offer:1', runAt: at(40_000), payload: { agent: 2 } });
    await scheduleJob(database.db, { kind: 'test.offer', key: 'offer:2', runAt: at(20_000), payload: { agent: 3 } });
    const rows = await jobRows();
    expect(rows.map((row) => [row.key, new Date(row.run_at).getTime(), row.payload])).toEqual([
      ['offer:1', at(40_000).getTime(), { agent: 2 }],
      ['offer:2', at(20_000).getTime(), { agent: 3 }],
    ]);
  });

  it('cancels the pending job of a key and nothing else', async () => {
    await scheduleJob(database.db, { kind: 'test.offer', key: 'offer:1', runAt: start });
    await scheduleJob(database.db, { kind: 'test.offer', key: 'offer:2', runAt: start });
    await cancelJob(database.db, 'offer:1');
    expect((await jobRows()).map((row) => row.key)).toEqual(['offer:2']);
  });
});

describe('running due jobs', () => {
  it('runs a job once, when it is due, with its payload, and deletes it', async () => {
    const { seen, handler } = recorder();
    await scheduleJob(database.db, { kind: 'test.ping', runAt: at(10_000), payload: { contactId: 7 } });
    now = at(9_999);
    expect(await runDueJobs(ctx, { 'test.ping': handler })).toBe(0);
    now = at(10_000);
    expect(await runDueJobs(ctx, { 'test.ping': handler })).toBe(1);
    expect(await runDueJobs(ctx, { 'test.ping': handler })).toBe(0);
    now = at(3_600_000);
    expect(await runDueJobs(ctx, { 'test.ping': handler })).toBe(0);
    expect(seen).toEqual([{ contactId: 7 }]);
    expect(await jobRows()).toEqual([]);
  });

  it('leaves the kinds it has no handler for to an instance that has one', async () => {
    await scheduleJob(database.db, { kind: 'test.newer', runAt: start });
    const { handler } = recorder();
    expect(await runDueJobs(ctx, { 'test.ping': handler })).toBe(0);
    expect(await runDueJobs(ctx, {})).toBe(0);
    expect((await jobRows()).map((row) => [row.kind, row.attempts])).toEqual([['test.newer', 0]]);
  });

  it('runs at most `limit` jobs per call, the earliest first', async () => {
    for (let i = 5; i >= 1; i--) {
      await scheduleJob(database.db, { kind: 'test.ping', runAt: at(-i * 1000), payload: { i } });
    }
    const { seen, handler } = recorder();
    expect(await runDueJobs(ctx, { 'test.ping': handler }, 3)).toBe(3);
    expect(seen.map((payload) => payload.i).sort()).toEqual([3, 4, 5]);
    expect(await runDueJobs(ctx, { 'test.ping': handler }, 3)).toBe(2);
  });

  it('retries a failing job after 1 s, 2 s, 4 s …, logs each failure with its id and kind, and keeps it as failed after the last try', async () => {
    let calls = 0;
    const failing: JobHandler = async () => {
      calls++;
      throw new Error('the PBX did not answer');
    };
    await scheduleJob(database.db, { kind: 'test.flaky', runAt: start, key: 'flaky:1' });
    const [{ id } = { id: 0 }] = await jobRows();
    const options = { maxAttempts: 3 };
    expect(await runDueJobs(ctx, { 'test.flaky': failing }, 20, options)).toBe(1);
    let [row] = await jobRows();
    expect(row).toMatchObject({ state: 'pending', attempts: 1, last_error: 'Error: the PBX did not answer' });
    expect(new Date(row?.run_at ?? 0)).toEqual(at(1_000));

    now = at(999);
    expect(await runDueJobs(ctx, { 'test.flaky': failing }, 20, options)).toBe(0);
    now = at(1_000);
    expect(await runDueJobs(ctx, { 'test.flaky': failing }, 20, options)).toBe(1);
    [row] = await jobRows();
    expect(new Date(row?.run_at ?? 0)).toEqual(at(3_000));

    now = at(3_000);
    expect(await runDueJobs(ctx, { 'test.flaky': failing }, 20, options)).toBe(1);
    [row] = await jobRows();
    expect(row).toMatchObject({ state: 'failed', attempts: 3, locked_until: null });
    now = at(3_600_000);
    expect(await runDueJobs(ctx, { 'test.flaky': failing }, 20, options)).toBe(0);
    expect(calls).toBe(3);

    const failures = logLines.map((line) => JSON.parse(line)).filter((line) => line.jobId === id);
    expect(failures).toHaveLength(3);
    expect(failures.every((line) => line.kind === 'test.flaky' && line.level === 50)).toBe(true);
    expect(failures[2]?.msg).toContain('given up');

    // The failed job stays to be seen; the key is free for a new one.
    await scheduleJob(database.db, { kind: 'test.flaky', runAt: now, key: 'flaky:1' });
    expect((await jobRows()).map((job) => job.state)).toEqual(['failed', 'pending']);
  });

  it('backs off by doubling from 1 s up to 5 minutes', () => {
    expect([1, 2, 3, 4, 9, 10, 20].map(retryDelayMs)).toEqual([1000, 2000, 4000, 8000, 256_000, 300_000, 300_000]);
  });

  it('keeps a job rescheduled while it ran for its new time instead of deleting it', async () => {
    const rearming: JobHandler = async (handlerCtx) => {
      await scheduleJob(handlerCtx.database.db, {
        kind: 'test.sweep',
        key: 'sweep',
        runAt: at(60_000),
        payload: { n: 2 },
      });
    };
    await scheduleJob(database.db, { kind: 'test.sweep', key: 'sweep', runAt: start, payload: { n: 1 } });
    expect(await runDueJobs(ctx, { 'test.sweep': rearming })).toBe(1);
    const rows = await jobRows();
    expect(rows.map((row) => [row.key, new Date(row.run_at).getTime(), row.payload, row.locked_until])).toEqual([
      ['sweep', at(60_000).getTime(), { n: 2 }, null],
    ]);
    now = at(60_000);
    expect(await runDueJobs(ctx, { 'test.sweep': async () => {} })).toBe(1);
    expect(await jobRows()).toEqual([]);
  });

  it('gives a job whose claim has expired (its instance died mid-run) to the next claim, and the late finish changes nothing', async () => {
    let finishStuckRun: () => void = () => {};
    const stuck: JobHandler = () =>
      new Promise<void>((resolve) => {
        finishStuckRun = resolve;
      });
    await scheduleJob(database.db, { kind: 'test.stuck', runAt: start });
    const options = { leaseMs: 30_000 };
    const stuckRun = runDueJobs(ctx, { 'test.stuck': stuck }, 20, options);
    await new Promise((resolve) => setTimeout(resolve, 50));
    now = at(29_999);
    const { seen, handler } = recorder();
    expect(await runDueJobs(ctx, { 'test.stuck': handler }, 20, options)).toBe(0);
    now = at(30_000);
    const secondRun = testContext(database, { clock: () => at(30_000) });
    let blockSecond: () => void = () => {};
    const second = runDueJobs(
      secondRun,
      {
        'test.stuck': (...args) =>
          new Promise<void>((resolve) => {
            blockSecond = () => handler(...args).then(resolve);
          }),
      },
      20,
      options,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The first run finishing now must not delete the job the second claim holds.
    finishStuckRun();
    expect(await stuckRun).toBe(1);
    expect(await jobRows()).toHaveLength(1);
    blockSecond();
    expect(await second).toBe(1);
    expect(seen).toEqual([{}]);
    expect(await jobRows()).toEqual([]);
  });
});

describe('recurring jobs', () => {
  it('run every so many seconds, whether they succeed or fail, and are armed once however often the runner starts', async () => {
    const recurring = [every('test.prune', 3600)];
    await armRecurringJobs(ctx, recurring);
    await armRecurringJobs(ctx, recurring);
    let fail = false;
    let runs = 0;
    const prune: JobHandler = async () => {
      runs++;
      if (fail) throw new Error('the table was locked');
    };
    expect(await runDueJobs(ctx, { 'test.prune': prune })).toBe(1);
    let rows = await jobRows();
    expect(rows.map((row) => [row.key, new Date(row.run_at).getTime(), row.attempts])).toEqual([
      ['every:test.prune', at(3_600_000).getTime(), 0],
    ]);
    now = at(3_600_000);
    fail = true;
    expect(await runDueJobs(ctx, { 'test.prune': prune })).toBe(1);
    rows = await jobRows();
    expect(rows.map((row) => [row.state, new Date(row.run_at).getTime(), row.last_error])).toEqual([
      ['pending', at(7_200_000).getTime(), 'Error: the table was locked'],
    ]);
    // Starting again keeps the time it had.
    await armRecurringJobs(ctx, recurring);
    expect(new Date((await jobRows())[0]?.run_at ?? 0)).toEqual(at(7_200_000));
    expect(runs).toBe(2);
  });
});

describe('the runner', () => {
  it('runs a job due now when poked, and stops after the job under way finishes', async () => {
    const ran: number[] = [];
    let release: () => void = () => {};
    const slow: JobHandler = async (_ctx, payload) => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      ran.push(payload.n as number);
    };
    const runner = startJobRunner(ctx, { 'test.slow': slow }, { pollMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await scheduleJob(database.db, { kind: 'test.slow', runAt: start, payload: { n: 1 } });
    runner.poke();
    await expect.poll(() => jobRows().then((rows) => rows[0]?.attempts)).toBe(1);
    const stopped = runner.stop();
    release();
    await stopped;
    expect(ran).toEqual([1]);
    expect(await jobRows()).toEqual([]);
  });

  it('arms its recurring jobs when it starts', async () => {
    const runner = startJobRunner(ctx, { 'test.prune': async () => {} }, { every: [every('test.prune', 600)] });
    await expect
      .poll(() => jobRows().then((rows) => rows.map((row) => new Date(row.run_at).getTime())))
      .toEqual([at(600_000).getTime()]);
    await runner.stop();
  });
});
