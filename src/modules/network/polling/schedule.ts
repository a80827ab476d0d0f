import { sql } from 'drizzle-orm';
import type { AppContext } from '../../core/context.js';

/**
 * When each node with SNMP settings is polled next, shared by every instance: a node is claimed by
 * one instance at a time, in one statement (`FOR UPDATE SKIP LOCKED`), so two instances never poll
 * one node at once and the work spreads over all of them (docs/integrations/snmp.md).
 */

/** A node this instance claimed: poll it, then `finishPoll` with the claim. */
export interface ClaimedNode {
  nodeId: number;
  claim: number;
  /** Polls in a row that got no answer before this one. */
  failures: number;
}

/** How the next poll is timed, from the SNMP settings (global, or the node's own interval). */
export interface PollTiming {
  intervalSeconds: number;
  jitterPercent: number;
  backoffMaxSeconds: number;
}

/**
 * Puts the nodes to poll on the schedule (due at once when new) and takes off the others (their
 * settings were removed). Idempotent, so every instance may run it each round.
 */
export async function keepPollSchedule(ctx: AppContext, nodeIds: number[], now: Date): Promise<void> {
  const ids = sql.param(nodeIds);
  await ctx.database.rows(sql`
    with added as (
      insert into snmp_poll_schedule (node_id, next_poll_at)
      select id, ${now} from network_nodes where id = any(${ids}::int[])
      on conflict (node_id) do nothing returning node_id)
    delete from snmp_poll_schedule where node_id <> all(${ids}::int[]) returning node_id`);
}

/**
 * Claims up to `limit` due nodes for this instance, in one statement: rows another instance is
 * claiming are skipped, not waited for. The claim moves each node's next poll past `leaseUntil`, so
 * a node whose instance died mid-poll is due again then.
 */
export async function claimDueNodes(
  ctx: AppContext,
  options: { instance: string; limit: number; now: Date; leaseUntil: Date },
): Promise<ClaimedNode[]> {
  if (options.limit <= 0) return [];
  const rows = await ctx.database.rows<{ node_id: number; claim: number | string; failures: number }>(sql`
    update snmp_poll_schedule s
    set next_poll_at = ${options.leaseUntil}, claim = s.claim + 1, claimed_by = ${options.instance}
    where s.node_id in (
      select node_id from snmp_poll_schedule
      where next_poll_at <= ${options.now}
      order by next_poll_at
      for update skip locked
      limit ${options.limit})
    returning s.node_id, s.claim, s.failures`);
  return rows.map((row) => ({ nodeId: row.node_id, claim: Number(row.claim), failures: row.failures }));
}

/**
 * The wait before a node's next poll: the interval after an answer; after `failures` polls in a
 * row without one, the interval doubled per failure up to `backoffMaxSeconds` (never below the
 * interval); either moved by up to ±jitter so nodes do not fall into step. `random` in [0, 1).
 */
export function nextPollDelaySeconds(timing: PollTiming, failures: number, random: number): number {
  const base =
    failures === 0
      ? timing.intervalSeconds
      : Math.max(
          timing.intervalSeconds,
          Math.min(timing.intervalSeconds * 2 ** Math.min(failures, 30), timing.backoffMaxSeconds),
        );
  return base * (1 + (timing.jitterPercent / 100) * (2 * random - 1));
}

/**
 * Records a poll's outcome and when the node is due next. A claim another instance has since
 * taken over (this poll outlived its lease) changes nothing: false.
 */
export async function finishPoll(
  ctx: AppContext,
  claimed: ClaimedNode,
  outcome: { answered: boolean; error?: string },
  timing: PollTiming,
  now: Date,
  random: () => number = Math.random,
): Promise<boolean> {
  const failures = outcome.answered ? 0 : claimed.failures + 1;
  const next = new Date(now.getTime() + nextPollDelaySeconds(timing, failures, random()) * 1000);
  const rows = await ctx.database.rows<{ node_id: number }>(sql`
    update snmp_poll_schedule
    set next_poll_at = ${next}, failures = ${failures}, last_polled_at = ${now},
      last_error = ${outcome.answered ? null : (outcome.error ?? 'no answer')}, claimed_by = null
    where node_id = ${claimed.nodeId} and claim = ${claimed.claim}
    returning node_id`);
  return rows.length > 0;
}
