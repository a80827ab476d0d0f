import { sql } from 'drizzle-orm';
import type { AppContext } from '../../core/context.js';
import { every, type JobHandler, type RecurringJob } from '../../jobs/service.js';

export const PRUNE_ALERTS_JOB = 'alerts.prune-resolved';
/** The card shows alerts resolved in the last 30 days; a firing one stays however old. */
export const RESOLVED_ALERTS_KEPT_DAYS = 30;

/** Forgets alerts resolved more than 30 days ago; returns how many went. */
export async function pruneResolvedAlerts(ctx: AppContext): Promise<number> {
  const before = new Date(ctx.clock().getTime() - RESOLVED_ALERTS_KEPT_DAYS * 86_400_000);
  const [row] = await ctx.database.rows<{ pruned: number }>(sql`
    with pruned as (delete from monitoring_alerts where status = 'resolved' and ended_at < ${before} returning 1)
    select count(*)::int as pruned from pruned`);
  return row?.pruned ?? 0;
}

/** The alerts' jobs, for src/server/jobs.ts: resolved ones kept the card's 30 days, no more. */
export const alertJobs: Record<string, JobHandler> = {
  [PRUNE_ALERTS_JOB]: async (ctx) => {
    await pruneResolvedAlerts(ctx);
  },
};

export const alertRecurringJobs: RecurringJob[] = [every(PRUNE_ALERTS_JOB, 24 * 60 * 60)];
