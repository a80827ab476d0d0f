import { sql } from 'drizzle-orm';
import type { AppContext } from '../../core/context.js';
import { every, type JobHandler, type RecurringJob } from '../../jobs/service.js';
import { ACCESS_LINE_KEPT_DAYS } from './panel.js';

export const PRUNE_ACCESS_LINE_JOB = 'access-line.prune-changes';

/** Forgets the access line's changes older than the card's 30 days; returns how many went. */
export async function pruneAccessLineChanges(ctx: AppContext): Promise<number> {
  const before = new Date(ctx.clock().getTime() - ACCESS_LINE_KEPT_DAYS * 86_400_000);
  const [row] = await ctx.database.rows<{ pruned: number }>(sql`
    with pruned as (delete from access_line_changes where at < ${before} returning 1)
    select count(*)::int as pruned from pruned`);
  return row?.pruned ?? 0;
}

/** The access line's jobs, for src/server/jobs.ts: the 30 days of changes kept, no more. */
export const accessLineJobs: Record<string, JobHandler> = {
  [PRUNE_ACCESS_LINE_JOB]: async (ctx) => {
    await pruneAccessLineChanges(ctx);
  },
};

export const accessLineRecurringJobs: RecurringJob[] = [every(PRUNE_ACCESS_LINE_JOB, 24 * 60 * 60)];
