import { GroupCommit, type Waiting } from '../../db/group-commit.js';
import type { AppContext } from '../core/context.js';
import type { AccountingOutcome, AccountingRecord } from './record.js';
import { recordAccountingBatch } from './service.js';

type Waiter = Waiting<AccountingRecord, AccountingOutcome>;

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
const keyOf = (waiting: Waiter) => sessionKey(waiting.items[0] as AccountingRecord);

/**
 * Applies the accounting records that arrive together in one transaction (src/db/group-commit.ts;
 * budget: 10,000 records a second, docs/benchmarks.md). Each record's promise settles with its own
 * outcome once its batch is committed, so the NAS is answered only then. Should a batch fail, each
 * record in it is tried alone, so a record that cannot be stored fails only itself (and goes
 * unanswered: the NAS resends it).
 *
 * Records of one session go in the order they came: a record whose session is in a batch under
 * way waits for the next one. Accounting-On/Off goes in a batch of its own, after every record of
 * its NAS that came before it and before any that came after.
 */
export class AccountingBatcher extends GroupCommit<AccountingRecord, AccountingOutcome> {
  private readonly maxRecords: number;
  private readonly applyRecords: typeof recordAccountingBatch;

  constructor(
    private readonly ctx: AppContext,
    options: AccountingBatcherOptions = {},
  ) {
    super(ctx.log, options.concurrency ?? 2, 'RADIUS accounting');
    this.maxRecords = options.maxRecords ?? 500;
    this.applyRecords = options.apply ?? recordAccountingBatch;
  }

  async apply(record: AccountingRecord): Promise<AccountingOutcome> {
    const [outcome] = await this.submit([record]);
    return outcome as AccountingOutcome;
  }

  protected applyBatch(records: AccountingRecord[]): Promise<AccountingOutcome[]> {
    return this.applyRecords(this.ctx, records);
  }

  protected override keysOf(waiting: Waiter): Iterable<string> {
    return [keyOf(waiting)];
  }

  /** The next batch, in arrival order, leaving what must wait for a batch under way (or for this one). */
  protected take(): Waiter[] {
    const group: Waiter[] = [];
    const kept: Waiter[] = [];
    const groupNases = new Set<string>();
    // What something earlier left waiting holds back: its session, and its NAS for an Accounting-On/Off.
    const heldKeys = new Set<string>();
    const heldNases = new Set<string>();
    const keptNases = new Set<string>();
    const busyNases = new Set<string>();
    for (const key of this.busyKeys()) busyNases.add(key.startsWith('nas:') ? key.slice(4) : key.split('\u0000')[0]!);
    const alone = () => group.length === 1 && keyOf(group[0]!).startsWith('nas:');
    for (const waiting of this.waiting) {
      const record = waiting.items[0] as AccountingRecord;
      const key = sessionKey(record);
      const nasWide = key.startsWith('nas:');
      const blocked =
        group.length >= this.maxRecords ||
        alone() ||
        heldKeys.has(key) ||
        heldNases.has(record.nas) ||
        this.isBusy(key) ||
        this.isBusy(`nas:${record.nas}`) ||
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
}
