import { GroupCommit, type Waiting } from '../../db/group-commit.js';
import type { AppContext } from '../core/context.js';
import type { PbxEvent } from './pbx.js';
import { applyPbxEvents, type PbxEventOutcome } from './pbx-events.js';

export interface PbxEventBatcherOptions {
  /** Events applied in one transaction at most (several requests' worth). */
  maxEvents?: number;
  /** Transactions under way at once; the rest wait their turn and are merged meanwhile. */
  concurrency?: number;
  /** What applies a batch (tests put a failing one here). */
  apply?: typeof applyPbxEvents;
}

/**
 * Applies the events of requests that arrive together in one transaction (src/db/group-commit.ts):
 * a PBX that sends each event in a request of its own is then no slower than one that batches
 * (budget: 1,000 events/s). Each request gets its own events' outcomes, in its own order; should a
 * merged batch fail, each request in it is tried alone.
 */
export class PbxEventBatcher extends GroupCommit<PbxEvent, PbxEventOutcome> {
  private readonly maxEvents: number;
  private readonly applyEvents: typeof applyPbxEvents;

  constructor(
    private readonly ctx: AppContext,
    options: PbxEventBatcherOptions = {},
  ) {
    super(ctx.log, options.concurrency ?? 4, 'PBX events');
    this.maxEvents = options.maxEvents ?? 200;
    this.applyEvents = options.apply ?? applyPbxEvents;
  }

  apply(events: PbxEvent[]): Promise<PbxEventOutcome[]> {
    return this.submit(events);
  }

  /** Requests in arrival order, as many as fit (the first always goes, however large). */
  protected take(): Waiting<PbxEvent, PbxEventOutcome>[] {
    const batch = [this.waiting.shift() as Waiting<PbxEvent, PbxEventOutcome>];
    let count = batch[0]?.items.length ?? 0;
    while (this.waiting.length > 0 && count + (this.waiting[0]?.items.length ?? 0) <= this.maxEvents) {
      const request = this.waiting.shift() as Waiting<PbxEvent, PbxEventOutcome>;
      count += request.items.length;
      batch.push(request);
    }
    return batch;
  }

  protected applyBatch(events: PbxEvent[]): Promise<PbxEventOutcome[]> {
    return this.applyEvents(this.ctx, events);
  }
}
