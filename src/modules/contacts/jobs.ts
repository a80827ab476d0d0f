import { every, type JobHandler, type RecurringJob } from '../jobs/service.js';
import { AFTER_WORK_ENDED_JOB, afterWorkEnded } from './desk.js';
import type { Pbx } from './pbx.js';
import { PBX_COMMAND_JOB, pbxCommandJob } from './pbx-commands.js';
import { AGENT_GONE_JOB, agentGone } from './presence.js';
import { OFFER_LAPSED_JOB, offerLapsed, routeAllLines } from './routing.js';

export const ROUTING_SWEEP_JOB = 'contacts.routing-sweep';

/**
 * The contacts module's timers, for the job runner src/server wires: every one idempotent, since a
 * job whose instance died mid-run runs again.
 */
export function contactJobs(pbx: Pbx): Record<string, JobHandler> {
  return {
    [PBX_COMMAND_JOB]: pbxCommandJob(pbx),
    [OFFER_LAPSED_JOB]: offerLapsed,
    [AFTER_WORK_ENDED_JOB]: afterWorkEnded,
    [AGENT_GONE_JOB]: agentGone,
    // Routing is triggered by every change that frees an agent or queues a contact; the sweep is
    // the net under those triggers (a restart, a trigger lost with an instance).
    [ROUTING_SWEEP_JOB]: async (ctx) => {
      await routeAllLines(ctx);
    },
  };
}

export const contactRecurringJobs: RecurringJob[] = [every(ROUTING_SWEEP_JOB, 5)];
