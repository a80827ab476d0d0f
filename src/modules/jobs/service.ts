import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { writeBehind } from '../../db/write-behind.js';
import type { AppContext } from '../core/context.js';

/**
 * Work that must happen once across instances: offer timeouts, the end of after-contact work,
 * sweeps. A job is a row (it survives restarts), claimed with FOR UPDATE SKIP LOCKED under a lease,
 * so two instances never run it at once. Why a table of our own and not pg-boss: docs/decisions.md,
 * "Jobs in a table of our own".
 *
 * A job runs at least once: an instance that dies mid-run leaves its claim to expire, and the job
 * runs again elsewhere. So every handler must be idempotent: it checks the state it is about to
 * change (the offer is still ringing, the agent is still in after-contact work) instead of
 * assuming it.
 */
export type JobHandler = (ctx: AppContext, payload: Record<string, unknown>) => Promise<void>;

export interface JobToSchedule {
  kind: string;
  runAt: Date;
  /** Ids and small values only: it is stored as jsonb and handed to the handler as it was. */
  payload?: Record<string, unknown>;
  /** At most one pending job per key: scheduling it again replaces its time and payload. */
  key?: string;
}

/** How long a claim holds; extended while the handler runs, so only a dead instance's claim expires. */
const DEFAULT_LEASE_MS = 60_000;
/** Tries before a job is kept as `failed`: about 8 minutes of retries with the back-off below. */
const DEFAULT_MAX_ATTEMPTS = 10;
const MAX_RETRY_DELAY_MS = 5 * 60_000;
const ERROR_TEXT_LIMIT = 2_000;

/** The wait before try number `attempts + 1`: 1 s, 2 s, 4 s … at most 5 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS);
}

/**
 * Schedules a job in the caller's transaction (pass the transaction), so the job exists if and
 * only if the change that asked for it commits. With a key, a pending job of that key is replaced
 * (its kind, time and payload; its tries start again); a run of it already under way finishes and
 * does not delete the replacement.
 */
export async function scheduleJob(db: Db, job: JobToSchedule): Promise<void> {
  const payload = JSON.stringify(job.payload ?? {});
  if (job.key === undefined) {
    const row = { kind: job.kind, payload, runAt: job.runAt };
    if (writeBehind(db, 'jobs', row, insertUnkeyedJobs)) return;
    await insertUnkeyedJobs(db, [row]);
    return;
  }
  await scheduleKeyedJobs(db, [job as JobToSchedule & { key: string }]);
}

/** Several keyed jobs in one statement (their keys distinct), each replacing the pending job of its key. */
export async function scheduleKeyedJobs(db: Db, jobs: (JobToSchedule & { key: string })[]): Promise<void> {
  if (jobs.length === 0) return;
  const values = jobs.map(
    (job) => sql`(${job.kind}, ${job.key}, ${JSON.stringify(job.payload ?? {})}::jsonb, ${job.runAt}::timestamptz)`,
  );
  await db.execute(sql`
    insert into jobs (kind, key, payload, run_at)
    values ${sql.join(values, sql`, `)}
    on conflict (key) where state = 'pending' do update set
      kind = excluded.kind, payload = excluded.payload, run_at = excluded.run_at,
      attempts = 0, last_error = null, revision = jobs.revision + 1`);
}

/** Jobs without a key stand alone (no replacing, no cancelling), so a transaction may write them together. */
async function insertUnkeyedJobs(db: Db, jobs: { kind: string; payload: string; runAt: Date }[]): Promise<void> {
  const values = jobs.map((job) => sql`(${job.kind}, ${job.payload}::jsonb, ${job.runAt}::timestamptz)`);
  await db.execute(sql`insert into jobs (kind, payload, run_at) values ${sql.join(values, sql`, `)}`);
}

/** Removes the pending job of this key, if any. A run already under way is not stopped: handlers check state. */
export async function cancelJob(db: Db, key: string): Promise<void> {
  await db.execute(sql`delete from jobs where key = ${key} and state = 'pending'`);
}

export interface RunOptions {
  /** How long a claim holds before another instance may take the job (default 60 s). */
  leaseMs?: number;
  /** Tries before a job gives up and is kept as `failed` (default 10). */
  maxAttempts?: number;
}

interface ClaimedJob {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  revision: number;
  every_seconds: number | null;
}

/**
 * Claims up to `limit` due jobs (run_at <= ctx.clock()) of the kinds in `handlers` and runs them,
 * at once; returns how many ran. Kinds this instance has no handler for stay for one that has
 * (during a rolling update the newer version may schedule kinds the older does not know).
 * Tests call this directly with a moved clock.
 */
export async function runDueJobs(
  ctx: AppContext,
  handlers: Record<string, JobHandler>,
  limit = 20,
  options: RunOptions = {},
): Promise<number> {
  const kinds = Object.keys(handlers);
  if (kinds.length === 0 || limit < 1) return 0;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const lease = randomUUID();
  const now = ctx.clock();
  // The claim is one statement: rows locked by another claim are skipped, not waited for, and
  // the lease is written before any handler starts, so a second instance never takes them.
  const claimed = await ctx.database.rows<ClaimedJob>(sql`
    with due as materialized (
      select id from jobs
      where state = 'pending' and run_at <= ${now}::timestamptz
        and (locked_until is null or locked_until <= ${now}::timestamptz)
        and kind = any(${sql.param(kinds)}::text[])
      order by run_at, id
      limit ${limit}
      for update skip locked
    )
    update jobs set lease = ${lease}::uuid,
      locked_until = ${new Date(now.getTime() + leaseMs)}::timestamptz,
      attempts = attempts + 1
    from due where jobs.id = due.id
    returning jobs.id, jobs.kind, jobs.payload, jobs.attempts, jobs.revision, jobs.every_seconds`);
  if (claimed.length === 0) return 0;

  const extend = setInterval(() => {
    const until = new Date(ctx.clock().getTime() + leaseMs);
    ctx.database.db
      .execute(sql`update jobs set locked_until = ${until}::timestamptz where lease = ${lease}::uuid`)
      .catch((err: Error) => ctx.log.warn({ err }, 'job runner: extending a claim failed'));
  }, leaseMs / 3);
  extend.unref();
  try {
    await Promise.all(claimed.map((job) => runClaimed(ctx, handlers, job, lease, options)));
  } finally {
    clearInterval(extend);
  }
  return claimed.length;
}

async function runClaimed(
  ctx: AppContext,
  handlers: Record<string, JobHandler>,
  job: ClaimedJob,
  lease: string,
  options: RunOptions,
): Promise<void> {
  const handler = handlers[job.kind];
  let failure: unknown;
  let failed = false;
  try {
    if (!handler) throw new Error(`no handler for ${job.kind}`);
    await handler(ctx, job.payload ?? {});
  } catch (error) {
    failed = true;
    failure = error;
  }
  try {
    if (failed) await recordFailure(ctx, job, lease, failure, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    else await recordDone(ctx, job, lease);
  } catch (err) {
    // The claim expires and the job runs again: at least once, as handlers expect.
    ctx.log.error({ err, jobId: job.id, kind: job.kind }, 'job runner: recording the outcome of a job failed');
  }
}

/** The claim still held: the job was neither replaced, cancelled nor claimed again after its lease ran out. */
const stillOurs = (job: ClaimedJob, lease: string) =>
  sql`id = ${job.id} and lease = ${lease}::uuid and revision = ${job.revision}`;

const secondsAfter = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000);

async function recordDone(ctx: AppContext, job: ClaimedJob, lease: string): Promise<void> {
  const now = ctx.clock();
  const settled =
    job.every_seconds === null
      ? await ctx.database.rows(sql`delete from jobs where ${stillOurs(job, lease)} returning id`)
      : await ctx.database.rows(sql`
          update jobs set run_at = ${secondsAfter(now, job.every_seconds)}::timestamptz, attempts = 0,
            last_error = null, lease = null, locked_until = null
          where ${stillOurs(job, lease)} returning id`);
  if (settled.length === 0) await release(ctx, job, lease);
  ctx.log.debug({ jobId: job.id, kind: job.kind }, 'job done');
}

async function recordFailure(
  ctx: AppContext,
  job: ClaimedJob,
  lease: string,
  error: unknown,
  maxAttempts: number,
): Promise<void> {
  const now = ctx.clock();
  const message = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(
    0,
    ERROR_TEXT_LIMIT,
  );
  const givesUp = job.every_seconds === null && job.attempts >= maxAttempts;
  // A recurring job's next run is its retry; the others back off, then stay as failed.
  const runAgainAt =
    job.every_seconds === null
      ? new Date(now.getTime() + retryDelayMs(job.attempts))
      : secondsAfter(now, job.every_seconds);
  const log = { err: error, jobId: job.id, kind: job.kind, attempt: job.attempts };
  if (givesUp) ctx.log.error(log, `job failed ${job.attempts} times: given up, kept as failed`);
  else ctx.log.error({ ...log, retryAt: runAgainAt.toISOString() }, 'job failed: will retry');
  const settled = givesUp
    ? await ctx.database.rows(sql`
        update jobs set state = 'failed', failed_at = ${now}::timestamptz, last_error = ${message},
          lease = null, locked_until = null
        where ${stillOurs(job, lease)} returning id`)
    : await ctx.database.rows(sql`
        update jobs set run_at = ${runAgainAt}::timestamptz, last_error = ${message}, lease = null, locked_until = null
        where ${stillOurs(job, lease)} returning id`);
  if (settled.length === 0) await release(ctx, job, lease);
}

/** A job replaced while it ran: the claim is let go, so the replacement runs at its own time. */
async function release(ctx: AppContext, job: ClaimedJob, lease: string): Promise<void> {
  await ctx.database.db.execute(
    sql`update jobs set lease = null, locked_until = null where id = ${job.id} and lease = ${lease}::uuid`,
  );
}

/**
 * A job run every `seconds` on one instance at a time (sweeps): registered with the runner
 * (`startJobRunner(ctx, handlers, { every: [every('live.prune', 600)] })`), stored as the pending
 * job of key `every:<kind>` and re-armed `seconds` after each run, whether it succeeded or failed
 * (a failure is logged and kept in `last_error`; it never gives up).
 */
export interface RecurringJob {
  kind: string;
  seconds: number;
}

export const every = (kind: string, seconds: number): RecurringJob => ({ kind, seconds });

/** Makes sure each recurring job has its pending row (due at once if it had none); keeps the others' times. */
export async function armRecurringJobs(ctx: AppContext, recurring: RecurringJob[]): Promise<void> {
  const now = ctx.clock();
  for (const { kind, seconds } of recurring) {
    await ctx.database.db.execute(sql`
      insert into jobs (kind, key, run_at, every_seconds)
      values (${kind}, ${`every:${kind}`}, ${now}::timestamptz, ${Math.max(1, Math.round(seconds))})
      on conflict (key) where state = 'pending' do update set every_seconds = excluded.every_seconds`);
  }
}

/** How long a job that gave up is kept to be looked into (docs/operations.md, "Jobs"). */
export const FAILED_JOBS_KEEP_MS = 30 * 24 * 60 * 60_000;

/** Deletes the failed jobs older than `keepMs`; returns how many went. */
export async function pruneFailedJobs(ctx: AppContext, keepMs = FAILED_JOBS_KEEP_MS): Promise<number> {
  const [row] = await ctx.database.rows<{ n: number }>(sql`
    with gone as (
      delete from jobs where state = 'failed' and failed_at < ${new Date(ctx.clock().getTime() - keepMs)}::timestamptz
      returning 1)
    select count(*)::int as n from gone`);
  return row?.n ?? 0;
}

export interface JobRunnerOptions extends RunOptions {
  /** How often to look for due jobs (default 250 ms); `poke()` looks at once. */
  pollMs?: number;
  /** Jobs claimed and run at once (default 20). */
  batch?: number;
  every?: RecurringJob[];
}

export interface JobRunner {
  /** Look for due jobs now (after scheduling one due at once, say). */
  poke(): void;
  /** Stops polling and waits for the jobs under way to finish. */
  stop(): Promise<void>;
}

const MAX_ERROR_PAUSE_MS = 10_000;

/** Polls for due jobs until stopped (main.ts starts one per instance). */
export function startJobRunner(
  ctx: AppContext,
  handlers: Record<string, JobHandler>,
  options: JobRunnerOptions = {},
): JobRunner {
  const pollMs = options.pollMs ?? 250;
  const batch = options.batch ?? 20;
  let stopped = false;
  let poked = false;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (poked || stopped) {
        poked = false;
        resolve();
        return;
      }
      const done = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      wake = done;
    });

  const loop = (async () => {
    let armed = !options.every?.length;
    let failures = 0;
    while (!stopped) {
      let ran = 0;
      try {
        if (!armed && options.every) {
          await armRecurringJobs(ctx, options.every);
          armed = true;
        }
        ran = await runDueJobs(ctx, handlers, batch, options);
        failures = 0;
      } catch (err) {
        failures++;
        ctx.log.error({ err }, 'job runner: looking for due jobs failed');
      }
      // A full batch may mean more are due: go on at once. A failing database is asked less often.
      if (stopped || (ran === batch && failures === 0)) continue;
      await pause(failures === 0 ? pollMs : Math.min(pollMs * 2 ** failures, MAX_ERROR_PAUSE_MS));
    }
  })();

  return {
    poke() {
      if (wake) wake();
      else poked = true;
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
