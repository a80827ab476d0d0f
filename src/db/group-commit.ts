import type { Logger } from 'pino';

/** A caller waiting for its items to be applied: it gets one outcome per item, in its order. */
export interface Waiting<Item, Outcome> {
  items: Item[];
  resolve: (outcomes: Outcome[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Applies the work that arrives together in one transaction, as a database commits a group of
 * transactions at once: while some batches are being applied, what comes in waits and then goes
 * as one. Each caller's promise settles with its own items' outcomes once its batch is committed.
 * Should a batch of several callers fail, each caller is tried alone, so one that cannot be
 * applied fails only itself. Subclasses say what a batch is (`take`) and how it is applied.
 */
export abstract class GroupCommit<Item, Outcome> {
  /** In arrival order; `take` removes the ones it puts in a batch. */
  protected readonly waiting: Waiting<Item, Outcome>[] = [];
  private running = 0;

  constructor(
    private readonly log: Logger,
    /** Transactions under way at once. */
    private readonly concurrency: number,
    /** What the log calls a batch that failed ("PBX events", "RADIUS accounting"). */
    private readonly what: string,
  ) {}

  /** The next batch, taken out of `waiting`; empty when everything waiting must wait for a batch under way. */
  protected abstract take(): Waiting<Item, Outcome>[];

  /** Applies a batch's items in one transaction: an outcome per item, in order. */
  protected abstract applyBatch(items: Item[]): Promise<Outcome[]>;

  /**
   * What a caller's items must not share with a batch under way, or their order would break (a
   * session, a port): `take` asks `isBusy` and leaves such a caller for a later batch. None by default.
   */
  protected keysOf(_waiting: Waiting<Item, Outcome>): Iterable<string> {
    return [];
  }

  /** Whether a batch under way holds this key. */
  protected isBusy(key: string): boolean {
    return this.busy.has(key);
  }

  /** The keys batches under way hold. */
  protected busyKeys(): Iterable<string> {
    return this.busy.keys();
  }

  /** Keys of batches under way, with how many batches hold each. */
  private readonly busy = new Map<string, number>();

  private hold(batch: Waiting<Item, Outcome>[], by: 1 | -1): void {
    for (const waiting of batch) {
      for (const key of new Set(this.keysOf(waiting))) {
        const held = (this.busy.get(key) ?? 0) + by;
        if (held <= 0) this.busy.delete(key);
        else this.busy.set(key, held);
      }
    }
  }

  protected submit(items: Item[]): Promise<Outcome[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ items, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const batch = this.take();
      if (batch.length === 0) return;
      this.running++;
      this.hold(batch, 1);
      void this.run(batch).finally(() => {
        this.hold(batch, -1);
        this.running--;
        this.next();
      });
    }
  }

  private async run(batch: Waiting<Item, Outcome>[]): Promise<void> {
    try {
      settle(batch, await this.applyBatch(batch.flatMap((waiting) => waiting.items)));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      this.log.warn({ err: error, callers: batch.length }, `${this.what}: a batch failed, each caller alone`);
      for (const waiting of batch) {
        try {
          settle([waiting], await this.applyBatch(waiting.items));
        } catch (alone) {
          waiting.reject(alone);
        }
      }
    }
  }
}

function settle<Item, Outcome>(batch: Waiting<Item, Outcome>[], outcomes: Outcome[]): void {
  let offset = 0;
  for (const waiting of batch) {
    const own = outcomes.slice(offset, offset + waiting.items.length);
    offset += waiting.items.length;
    if (own.length === waiting.items.length) waiting.resolve(own);
    else waiting.reject(new Error('the batch gave no outcome for some of these items'));
  }
}
