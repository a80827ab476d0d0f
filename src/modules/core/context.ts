import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Database } from '../../db/connection.js';

/** What every service function gets: explicit, so routes, CLIs, jobs and tests call them alike. */
export interface AppContext {
  config: Config;
  database: Database;
  log: Logger;
  clock: () => Date;
}
