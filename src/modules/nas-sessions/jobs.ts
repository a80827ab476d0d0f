import { every, type JobHandler, type RecurringJob } from '../jobs/service.js';
import { markStaleSessions, pruneSessionHistory } from './sweeps.js';

/** The sessions' sweeps, for src/server/jobs.ts: stale sessions each minute, the 30-day history daily. */
export const sessionJobs: Record<string, JobHandler> = {
  'sessions.mark-stale': async (ctx) => {
    await markStaleSessions(ctx);
  },
  'sessions.prune-history': async (ctx) => {
    await pruneSessionHistory(ctx);
  },
};

export const sessionRecurringJobs: RecurringJob[] = [
  every('sessions.mark-stale', 60),
  every('sessions.prune-history', 24 * 60 * 60),
];
