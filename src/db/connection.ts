import { createHash } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { amcheck } from '@electric-sql/pglite/contrib/amcheck';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { type Logger, type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { type PgDatabase, PgDialect, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import type { Engine } from '../config.js';
import * as schema from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  engine: Engine;
  db: Db;
  /** Rows of a raw SQL statement, the same shape on both engines. */
  rows<T>(query: SQL): Promise<T[]>;
  /**
   * Rows of a raw SQL statement run as a named prepared statement: on PostgreSQL each connection
   * plans it once and reuses the plan (hot paths spend more on planning than on running). The text
   * of one name must never vary, so keep values in parameters. PGlite runs it as a plain query.
   */
  named<T>(name: string, query: SQL, options?: NamedOptions): Promise<T[]>;
  close(): Promise<void>;
  /** The PGlite instance when the engine is PGlite (for dumps in tests). */
  pglite?: PGlite;
  pool?: pg.Pool;
}

// bigint (int8) columns hold kopecks and ids far below 2^53: read them as numbers.
pg.types.setTypeParser(20, (value) => Number(value));

// amcheck verifies indexes after an unclean stop (db/startup.ts).
// Both drivers answer execute() with an object holding `rows`; the wrappers differ only in type.
const rowsOf =
  (db: Db) =>
  async <T>(query: SQL): Promise<T[]> =>
    ((await db.execute(query)) as unknown as { rows: T[] }).rows;

const dialect = new PgDialect({ casing: 'snake_case' });

/** A raw statement's text and parameters, shown to the logger as Drizzle's own queries are. */
function toQuery(query: SQL, options: OpenOptions): { sql: string; params: unknown[] } {
  const rendered = dialect.sqlToQuery(query);
  options.logger?.logQuery(rendered.sql, rendered.params);
  return rendered;
}

/**
 * A prepared statement's name made from its text, for statements put together from parts (one
 * name per shape, so a name's text never varies). Values must be parameters, lists as one array.
 */
export function nameOfShape(prefix: string, query: SQL): string {
  const text = dialect.sqlToQuery(query).sql;
  return `${prefix}_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
}

export const pgliteExtensions = { pg_trgm, fuzzystrmatch, amcheck };

export interface NamedOptions {
  /**
   * 'generic': one plan for every value, never planned again. For lookups by key, whose plan is the
   * same whatever the value: PostgreSQL otherwise re-plans per value whenever it cannot prove the
   * generic plan cheaper, and for a caller lookup that planning took 0.9 ms against 0.1 ms of
   * running (docs/benchmarks.md). Not for filters whose best plan depends on the value (a rare
   * account state against no filter): there the per-value plan is worth its cost.
   */
  plan?: 'generic';
}

/** `logger` sees every statement, named ones included (the benchmark records them to replay bare). */
export interface OpenOptions {
  logger?: Logger;
  /**
   * PostgreSQL: how long opening a connection (TCP, TLS, authentication) may take, and waiting for
   * a free one in the pool. Without it a server that accepts the connection and never answers
   * holds the caller forever.
   */
  connectTimeoutMs?: number;
}

export async function openPglite(
  dataDir: string | undefined,
  loadDataDir?: Blob | File,
  options: OpenOptions = {},
): Promise<Database> {
  const pglite = await PGlite.create({
    dataDir,
    extensions: pgliteExtensions,
    loadDataDir,
    parsers: { 20: (value: string) => Number(value) },
  });
  const db = drizzlePglite(pglite, { schema, casing: 'snake_case', logger: options.logger }) as unknown as Db;
  return {
    engine: 'pglite',
    db,
    pglite,
    rows: rowsOf(db),
    named: async <T>(_name: string, query: SQL) => {
      const { sql: text, params } = toQuery(query, options);
      return (await pglite.query<T>(text, params)).rows;
    },
    close: () => pglite.close(),
  };
}

export async function openPostgres(url: string, poolSize = 10, options: OpenOptions = {}): Promise<Database> {
  const connectionTimeoutMillis = options.connectTimeoutMs;
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis });
  // Connections that always use a statement's generic plan (NamedOptions.plan), kept apart so the
  // setting never reaches the other statements.
  const genericPool = new pg.Pool({
    connectionString: url,
    max: Math.max(2, Math.ceil(poolSize / 2)),
    connectionTimeoutMillis,
    options: '-c plan_cache_mode=force_generic_plan',
  });
  // A dropped idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  genericPool.on('error', () => {});
  const db = drizzleNodePg(pool, { schema, casing: 'snake_case', logger: options.logger }) as unknown as Db;
  return {
    engine: 'postgres',
    db,
    pool,
    rows: rowsOf(db),
    named: async <T>(name: string, query: SQL, named: NamedOptions = {}) => {
      const { sql: text, params } = toQuery(query, options);
      const target = named.plan === 'generic' ? genericPool : pool;
      return (await target.query({ name, text, values: params })).rows as T[];
    },
    close: async () => {
      await Promise.all([pool.end(), genericPool.end()]);
    },
  };
}

export async function openDatabase(options: {
  databaseUrl?: string;
  dataDir: string;
  databaseTimeoutMs?: number;
}): Promise<Database> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, 10, { connectTimeoutMs: options.databaseTimeoutMs })
    : openPglite(options.dataDir);
}

/** Host and port of a database URL, never its user or password: for messages and logs. */
export function databaseHostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}`;
  } catch {
    return 'the host in DATABASE_URL';
  }
}

export class DatabaseTimeoutError extends Error {}

/**
 * The database's first answer (`select 1`), within `timeoutMs`: a server that accepted the
 * connection and then says nothing fails here instead of hanging the start.
 */
export async function firstAnswer(database: Database, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DatabaseTimeoutError(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    await Promise.race([database.db.execute(sql`select 1`), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function databaseAnswers(database: Database): Promise<boolean> {
  try {
    await database.db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}
