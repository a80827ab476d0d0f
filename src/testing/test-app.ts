import type { FastifyInstance } from 'fastify';
import type { Role } from '../common/api/staff.js';
import type { Database } from '../db/connection.js';
import type { AppContext } from '../modules/core/context.js';
import { createLiveHub, type LiveHub } from '../modules/live/hub.js';
import type { LivePresence } from '../modules/live/streams.js';
import { buildApp } from '../server/app.js';
import { type TestContextOptions, testContext } from './context.js';
import { openAnotherPool, openTestDatabase } from './database.js';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  database: Database;
  /** This instance's live hub (started with the app). */
  liveHub: LiveHub;
  /** Listens on a free port of 127.0.0.1 (once) and gives the base URL, for what inject() cannot do (a live stream). */
  listen(): Promise<string>;
  /** A session cookie for the demo login of that role (password `demo`). */
  loginAs(role: Role): Promise<string>;
  close(): Promise<void>;
}

export interface TestAppOptions extends TestContextOptions {
  live?: { presence?: LivePresence; heartbeatMs?: number; pollMs?: number };
}

/** The whole app over a private copy of the demo database; `options` as for testContext. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  return appOver(await openTestDatabase(), options);
}

/**
 * Another instance of the app on the same PostgreSQL database as `first`, with its own connection
 * pool and its own caches, as a second server behind the load balancer would be. Closing it leaves
 * the database to `first`.
 */
export async function startSecondInstance(first: TestApp, options: TestAppOptions = {}): Promise<TestApp> {
  return appOver(await openAnotherPool(first.database), options);
}

async function appOver(database: Database, options: TestAppOptions): Promise<TestApp> {
  const ctx = testContext(database, options);
  const liveHub = createLiveHub(ctx, { pollMs: options.live?.pollMs });
  const app = await buildApp(ctx, {
    serveWeb: false,
    liveHub,
    liveHeartbeatMs: options.live?.heartbeatMs,
    livePresence: options.live?.presence,
  });
  await app.ready();
  let listening: Promise<string> | undefined;
  return {
    app,
    ctx,
    database,
    liveHub,
    listen() {
      listening ??= app.listen({ port: 0, host: '127.0.0.1' });
      return listening;
    },
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
