import type { Db } from './connection.js';

/**
 * Rows a busy transaction writes at its end, one statement per table, instead of one statement
 * each as they come. A PBX's batch of events or a routing pass appends dozens of timeline lines,
 * wake-ups and PBX commands; each was a round trip of its own, and round trips, not the rows, are
 * what a 2-core server runs out of (docs/benchmarks.md, telephony events).
 *
 * Only a transaction opened through `withWriteBehind` buffers; everywhere else `writeBehind`
 * answers false and the caller writes at once, as before. The rows are still written inside the
 * transaction, so they commit or roll back with it; what such a transaction must not do is read
 * them back before its end.
 */
type Flush<Row> = (db: Db, rows: Row[]) => Promise<void>;

interface Pending {
  rows: unknown[];
  flush: Flush<unknown>;
}

const pendingOf = new WeakMap<Db, Map<string, Pending>>();

/** Runs `work` with `tx` buffering, then writes what it buffered, table by table, in the order first buffered. */
export async function withWriteBehind<T>(tx: Db, work: () => Promise<T>): Promise<T> {
  const pending = new Map<string, Pending>();
  pendingOf.set(tx, pending);
  try {
    const result = await work();
    for (const { rows, flush } of pending.values()) await flush(tx, rows);
    return result;
  } finally {
    pendingOf.delete(tx);
  }
}

/**
 * Buffers `row` for `table` when `db` is a write-behind transaction and returns true; returns
 * false otherwise, and the caller writes the row itself. `flush` writes the table's rows in one go.
 */
export function writeBehind<Row>(db: Db, table: string, row: Row, flush: Flush<Row>): boolean {
  const pending = pendingOf.get(db);
  if (!pending) return false;
  const buffered = pending.get(table);
  if (buffered) buffered.rows.push(row);
  else pending.set(table, { rows: [row], flush: flush as Flush<unknown> });
  return true;
}
