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
  /**
   * Hears NOTIFY on `channel` over a connection of its own: on PostgreSQL a client outside the
   * pool (a pooled connection is handed to others between queries; behind PgBouncer this one must
   * reach PostgreSQL directly), reconnected with back-off after a loss; on PGlite, its listen().
   */
  listen(channel: string, handlers: ListenHandlers): Promise<Listening>;
  /**
   * Leads while it holds a session advisory lock named `name`, on a connection of its own, as
   * listen() holds LISTEN: behind PgBouncer in transaction mode a session lock through the pool
   * would be held by whichever client had the connection last, so this one reaches PostgreSQL
   * directly. Until it gets the lock it tries again every `retryMs`; should its connection fail
   * it stops leading (`lost`) and tries again. On PGlite, one process, it leads at once.
   */
  lead(name: string, handlers: LeadHandlers, options?: { retryMs?: number }): Promise<Listening>;
  close(): Promise<void>;
  /** The PGlite instance when the engine is PGlite (for dumps in tests). */
  pglite?: PGlite;
  pool?: pg.Pool;
}

export interface ListenHandlers {
  /** A notification's payload. */
  notify(payload: string): void;
  /**
   * Listening: at the start and again after each reconnect. Notifications sent while the
   * connection was down are lost, so whatever they would have announced is to be read now.
   */
  connected?(): void;
  /** The connection was lost; a new one is tried after a pause (250 ms doubling to 10 s). */
  lost?(error: Error): void;
}

export interface LeadHandlers {
  /** This instance holds the lock now. */
  gained(): void;
  /** It held the lock and no longer does (its connection failed): stop leading at once. */
  lost(error: Error): void;
}

export interface Listening {
  close(): Promise<void>;
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
    listen: async (channel, handlers) => {
      const unlisten = await pglite.listen(channel, (payload) => handlers.notify(payload));
      handlers.connected?.();
      return { close: () => unlisten().catch(() => {}) };
    },
    lead: async (_name, handlers) => {
      handlers.gained();
      return { close: async () => {} };
    },
    close: () => pglite.close(),
  };
}

const LISTEN_RETRY_FIRST_MS = 250;
const LISTEN_RETRY_MAX_MS = 10_000;

/** LISTEN on a client of its own, reconnected until closed; the first connection must succeed. */
async function listenPostgres(config: pg.ClientConfig, channel: string, handlers: ListenHandlers): Promise<Listening> {
  let current: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let pause = LISTEN_RETRY_FIRST_MS;

  const tryAgainLater = () => {
    retry = setTimeout(() => {
      retry = undefined;
      if (closed) return;
      connect().catch((error: Error) => {
        handlers.lost?.(error);
        pause = Math.min(pause * 2, LISTEN_RETRY_MAX_MS);
        tryAgainLater();
      });
    }, pause);
  };

  const connect = async () => {
    const client = new pg.Client(config);
    const lost = (error: Error) => {
      if (current !== client) return;
      current = undefined;
      client.end().catch(() => {});
      if (closed) return;
      handlers.lost?.(error);
      tryAgainLater();
    };
    // Errors before `current` is set reject connect() instead.
    client.on('error', lost);
    client.on('end', () => lost(new Error('the listening connection ended')));
    client.on('notification', (message) => {
      if (message.channel === channel) handlers.notify(message.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(`listen ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    if (closed) {
      await client.end().catch(() => {});
      return;
    }
    current = client;
    pause = LISTEN_RETRY_FIRST_MS;
    handlers.connected?.();
  };

  await connect();
  return {
    close: async () => {
      closed = true;
      clearTimeout(retry);
      const client = current;
      current = undefined;
      await client?.end().catch(() => {});
    },
  };
}

/**
 * Tries for the lock every `retryMs` on a client of its own, and, once held, checks every
 * `retryMs` that the connection still answers: a lock on a connection that died is PostgreSQL's
 * to give to another instance, so this one must stop leading as soon as it can know.
 */
async function leadPostgres(
  config: pg.ClientConfig,
  name: string,
  handlers: LeadHandlers,
  retryMs: number,
): Promise<Listening> {
  let closed = false;
  let client: pg.Client | undefined;
  let leading = false;
  let timer: NodeJS.Timeout | undefined;
  // An instance that just lost its connection waits a few turns before trying again, so an
  // instance whose database connection is sound takes over rather than the one that failed.
  let notBefore = 0;

  const drop = (error: Error) => {
    const was = client;
    client = undefined;
    was?.end().catch(() => {});
    if (leading) {
      leading = false;
      notBefore = Date.now() + retryMs * 5;
      handlers.lost(error);
    }
  };
  const step = async () => {
    if (closed) return;
    try {
      if (!client) {
        if (Date.now() < notBefore) return;
        const fresh = new pg.Client(config);
        fresh.on('error', (error) => {
          if (client === fresh) drop(error);
        });
        await fresh.connect();
        if (closed) {
          await fresh.end().catch(() => {});
          return;
        }
        client = fresh;
      }
      if (leading) {
        await client.query('select 1');
      } else {
        // Two keys: the first says the lock is a leader's, the second which (hashtext of the name).
        const result = await client.query<{ held: boolean }>(
          'select pg_try_advisory_lock(1279869252, hashtext($1)) as held',
          [name],
        );
        if (result.rows[0]?.held && !closed) {
          leading = true;
          handlers.gained();
        }
      }
    } catch (error) {
      drop(error as Error);
    } finally {
      if (!closed) timer = setTimeout(() => void step(), retryMs);
    }
  };
  await step();
  return {
    close: async () => {
      closed = true;
      clearTimeout(timer);
      const was = client;
      client = undefined;
      leading = false;
      // Ending the session releases the lock.
      await was?.end().catch(() => {});
    },
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
    listen: (channel, handlers) =>
      listenPostgres(
        {
          connectionString: url,
          connectionTimeoutMillis,
          // A connection dropped without a word (a firewall's idle timeout) is noticed in about a minute.
          keepAlive: true,
          keepAliveInitialDelayMillis: 10_000,
          application_name: 'linedesk listen',
        },
        channel,
        handlers,
      ),
    lead: (name, handlers, lead = {}) =>
      leadPostgres(
        {
          connectionString: url,
          connectionTimeoutMillis,
          keepAlive: true,
          keepAliveInitialDelayMillis: 10_000,
          application_name: 'linedesk lead',
        },
        name,
        handlers,
        lead.retryMs ?? 1000,
      ),
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
