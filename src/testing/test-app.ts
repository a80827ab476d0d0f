import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Role } from '../common/api/staff.js';
import { loadConfig } from '../config.js';
import type { Database } from '../db/connection.js';
import type { AppContext } from '../modules/core/context.js';
import { buildApp } from '../server/app.js';
import { openTestDatabase } from './database.js';
import { TEST_DEMO } from './demo.js';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  database: Database;
  /** A session cookie for the demo login of that role (password `demo`). */
  loginAs(role: Role): Promise<string>;
  close(): Promise<void>;
}

/** `env`: configuration variables on top of the test defaults, checked as at a real start. */
export async function startTestApp(
  options: { clock?: () => Date; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const database = await openTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...options.env });
  const ctx: AppContext = {
    config: { ...config, engine: database.engine },
    database,
    log: pino({ level: 'silent' }),
    // The demo data is generated for TEST_DEMO.today; the app lives on that day too.
    clock: options.clock ?? (() => new Date(`${TEST_DEMO.today}T09:00:00Z`)),
  };
  const app = await buildApp(ctx, { serveWeb: false });
  await app.ready();
  return {
    app,
    ctx,
    database,
    async loginAs(role) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { login: role, password: 'demo' },
      });
      if (response.statusCode !== 200) throw new Error(`login as ${role}: ${response.statusCode} ${response.body}`);
      const cookie = response.cookies.find((c) => c.name === 'linedesk_session');
      if (!cookie) throw new Error('no session cookie');
      return `linedesk_session=${cookie.value}`;
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
}
