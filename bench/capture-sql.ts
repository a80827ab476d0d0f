import { sql } from 'drizzle-orm';
import pino from 'pino';
import type { Me } from '../src/common/api/staff.js';
import { loadConfig } from '../src/config.js';
import { type Database, openPglite, openPostgres } from '../src/db/connection.js';
import { lockDataDir } from '../src/db/data-dir-lock.js';
import type { AppContext } from '../src/modules/core/context.js';
import type { Statement } from './bare-sql.js';

// The vocabulary is held in memory by the server: its load, its version check (every 2 s) and a
// street's buildings (read once, then kept) are not part of one request, so the replay leaves them out.
const NOT_PER_REQUEST = [
  /from name_vocabulary/i,
  /from streets order by name_norm/i,
  /from identification_version/i,
  /from buildings\s+where street_id = any/i,
];

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
    database = await openPostgres(target.env.DATABASE_URL!, 4, { logger });
  } else {
    const dataDir = target.env.DATA_DIR!;
    release = lockDataDir(dataDir).release;
    database = await openPglite(dataDir, undefined, { logger });
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
