import { contactJobs, contactRecurringJobs } from '../modules/contacts/jobs.js';
import { noPbx, type Pbx } from '../modules/contacts/pbx.js';
import { every, type JobHandler, pruneFailedJobs, type RecurringJob } from '../modules/jobs/service.js';
import { pruneLiveEvents } from '../modules/live/service.js';
import { sessionJobs, sessionRecurringJobs } from '../modules/nas-sessions/jobs.js';
import { type NasRequests, noNasRequests } from '../modules/nas-sessions/nas-requests.js';
import { accessLineJobs, accessLineRecurringJobs } from '../modules/network/access-line/jobs.js';
import { alertJobs, alertRecurringJobs } from '../modules/network/alerts/jobs.js';
import { pruneLoginThrottle } from '../modules/staff/login-throttle.js';

/** What the job runner of this server runs: each module's handlers, and the recurring ones. */
export interface ServerJobs {
  handlers: Record<string, JobHandler>;
  every: RecurringJob[];
}

/**
 * Every kind of job the server knows (src/modules/jobs/service.ts): a module adds its handlers
 * here; one that needs an outside interface (the PBX, the NASes) gets it as an argument from main.ts. Every
 * handler must be idempotent: a job whose instance died mid-run runs again elsewhere.
 */
export function serverJobs(pbx: Pbx = noPbx, nas: NasRequests = noNasRequests): ServerJobs {
  return {
    handlers: {
      // Offers lapsing, after-contact work ending, commands to the PBX, the routing sweep.
      ...contactJobs(pbx),
      // NAS sessions gone quiet marked stale; the 30 days of their history kept, no more; an
      // account's change asked of the NAS (RFC 5176).
      ...sessionJobs(nas),
      // The access line's changes (SNMP) kept 30 days, no more.
      ...accessLineJobs,
      ...alertJobs,
      // Rows of finished windows count for nothing and only grow the table.
      'staff.prune-login-throttle': async (ctx) => {
        await pruneLoginThrottle(ctx);
      },
      // Wake-ups are kept an hour for browsers that reconnect, then go.
      'live.prune-events': async (ctx) => {
        await pruneLiveEvents(ctx);
      },
      'jobs.prune-failed': async (ctx) => {
        await pruneFailedJobs(ctx);
      },
    },
    every: [
      ...contactRecurringJobs,
      ...sessionRecurringJobs,
      ...accessLineRecurringJobs,
      ...alertRecurringJobs,
      every('staff.prune-login-throttle', 60 * 60),
      every('live.prune-events', 10 * 60),
      every('jobs.prune-failed', 24 * 60 * 60),
    ],
  };
}
