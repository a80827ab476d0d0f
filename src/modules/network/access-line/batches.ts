import { GroupCommit, type Waiting } from '../../../db/group-commit.js';
import type { AppContext } from '../../core/context.js';
import type { AccessObservation, AccessOutcome } from './observations.js';
import { lineKeyOf, recordAccessObservations } from './service.js';

type Waiter = Waiting<AccessObservation, AccessOutcome>;

export interface AccessLineBatcherOptions {
  /** Observations applied in one transaction at most (a caller's own list is never split). */
  maxObservations?: number;
  /** Transactions under way at once; what comes meanwhile waits and goes together. */
  concurrency?: number;
  /** What applies a batch (tests put a failing one here). */
  apply?: typeof recordAccessObservations;
}

const keysOf = (waiting: Waiter) => new Set(waiting.items.map(lineKeyOf));

/**
 * Applies the SNMP readings that arrive together (the poller's walks of many nodes, traps) in one
 * transaction (src/db/group-commit.ts; budget: 10,000 events a second, docs/benchmarks.md). Each
 * caller's promise settles with its own outcomes once its batch is committed. Should a batch fail,
 * each caller in it is tried alone, so one that cannot be stored fails only itself.
 *
 * Readings of one port, ONT or node go in the order they came: a caller with a part that is in a
 * batch under way, or held back behind an earlier caller, waits for the next batch.
 */
export class AccessLineBatcher extends GroupCommit<AccessObservation, AccessOutcome> {
  private readonly maxObservations: number;
  private readonly applyObservations: typeof recordAccessObservations;

  constructor(
    private readonly ctx: AppContext,
    options: AccessLineBatcherOptions = {},
  ) {
    super(ctx.log, options.concurrency ?? 3, 'SNMP access line');
    this.maxObservations = options.maxObservations ?? 1000;
    this.applyObservations = options.apply ?? recordAccessObservations;
  }

  async apply(observation: AccessObservation): Promise<AccessOutcome> {
    const [outcome] = await this.submit([observation]);
    return outcome as AccessOutcome;
  }

  /** A poll's readings of one node, applied together; the outcomes in their order. */
  applyMany(observations: AccessObservation[]): Promise<AccessOutcome[]> {
    if (observations.length === 0) return Promise.resolve([]);
    return this.submit([...observations]);
  }

  protected applyBatch(observations: AccessObservation[]): Promise<AccessOutcome[]> {
    return this.applyObservations(this.ctx, observations);
  }

  protected override keysOf(waiting: Waiter): Iterable<string> {
    return keysOf(waiting);
  }

  /** The next batch, in arrival order, leaving what must wait for a batch under way or an earlier caller. */
  protected take(): Waiter[] {
    const group: Waiter[] = [];
    const kept: Waiter[] = [];
    let size = 0;
    // Parts an earlier caller left waiting: a later caller with one of them waits too, so order holds.
    const held = new Set<string>();
    for (const waiting of this.waiting) {
      const keys = keysOf(waiting);
      const full = group.length > 0 && size + waiting.items.length > this.maxObservations;
      const blocked = full || [...keys].some((key) => held.has(key) || this.isBusy(key));
      if (blocked) {
        kept.push(waiting);
        for (const key of keys) held.add(key);
        continue;
      }
      group.push(waiting);
      size += waiting.items.length;
    }
    this.waiting.length = 0;
    this.waiting.push(...kept);
    return group;
  }
}
