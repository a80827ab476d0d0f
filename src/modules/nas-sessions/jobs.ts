import { every, type JobHandler, type RecurringJob } from '../jobs/service.js';
import { ACCOUNT_CHANGED_JOB } from '../subscribers/account-change.js';
import { type NasRequests, noNasRequests } from './nas-requests.js';
import { APPLY_ON_NAS_JOB, applyOnNasJob, recordAccountChange } from './network-application.js';
import { markStaleSessions, pruneSessionHistory } from './sweeps.js';

/**
 * The sessions' jobs, for src/server/jobs.ts: stale sessions each minute, the 30-day history daily,
 * and an account's change on its way to the NAS (through `nas`, the integration's requests).
 */
export function sessionJobs(nas: NasRequests = noNasRequests): Record<string, JobHandler> {
  return {
    'sessions.mark-stale': async (ctx) => {
      await markStaleSessions(ctx);
    },
    'sessions.prune-history': async (ctx) => {
      await pruneSessionHistory(ctx);
    },
    [ACCOUNT_CHANGED_JOB]: recordAccountChange,
    [APPLY_ON_NAS_JOB]: applyOnNasJob(nas),
  };
}

export const sessionRecurringJobs: RecurringJob[] = [
  every('sessions.mark-stale', 60),
  every('sessions.prune-history', 24 * 60 * 60),
];
