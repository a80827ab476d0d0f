import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { AppContext } from '../../modules/core/context.js';
import type { AccessObservation } from '../../modules/network/access-line/observations.js';
import { networkNodesNamed, type PolledNode, portsOfNodes } from '../../modules/network/polling/nodes.js';
import {
  type ClaimedNode,
  claimDueNodes,
  finishPoll,
  keepPollSchedule,
} from '../../modules/network/polling/schedule.js';
import { type SnmpNodeEntry, snmpNodeList, snmpPolling } from '../../modules/settings/snmp-nodes.js';
import type { SnmpPollingSettings } from '../../modules/settings/snmp-nodes-api.js';
import { snmpPollFailures, snmpPollSeconds, snmpPolls } from './metrics.js';
import { type PollResult, pollNode } from './poll.js';
import { openSnmpSession } from './session.js';

/** Where observations go: the access-line store's batcher in production, a collector in tests. */
export interface ObservationSink {
  record(observations: AccessObservation[]): Promise<unknown>;
}

export interface PollerOptions {
  /** How often this instance looks for due nodes (ms); 1 s by default. */
  tickMs?: number;
  /** This instance's name on the schedule (claimed_by). */
  instance?: string;
}

export interface Poller {
  close(): Promise<void>;
}

/**
 * The longest one poll may take, whatever the node does: one slow node ends here, and its claim's
 * lease outlasts it so no other instance takes the node meanwhile.
 */
export const pollDeadlineMs = (polling: SnmpPollingSettings) =>
  Math.max(10_000, polling.timeoutMs * (polling.retries + 1) * 8);

/**
 * Polls the nodes with SNMP settings: each tick, claims as many due nodes as its concurrency has
 * room for (claimDueNodes: once across instances), polls each in parallel under its own deadline,
 * hands the observations to the sink and schedules the next poll (interval ± jitter, or back-off).
 */
export function startPoller(ctx: AppContext, sink: ObservationSink, options: PollerOptions = {}): Poller {
  const tickMs = options.tickMs ?? 1000;
  const instance = options.instance ?? `snmp-${randomUUID().slice(0, 8)}`;
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> | undefined;
  let targets: {
    entries?: SnmpNodeEntry[];
    byId: Map<number, { node: PolledNode; entry: SnmpNodeEntry }>;
    readAt: number;
  } = { byId: new Map(), readAt: Number.NEGATIVE_INFINITY };

  const pollOne = async (
    claimed: ClaimedNode,
    node: PolledNode,
    entry: SnmpNodeEntry,
    polling: SnmpPollingSettings,
  ) => {
    const startedAt = performance.now();
    const credentials = entry.credentials;
    let result: PollResult;
    if (!credentials) {
      result = { answered: false, error: 'no credentials', observations: [] };
    } else {
      const ports = (await portsOfNodes(ctx, [node.id])).get(node.id) ?? [];
      const session = openSnmpSession({
        address: node.managementIp,
        port: entry.port,
        credentials,
        timeoutMs: polling.timeoutMs,
        retries: polling.retries,
      });
      let deadline: NodeJS.Timeout | undefined;
      try {
        result = await Promise.race([
          pollNode(session, node, ports, ctx.clock),
          new Promise<PollResult>((resolve) => {
            deadline = setTimeout(
              () =>
                resolve({
                  answered: false,
                  error: 'poll deadline',
                  observations: [
                    {
                      kind: 'node',
                      nodeId: node.id,
                      reachable: false,
                      error: 'poll deadline',
                      at: ctx.clock(),
                      source: 'poll',
                    },
                  ],
                }),
              pollDeadlineMs(polling),
            );
          }),
        ]);
      } finally {
        clearTimeout(deadline);
        session.close();
      }
    }
    snmpPolls.inc({ outcome: result.answered ? 'answered' : 'unreachable' });
    if (result.error) snmpPollFailures.inc({ reason: result.error === 'timeout' ? 'timeout' : 'error' });
    snmpPollSeconds.observe((performance.now() - startedAt) / 1000);
    if (result.observations.length > 0) {
      try {
        await sink.record(result.observations);
      } catch (error) {
        snmpPollFailures.inc({ reason: 'sink' });
        ctx.log.error({ err: error, node: node.name }, 'snmp: the access-line store refused a poll');
      }
    }
    if (result.error) ctx.log.debug({ node: node.name, error: result.error }, 'snmp: poll incomplete');
    await finishPoll(
      ctx,
      claimed,
      { answered: result.answered, error: result.error },
      {
        intervalSeconds: entry.intervalSeconds ?? polling.intervalSeconds,
        jitterPercent: polling.jitterPercent,
        backoffMaxSeconds: polling.backoffMaxSeconds,
      },
      ctx.clock(),
    );
  };

  const runRound = async () => {
    const [polling, entries] = await Promise.all([snmpPolling(ctx), snmpNodeList(ctx)]);
    // The nodes are looked up again when the settings changed, and each minute (a node's address
    // or the demo network may change behind the settings' back; regenerating it empties the schedule).
    if (entries !== targets.entries || performance.now() - targets.readAt > 60_000) {
      const polled = entries.filter((entry) => entry.credentials);
      const nodes = await networkNodesNamed(
        ctx,
        polled.map((entry) => entry.node),
      );
      const byId = new Map<number, { node: PolledNode; entry: SnmpNodeEntry }>();
      for (const entry of polled) {
        const node = nodes.get(entry.node);
        if (node) byId.set(node.id, { node, entry });
      }
      await keepPollSchedule(
        ctx,
        [...byId.keys()].sort((a, b) => a - b),
        ctx.clock(),
      );
      targets = { entries, byId, readAt: performance.now() };
    }
    const { byId } = targets;
    const now = ctx.clock();
    const room = polling.concurrency - inFlight.size;
    if (room <= 0 || byId.size === 0) return;
    const claimed = await claimDueNodes(ctx, {
      instance,
      limit: room,
      now,
      leaseUntil: new Date(now.getTime() + pollDeadlineMs(polling) + 30_000),
    });
    for (const claim of claimed) {
      const target = byId.get(claim.nodeId);
      if (!target) continue;
      const running: Promise<void> = pollOne(claim, target.node, target.entry, polling)
        .catch((error) => ctx.log.error({ err: error, node: target.node.name }, 'snmp: poll failed'))
        .finally(() => inFlight.delete(running));
      inFlight.add(running);
    }
  };

  const tick = () => {
    if (stopped) return;
    round = runRound()
      .catch((error) => ctx.log.error({ err: error }, 'snmp: poll round failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, tickMs);
      });
  };
  tick();

  return {
    async close() {
      stopped = true;
      clearTimeout(timer);
      await round;
      await Promise.allSettled([...inFlight]);
    },
  };
}
