import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../db/connection.js';
import { armRecurringJobs, runDueJobs } from '../modules/jobs/service.js';
import { testContext } from '../testing/context.js';
import { openTestDatabase } from '../testing/database.js';
import { serverJobs } from './jobs.js';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database?.close());

it("runs every one of the server's recurring jobs cleanly and re-arms it", async () => {
  const jobs = serverJobs();
  const ctx = testContext(database);
  const monthAgo = new Date(ctx.clock().getTime() - 30 * 24 * 60 * 60_000);
  await database.db.execute(
    sql`insert into login_throttle (key, failures, window_started_at) values ('ip:long-gone', 3, ${monthAgo}::timestamptz)`,
  );
  await armRecurringJobs(ctx, jobs.every);
  expect(await runDueJobs(ctx, jobs.handlers)).toBe(jobs.every.length);
  const rows = await database.rows<{ kind: string; last_error: string | null; state: string }>(
    sql`select kind, last_error, state from jobs order by kind`,
  );
  expect(rows).toEqual(
    jobs.every
      .map(({ kind }) => ({ kind, last_error: null, state: 'pending' }))
      .sort((a, b) => a.kind.localeCompare(b.kind)),
  );
  expect(await database.rows(sql`select key from login_throttle where key = 'ip:long-gone'`)).toEqual([]);
});
