import pino from 'pino';
import type { Config } from '../config.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { openForServing, StartupError } from '../db/startup.js';

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
