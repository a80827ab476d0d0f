// Captures the SQL an endpoint runs, so bare-sql.ts can replay exactly those statements with
// exactly those parameters: the service function behind the route is called in-process on a
// database handle whose Drizzle logger records every statement (the HTTP layer, the session
// check and the JSON encoding are left out, which is what the API/SQL ratio shows).
// No budget of its own: it serves the card, list and identification budgets in run.ts.
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import pino from 'pino';
import type { Me } from '../src/common/api/staff.js';
import { loadConfig } from '../src/config.js';
import { type Database, type Db, pgliteExtensions } from '../src/db/connection.js';
import { lockDataDir } from '../src/db/data-dir-lock.js';
import * as schema from '../src/db/schema.js';
import type { AppContext } from '../src/server/context.js';
import type { Statement } from './bare-sql.js';

// The vocabulary is held in memory by the server and refreshed every 30 s: its load is not part
// of one request, so it is left out of the replay.
const NOT_PER_REQUEST = [/from name_vocabulary/i, /from streets order by name_norm/i];

export interface Recorder {
  ctx: AppContext;
  database: Database;
  /** The statements run since the last call. */
  take(): Statement[];
  me(login: string): Promise<Me>;
  close(): Promise<void>;
}

export async function openRecorder(target: {
  engine: 'postgres' | 'pglite';
  env: Record<string, string>;
}): Promise<Recorder> {
  let recorded: Statement[] = [];
  const logger = {
    logQuery(text: string, params: unknown[]) {
      if (NOT_PER_REQUEST.some((pattern) => pattern.test(text))) return;
      recorded.push({ text, params: params.map((value) => (value instanceof Date ? value.toISOString() : value)) });
    },
  };
  let database: Database;
  let release = () => {};
  if (target.engine === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.env.DATABASE_URL, max: 4 });
    pool.on('error', () => {});
    const db = drizzleNodePg(pool, { schema, casing: 'snake_case', logger }) as unknown as Db;
    database = {
      engine: 'postgres',
      db,
      pool,
      rows: async <T>(query: Parameters<Database['rows']>[0]) =>
        ((await db.execute(query)) as unknown as { rows: T[] }).rows,
      close: () => pool.end(),
    };
  } else {
    const dataDir = target.env.DATA_DIR!;
    release = lockDataDir(dataDir).release;
    const pglite = await PGlite.create({
      dataDir,
      extensions: pgliteExtensions,
      parsers: { 20: (value: string) => Number(value) },
    });
    const db = drizzlePglite(pglite, { schema, casing: 'snake_case', logger }) as unknown as Db;
    database = {
      engine: 'pglite',
      db,
      pglite,
      rows: async <T>(query: Parameters<Database['rows']>[0]) =>
        ((await db.execute(query)) as unknown as { rows: T[] }).rows,
      close: () => pglite.close(),
    };
  }
  const config = loadConfig({ ...target.env, NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const ctx: AppContext = { config, database, log: pino({ level: 'silent' }), clock: () => new Date() };
  return {
    ctx,
    database,
    take() {
      const taken = recorded;
      recorded = [];
      return taken;
    },
    async me(login: string) {
      const [row] = await database.rows<{ id: number; full_name: string; role: Me['role'] }>(
        sql`select id, full_name, role from staff where login = ${login}`,
      );
      if (!row) throw new Error(`no staff login ${login}: is the demo data there?`);
      recorded = [];
      // Cast: Me grows fields the card does not read (it reads the id, for the audit row).
      return {
        id: row.id,
        login,
        fullName: row.full_name,
        role: row.role,
        sessionId: 'bench',
        ispTimezone: config.timezone,
      } as unknown as Me;
    },
    async close() {
      await database.close();
      release();
    },
  };
}
