import pino from 'pino';
import { loadConfig } from '../config.js';
import type { Database } from '../db/connection.js';
import type { AppContext } from '../modules/core/context.js';
import { TEST_DEMO } from './demo.js';

/**
 * The context a service function gets, over a test database. `env`: configuration variables on
 * top of the test defaults, checked as at a real start.
 */
export function testContext(
  database: Database,
  options: { clock?: () => Date; env?: Record<string, string> } = {},
): AppContext {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...options.env });
  return {
    config: { ...config, engine: database.engine },
    database,
    log: pino({ level: 'silent' }),
    // The demo data is generated for TEST_DEMO.today; the app lives on that day too.
    clock: options.clock ?? (() => new Date(`${TEST_DEMO.today}T09:00:00Z`)),
  };
}
