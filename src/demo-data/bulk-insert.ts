/**
 * Bulk inserts for the demo generator, the same rows on PGlite and PostgreSQL 15.
 *
 * PostgreSQL: COPY ... FROM STDIN in text format through pg-copy-streams. It costs the server about
 * half the CPU of an INSERT of the same rows (1.8 s against 3-4.8 s per 500,000 ledger rows,
 * measured), which matters at a million subscribers: the one backend of a one-transaction load is
 * the bottleneck. The rows are encoded chunk by chunk as the socket takes them, so a batch is
 * never held twice in memory (as a string and as the buffer sent).
 *
 * PGlite (and PostgreSQL if the driver client cannot be reached): each column travels as one text
 * parameter (values joined by U+001F) and the statement unnests them,
 *   insert into t (a, b) select u.c0, u.c1 from unnest(string_to_array($1, E'\x1f', '')::int4[], ...) u
 * so 20,000 rows are one round trip with a handful of parameters.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type SQL, sql } from 'drizzle-orm';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { isoOf } from './calendar.js';

const SEPARATOR = '\x1f';

/**
 * How a column travels: `type` is the element type to cast to (int4, int8, text, date, an enum...);
 * `epoch` sends seconds since 1970 for a timestamptz; `dictionary` sends repeated texts (ledger
 * descriptions) once per statement and an index per row.
 */
export interface Column {
  name: string;
  type: string;
  epoch?: boolean;
  dictionary?: boolean;
}

export interface Executor {
  execute(query: SQL): Promise<unknown>;
}

/** Loads COPY text-format rows, given in chunks of whole rows, into a table. */
export type Copier = (table: string, columns: string[], chunks: Iterable<string>) => Promise<void>;

export interface PgliteQueryable {
  query(text: string, params: unknown[], options: { blob: Blob }): Promise<unknown>;
}

function copyStatement(table: string, columns: string[], source: string): string {
  return `copy "${table}" (${columns.map((column) => `"${column}"`).join(', ')}) from ${source}`;
}

/**
 * COPY through node-postgres under a Drizzle transaction (the transaction session's `client`), or
 * null on PGlite or when the client cannot be reached, where inserts are used instead.
 */
export function copierFor(transaction: unknown): Copier | null {
  const client = (transaction as { session?: { client?: unknown } }).session?.client;
  if (!(client instanceof pg.Client)) return null;
  // pipeline pulls the next chunk only when the COPY stream has room (back-pressure) and rejects
  // with the server's error when the COPY fails.
  return (table, columns, chunks) =>
    pipeline(Readable.from(chunks), client.query(copyFrom(copyStatement(table, columns, 'stdin'))));
}

/**
 * COPY into PGlite through its '/dev/blob'. Not used by the generator: on PGlite it measured about
 * twice the CPU of the unnest inserts (the blob goes through PGlite's virtual file system), but it
 * lets tests check the COPY text against the real parser.
 */
export function pgliteCopier(client: PgliteQueryable): Copier {
  return async (table, columns, chunks) => {
    await client.query(copyStatement(table, columns, "'/dev/blob'"), [], { blob: new Blob([...chunks]) });
  };
}

/** A timestamptz in COPY's text form, in UTC: "2025-03-01 19:05:00+00". */
function copyTimestamp(epochSeconds: number): string {
  const day = Math.floor(epochSeconds / 86_400);
  const seconds = epochSeconds - day * 86_400;
  const hh = Math.floor(seconds / 3_600);
  const mm = Math.floor((seconds % 3_600) / 60);
  const ss = seconds % 60;
  return `${isoOf(day)} ${hh < 10 ? '0' : ''}${hh}:${mm < 10 ? '0' : ''}${mm}:${ss < 10 ? '0' : ''}${ss}+00`;
}

const COPY_SPECIAL = /[\\\t\n\r]/;

/** About 64 K characters per COPY data message: few messages, little memory in flight. */
const COPY_CHUNK_CHARS = 64 * 1024;

/** COPY text format escapes backslash, tab, newline and carriage return; \N is null. */
function copyText(value: string): string {
  if (!COPY_SPECIAL.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (char) =>
    char === '\\' ? '\\\\' : char === '\t' ? '\\t' : char === '\n' ? '\\n' : '\\r',
  );
}

type Value = string | number | null;

/**
 * Rows of one table waiting to be inserted, kept as one array per column. Null travels as an empty
 * string (Array.join's own rendering of null), so text columns must never hold ''.
 */
export class TableBuffer {
  readonly columns: Column[];
  private data: Value[][];

  constructor(
    readonly table: string,
    columns: (Column | string)[],
  ) {
    this.columns = columns.map((column) => {
      if (typeof column !== 'string') return column;
      const [name, type] = column.split(':') as [string, string];
      return { name, type };
    });
    this.data = this.columns.map(() => []);
  }

  get size(): number {
    return this.data[0]?.length ?? 0;
  }

  add(...values: Value[]): void {
    for (let i = 0; i < values.length; i++) (this.data[i] as Value[]).push(values[i] as Value);
  }

  /** Hands the buffered rows over, in statements of at most `maxRows`, and starts empty again. */
  take(maxRows: number): Value[][][] {
    const data = this.data;
    this.data = this.columns.map(() => []);
    const rows = data[0]?.length ?? 0;
    const batches: Value[][][] = [];
    for (let start = 0; start < rows; start += maxRows) {
      batches.push(rows <= maxRows ? data : data.map((column) => column.slice(start, start + maxRows)));
    }
    return batches;
  }

  /** The batch as COPY text-format rows, in chunks of whole rows of about `chunkChars` characters, made as they are asked for. */
  *copyChunks(batch: Value[][], chunkChars = COPY_CHUNK_CHARS): Generator<string> {
    const rows = batch[0]?.length ?? 0;
    const encoders = this.columns.map((column) =>
      column.epoch ? (value: Value) => copyTimestamp(value as number) : (value: Value) => copyText(String(value)),
    );
    const width = this.columns.length;
    let out = '';
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < width; c++) {
        const value = (batch[c] as Value[])[r] as Value;
        if (c > 0) out += '\t';
        out += value === null ? '\\N' : (encoders[c] as (value: Value) => string)(value);
      }
      out += '\n';
      if (out.length >= chunkChars) {
        yield out;
        out = '';
      }
    }
    if (out) yield out;
  }

  /** The batch as one portable INSERT ... SELECT FROM unnest(...) statement. */
  statement(batch: Value[][]): SQL {
    const selects: SQL[] = [];
    const arrays: SQL[] = [];
    const dictionaries: SQL[] = [];
    this.columns.forEach((column, index) => {
      const values = batch[index] as Value[];
      const alias = sql.raw(`u.c${index}`);
      if (column.dictionary) {
        const words = new Map<string, number>();
        const indexes = values.map((value) => {
          if (value === null) return null;
          const text = String(value);
          let position = words.get(text);
          if (position === undefined) {
            position = words.size + 1;
            words.set(text, position);
          }
          return position;
        });
        const name = sql.raw(`d${index}`);
        dictionaries.push(
          sql`(select string_to_array(${[...words.keys()].join(SEPARATOR)}, E'\\x1f') as words) ${name}`,
        );
        arrays.push(sql`string_to_array(${indexes.join(SEPARATOR)}, E'\\x1f', '')::int4[]`);
        selects.push(sql`${name}.words[${alias}]::${sql.raw(column.type)}`);
      } else if (column.epoch) {
        arrays.push(sql`string_to_array(${values.join(SEPARATOR)}, E'\\x1f', '')::int8[]`);
        selects.push(sql`to_timestamp(${alias})`);
      } else {
        arrays.push(sql`string_to_array(${values.join(SEPARATOR)}, E'\\x1f', '')::${sql.raw(column.type)}[]`);
        selects.push(sql`${alias}`);
      }
    });
    const names = sql.raw(this.columns.map((column) => `"${column.name}"`).join(', '));
    const aliases = sql.raw(this.columns.map((_, index) => `c${index}`).join(', '));
    const from = [sql`unnest(${sql.join(arrays, sql`, `)}) as u(${aliases})`, ...dictionaries];
    return sql`insert into ${sql.raw(`"${this.table}"`)} (${names}) select ${sql.join(selects, sql`, `)} from ${sql.join(from, sql`, `)}`;
  }
}

/**
 * Sends batches while the next ones are being generated: `flush` waits for the previous batch to
 * finish, queues this one and returns, so JavaScript builds rows while the database inserts.
 */
export class BulkWriter {
  readonly counts: Record<string, number> = {};
  /** Milliseconds the database spent on each table's batches (for the benchmark). */
  readonly milliseconds: Record<string, number> = {};
  private pending: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly executor: Executor,
    private readonly copier: Copier | null,
    private readonly maxRows = 20_000,
  ) {}

  private async insert(buffer: TableBuffer, batch: Value[][]): Promise<void> {
    if (this.copier) {
      await this.copier(
        buffer.table,
        buffer.columns.map((column) => column.name),
        buffer.copyChunks(batch),
      );
    } else {
      await this.executor.execute(buffer.statement(batch));
    }
  }

  /** Queues every buffered row of these tables, in this order (parents before children). */
  async flush(buffers: TableBuffer[]): Promise<void> {
    const work = buffers.map((buffer) => ({ buffer, batches: buffer.take(this.maxRows) }));
    await this.pending;
    if (this.failure) throw this.failure.error;
    this.pending = (async () => {
      for (const { buffer, batches } of work) {
        for (const batch of batches) {
          const started = performance.now();
          await this.insert(buffer, batch);
          this.milliseconds[buffer.table] = (this.milliseconds[buffer.table] ?? 0) + performance.now() - started;
          this.counts[buffer.table] = (this.counts[buffer.table] ?? 0) + (batch[0]?.length ?? 0);
        }
      }
    })().catch((error: unknown) => {
      this.failure = { error };
    });
  }

  async finish(): Promise<void> {
    await this.pending;
    if (this.failure) throw this.failure.error;
  }
}
