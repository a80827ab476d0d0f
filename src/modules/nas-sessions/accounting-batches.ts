import type { AppContext } from '../core/context.js';
import type { AccountingOutcome, AccountingRecord } from './record.js';
import { recordAccountingBatch } from './service.js';

interface Waiting {
  record: AccountingRecord;
  key: string;
  resolve: (outcome: AccountingOutcome) => void;
  reject: (error: unknown) => void;
}

export interface AccountingBatcherOptions {
  /** Records applied in one transaction at most. */
  maxRecords?: number;
  /** Transactions under way at once; the records that come meanwhile wait and go together. */
  concurrency?: number;
  /** What applies a batch (tests put a failing one here). */
  apply?: typeof recordAccountingBatch;
}

const sessionKey = (record: AccountingRecord) =>
  record.status === 'accounting_on' || record.status === 'accounting_off'
    ? `nas:${record.nas}`
    : `${record.nas}\u0000${record.sessionId ?? ''}`;

/**
 * Applies the accounting records that arrive together in one transaction (budget: 10,000 records
 * a second, docs/benchmarks.md): while some batches are being written, the datagrams that come in
 * wait and then go as one. Each record's promise settles with its own outcome once its batch is
 * committed, so the NAS is answered only then. Should a batch fail, each record in it is tried
 * alone, so a record that cannot be stored fails only itself (and goes unanswered: the NAS
 * resends it).
 *
 * Records of one session go in the order they came: a record whose session is in a batch under
 * way waits for the next one. Accounting-On/Off goes in a batch of its own, after every record of
 * its NAS that came before it and before any that came after.
 */
export class AccountingBatcher {
  private readonly waiting: Waiting[] = [];
  /** Sessions (and NASes, for Accounting-On/Off) in batches under way. */
  private readonly busy = new Map<string, number>();
  private running = 0;
  private readonly maxRecords: number;
  private readonly concurrency: number;
  private readonly applyBatch: typeof recordAccountingBatch;

  constructor(
    private readonly ctx: AppContext,
    options: AccountingBatcherOptions = {},
  ) {
    this.maxRecords = options.maxRecords ?? 500;
    this.concurrency = options.concurrency ?? 3;
    this.applyBatch = options.apply ?? recordAccountingBatch;
  }

  apply(record: AccountingRecord): Promise<AccountingOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ record, key: sessionKey(record), resolve, reject });
      this.next();
    });
  }

  private next(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const group = this.take();
      if (group.length === 0) return;
      this.running++;
      for (const { key } of group) this.busy.set(key, (this.busy.get(key) ?? 0) + 1);
      void this.run(group).finally(() => {
        for (const { key } of group) {
          const left = (this.busy.get(key) ?? 1) - 1;
          if (left === 0) this.busy.delete(key);
          else this.busy.set(key, left);
        }
        this.running--;
        this.next();
      });
    }
  }

  /** The next batch, in arrival order, leaving what must wait for a batch under way (or for this one). */
  private take(): Waiting[] {
    const group: Waiting[] = [];
    const kept: Waiting[] = [];
    const groupNases = new Set<string>();
    // What something earlier left waiting holds back: its session, and its NAS for an Accounting-On/Off.
    const heldKeys = new Set<string>();
    const heldNases = new Set<string>();
    const keptNases = new Set<string>();
    const busyNases = new Set<string>();
    for (const key of this.busy.keys()) busyNases.add(key.startsWith('nas:') ? key.slice(4) : key.split('\u0000')[0]!);
    const alone = () => group.length === 1 && group[0]!.key.startsWith('nas:');
    for (const waiting of this.waiting) {
      const { record, key } = waiting;
      const nasWide = key.startsWith('nas:');
      const blocked =
        group.length >= this.maxRecords ||
        alone() ||
        heldKeys.has(key) ||
        heldNases.has(record.nas) ||
        this.busy.has(key) ||
        this.busy.has(`nas:${record.nas}`) ||
        (nasWide &&
          (group.length > 0 || busyNases.has(record.nas) || groupNases.has(record.nas) || keptNases.has(record.nas)));
      if (blocked) {
        kept.push(waiting);
        heldKeys.add(key);
        keptNases.add(record.nas);
        if (nasWide) heldNases.add(record.nas);
        continue;
      }
      group.push(waiting);
      groupNases.add(record.nas);
    }
    this.waiting.length = 0;
    this.waiting.push(...kept);
    return group;
  }

  private async run(group: Waiting[]): Promise<void> {
    try {
      const outcomes = await this.applyBatch(
        this.ctx,
        group.map((waiting) => waiting.record),
      );
      group.forEach((waiting, index) => {
        const outcome = outcomes[index];
        if (outcome) waiting.resolve(outcome);
        else waiting.reject(new Error('the batch gave no outcome for this record'));
      });
    } catch (error) {
      if (group.length === 1) {
        group[0]?.reject(error);
        return;
      }
      this.ctx.log.warn({ err: error, records: group.length }, 'RADIUS accounting: a batch failed, each record alone');
      for (const waiting of group) {
        try {
          const [outcome] = await this.applyBatch(this.ctx, [waiting.record]);
          if (outcome) waiting.resolve(outcome);
          else waiting.reject(new Error('the batch gave no outcome for this record'));
        } catch (alone) {
          waiting.reject(alone);
        }
      }
    }
  }
}
