import type { DestinationStream } from 'pino';
import { loadConfig } from '../config.js';
import type { Database } from '../db/connection.js';
import type { AppContext } from '../modules/core/context.js';
import { createLog } from '../server/log.js';
import { TEST_DEMO } from './demo.js';

export interface TestContextOptions {
  clock?: () => Date;
  env?: Record<string, string>;
  /** Where the log lines go (at level `info`), for a test that reads them; silent without it. */
  logTo?: DestinationStream;
}

/**
 * The context a service function gets, over a test database. `env`: configuration variables on
 * top of the test defaults, checked as at a real start.
 */
export function testContext(database: Database, options: TestContextOptions = {}): AppContext {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...options.env });
  return {
    config: { ...config, engine: database.engine },
    database,
    // The server's own logger, so a test that reads the log sees what production would write.
    log: options.logTo ? createLog('info', options.logTo) : createLog('silent'),
    // The demo data is generated for TEST_DEMO.today; the app lives on that day too.
    clock: options.clock ?? (() => new Date(`${TEST_DEMO.today}T09:00:00Z`)),
  };
}
