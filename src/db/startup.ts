import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { type Database, DatabaseTimeoutError, databaseHostOf, firstAnswer, openDatabase } from './connection.js';
import { lockDataDir } from './data-dir-lock.js';
import { migrate } from './migrate.js';

export class StartupError extends Error {}

/**
 * Opens the configured engine for a long-running process: on PGlite takes the data folder's lock
 * first, and after an unclean stop (the lock was left behind) verifies every index with amcheck,
 * so a folder damaged by a kill mid-write is refused with a clear message instead of being served.
 */
export async function openForServing(
  config: Config,
  log: Logger,
): Promise<{ database: Database; release: () => void }> {
  let release = () => {};
  let uncleanStop = false;
  if (config.engine === 'pglite') {
    const lock = lockDataDir(config.dataDir);
    release = lock.release;
    uncleanStop = lock.tookOverStaleLock;
    if (uncleanStop)
      log.warn({ dataDir: config.dataDir }, 'the previous process did not stop cleanly: checking the database');
  }
  let database: Database;
  try {
    database = await openDatabase(config);
  } catch (error) {
    release();
    throw new StartupError(openingFailed(config, error as Error));
  }
  try {
    await firstAnswer(database, config.databaseTimeoutMs);
  } catch (error) {
    // A connection that never answers would keep close() waiting too: let it go, the start stops.
    void database.close().catch(() => {});
    release();
    throw new StartupError(openingFailed(config, error as Error));
  }
  try {
    const { applied } = await migrate(database);
    if (applied.length) log.info({ applied }, 'migrations applied');
    if (uncleanStop) await verifyIndexes(database);
    // PGlite runs no autovacuum, so the planner has statistics only when someone gathers them.
    if (config.engine === 'pglite') await database.db.execute(sql`analyze`);
  } catch (error) {
    await database.close().catch(() => {});
    release();
    if (error instanceof StartupError) throw error;
    throw new StartupError(
      `The database could not be prepared (${(error as Error).message}). ` +
        (config.engine === 'pglite' ? 'See docs/operations.md, "PGlite after a crash".' : ''),
    );
  }
  return { database, release };
}

function openingFailed(config: Config, error: Error): string {
  if (config.engine === 'pglite') {
    return (
      `The embedded database in ${config.dataDir} cannot be opened (${error.message}). ` +
      'It was probably damaged by a crash during a write. Move the folder away and restore a backup, ' +
      'or start with an empty DATA_DIR (see docs/operations.md, "PGlite after a crash").'
    );
  }
  const host = databaseHostOf(config.databaseUrl ?? '');
  const timedOut = error instanceof DatabaseTimeoutError || /timeout/i.test(error.message);
  return timedOut
    ? `PostgreSQL at ${host} (DATABASE_URL) accepted no connection or gave no answer within ` +
        `${config.databaseTimeoutMs / 1000} s (DATABASE_TIMEOUT_SECONDS). Check that PostgreSQL runs there and ` +
        'that nothing in between (a firewall, a proxy) holds the connection.'
    : `PostgreSQL at ${host} (DATABASE_URL) does not answer: ${error.message}`;
}

async function verifyIndexes(database: Database) {
  await database.db.execute(sql`create extension if not exists amcheck`);
  const indexes = await database.rows<{ name: string; oid: number }>(sql`
    select c.relname as name, c.oid::int as oid from pg_index i
    join pg_class c on c.oid = i.indexrelid
    join pg_am am on am.oid = c.relam
    join pg_namespace n on n.oid = c.relnamespace
    where am.amname = 'btree' and n.nspname = 'public'`);
  for (const { name, oid } of indexes) {
    try {
      // heapallindexed: also checks that every row of the table is in the index.
      await database.db.execute(sql`select bt_index_check(${oid}::oid::regclass, true)`);
    } catch (error) {
      const cause = (error as Error & { cause?: Error }).cause ?? (error as Error);
      throw new StartupError(
        `The embedded database is damaged (index ${name}: ${cause.message}). ` +
          'Move the data folder away and restore a backup, or start with an empty DATA_DIR (docs/operations.md).',
      );
    }
  }
}
