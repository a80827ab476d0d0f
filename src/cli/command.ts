import pino from 'pino';
import { type Config, ConfigError } from '../config.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { openForServing, StartupError } from '../db/startup.js';

// What the commands (npm run create-admin, npm run demo-data) share. Exit codes: 0 done,
// 1 could not be done (database, refused by the data), 2 bad arguments or configuration.

/** A wrong argument: the command prints it with its usage and exits with 2. */
export class UsageError extends Error {}

/**
 * Prints a wrong argument or configuration value and returns exit code 2; anything else is not
 * the caller's mistake and is thrown on.
 */
export function reportBadInput(command: string, error: unknown, usage: string): number {
  if (error instanceof UsageError || error instanceof ConfigError) {
    console.error(`${command}: ${error instanceof ConfigError ? 'configuration ' : ''}${error.message}\n`);
    if (error instanceof UsageError) console.error(usage);
    return 2;
  }
  throw error;
}

/** Where a command writes, in words: "the embedded database in ./data" or "PostgreSQL host:5432/db". */
export function describeDatabase(config: Config): string {
  if (config.engine === 'pglite') return `the embedded database in ${config.dataDir}`;
  const url = new URL(config.databaseUrl ?? '');
  return `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`;
}

/**
 * Opens the configured database for a command the way the server does (data-folder lock,
 * migrations, the check after an unclean stop), logging start-up messages to stderr as JSON.
 * Returns null after printing why when it cannot be opened.
 */
export async function openDatabaseForCommand(command: string, config: Config) {
  const log = pino(
    { level: process.env.LOG_LEVEL ? config.logLevel : 'warn' },
    pino.destination({ dest: 2, sync: true }),
  );
  try {
    return { log, ...(await openForServing(config, log)) };
  } catch (error) {
    if (error instanceof StartupError || error instanceof DataDirLockedError) {
      console.error(`${command}: ${error.message}`);
      return null;
    }
    throw error;
  }
}
