/**
 * The real server as a child process, killed with SIGKILL at the worst moments, then started again
 * on the same data: what survives is what docs/operations.md ("Durability") promises. Runs on both
 * engines: PGlite in a fresh DATA_DIR, PostgreSQL (npm run test:pg) in a fresh database.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type SQL, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { type Database, openPglite, openPostgres } from '../db/connection.js';
import { lockDataDir } from '../db/data-dir-lock.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const postgresAdminUrl = inject('postgresAdminUrl');
const engine = postgresAdminUrl ? 'postgres' : 'pglite';
const DEMO_SUBSCRIBERS = 1_000;

// ---------------------------------------------------------------- places: a DATA_DIR or a database

interface Place {
  dataDir: string;
  databaseUrl?: string;
}

const tempDirs: string[] = [];
const databases: string[] = [];

function tempDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `linedesk-crash-${label}-`));
  tempDirs.push(dir);
  return dir;
}

async function postgresAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresAdminUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** An empty DATA_DIR; on PostgreSQL also an empty database of this test's own, dropped afterwards. */
async function freshPlace(label: string): Promise<Place> {
  const place: Place = { dataDir: path.join(tempDir(label), 'data') };
  if (engine === 'postgres') {
    const name = `linedesk_test_${process.pid}_crash_${label}`;
    await postgresAdmin(async (client) => {
      await client.query(`drop database if exists ${name} with (force)`);
      await client.query(`create database ${name}`);
    });
    databases.push(name);
    const url = new URL(postgresAdminUrl);
    url.pathname = `/${name}`;
    place.databaseUrl = url.toString();
  }
  return place;
}

/**
 * A place holding the run's migrated demo database (testing/global-setup.ts), so a test that
 * needs demo logins does not wait for initdb and generation: a copy of the template database on
 * PostgreSQL, the template dump unpacked into DATA_DIR on PGlite.
 */
async function placeWithDemo(label: string): Promise<Place> {
  const place = await freshPlace(label);
  if (place.databaseUrl) {
    const name = new URL(place.databaseUrl).pathname.slice(1);
    await postgresAdmin(async (client) => {
      await client.query(`drop database ${name}`);
      await client.query(`create database ${name} template ${inject('postgresTemplate')}`);
    });
    return place;
  }
  const dump = new Blob([fs.readFileSync(inject('pgliteDumpPath'))]);
  const database = await openPglite(place.dataDir, dump);
  await database.close();
  return place;
}

/** Opens a place from this test process, only while no server runs on it (PGlite has one owner). */
async function inspect<T>(place: Place, read: (database: Database) => Promise<T>): Promise<T> {
  if (place.databaseUrl) {
    const database = await openPostgres(place.databaseUrl, 2);
    try {
      return await read(database);
    } finally {
      await database.close();
    }
  }
  const lock = lockDataDir(place.dataDir);
  const database = await openPglite(place.dataDir);
  try {
    return await read(database);
  } finally {
    await database.close();
    lock.release();
  }
}

async function count(database: Database, query: SQL): Promise<number> {
  const [row] = await database.rows<{ n: number }>(query);
  return Number(row?.n);
}

/** Every btree index of the schema checked with amcheck, including that each row is in it. */
async function indexesFailingAmcheck(database: Database): Promise<string[]> {
  await database.db.execute(sql`create extension if not exists amcheck`);
  // By oid: a name such as "contracts_accountId_unique" would be folded to lower case by ::regclass.
  const indexes = await database.rows<{ oid: number; name: string }>(sql`
    select c.oid::int as oid, c.relname as name from pg_index i
    join pg_class c on c.oid = i.indexrelid
    join pg_am am on am.oid = c.relam
    join pg_namespace n on n.oid = c.relnamespace
    where am.amname = 'btree' and n.nspname = 'public'`);
  expect(indexes.length).toBeGreaterThan(10);
  const failing: string[] = [];
  for (const { oid, name } of indexes) {
    try {
      await database.db.execute(sql`select bt_index_check(${oid}::oid::regclass, true)`);
    } catch (error) {
      failing.push(`${name}: ${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message}`);
    }
  }
  return failing;
}

// ---------------------------------------------------------------- child processes

interface Child {
  process: ChildProcess;
  port: number;
  output(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exited(): boolean;
}

const children = new Set<Child>();

function spawnNode(script: string, args: string[], env: NodeJS.ProcessEnv, port = 0): Child {
  // node --import tsx runs the server in this one process, so its PID is the one in the lock file.
  // Its own process group (detached) lets the test kill it and anything it started at once.
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: repoRoot,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  let hasExited = false;
  const handle: Child = {
    process: child,
    port,
    output: () => output,
    exit: new Promise((resolve) =>
      child.on('close', (code, signal) => {
        hasExited = true;
        children.delete(handle);
        resolve({ code, signal });
      }),
    ),
    exited: () => hasExited,
  };
  children.add(handle);
  return handle;
}

function killGroup(child: Child, signal: NodeJS.Signals) {
  if (child.exited() || child.process.pid === undefined) return;
  try {
    process.kill(-child.process.pid, signal);
  } catch {
    // already gone
  }
}

async function killAll() {
  const running = [...children];
  for (const child of running) killGroup(child, 'SIGKILL');
  await Promise.all(running.map((child) => child.exit));
}

// A test that fails half-way must not leave a server behind, nor a vitest that is killed.
process.on('exit', () => {
  for (const child of children) killGroup(child, 'SIGKILL');
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function envFor(place: Place, variables: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _url, LINEDESK_ADMIN_PASSWORD: _password, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    DATA_DIR: place.dataDir,
    DEMO_SUBSCRIBERS: String(DEMO_SUBSCRIBERS),
    LOG_LEVEL: 'warn',
    ...variables,
  };
  if (place.databaseUrl) env.DATABASE_URL = place.databaseUrl;
  return env;
}

async function startServer(place: Place, variables: Record<string, string> = {}): Promise<Child> {
  const port = await freePort();
  return spawnNode('src/server/main.ts', [], envFor(place, { PORT: String(port), ...variables }), port);
}

async function kill9(child: Child) {
  killGroup(child, 'SIGKILL');
  expect((await child.exit).signal).toBe('SIGKILL');
}

/** SIGTERM: the server closes its database and releases the data folder, then exits 0. */
async function stopCleanly(child: Child) {
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 30_000);
  const { code } = await child.exit;
  clearTimeout(timer);
  expect(code, child.output()).toBe(0);
}

async function waitFor<T>(what: string, child: Child, check: () => Promise<T | undefined>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    if (child.exited()) throw new Error(`the process exited while waiting for ${what}:\n${child.output()}`);
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}:\n${child.output()}`);
}

const url = (child: Child, route: string) => `http://127.0.0.1:${child.port}${route}`;

async function healthStatus(child: Child): Promise<number | undefined> {
  try {
    const response = await fetch(url(child, '/api/health'), { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return undefined;
  }
}

/** Resolves 'serving' once /api/health answers 200, or 'refused' if the process exits first. */
async function servingOrRefused(child: Child, timeoutMs = 150_000): Promise<'serving' | 'refused'> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await healthStatus(child)) === 200) return 'serving';
    if (child.exited()) return 'refused';
    await sleep(200);
  }
  throw new Error(`the server neither served nor stopped in ${timeoutMs} ms:\n${child.output()}`);
}

async function waitServing(child: Child, timeoutMs = 150_000) {
  const outcome = await servingOrRefused(child, timeoutMs);
  if (outcome !== 'serving') throw new Error(`the server did not start:\n${child.output()}`);
}

// ---------------------------------------------------------------- HTTP as a client would

async function logIn(child: Child, login: string, password: string): Promise<{ status: number; cookie: string }> {
  const response = await fetch(url(child, '/api/auth/login'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  await response.arrayBuffer();
  const session = response.headers.getSetCookie().find((cookie) => cookie.startsWith('linedesk_session='));
  return { status: response.status, cookie: session?.split(';')[0] ?? '' };
}

async function staffLogins(child: Child, cookie: string): Promise<string[]> {
  const response = await fetch(url(child, '/api/admin/staff'), { headers: { cookie } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { login: string }[]).map((member) => member.login);
}

/**
 * A few clients creating staff members as fast as the server answers, each remembering which
 * creations were acknowledged with 201, until the server stops answering.
 */
function createStaffUntilKilled(child: Child, cookie: string, prefix: string, clients = 4) {
  const acknowledged: string[] = [];
  let inFlight = 0;
  let failedOtherwise = '';
  const client = async (clientNo: number) => {
    for (let n = 1; ; n++) {
      const login = `${prefix}-c${clientNo}-${n}`;
      inFlight++;
      try {
        const response = await fetch(url(child, '/api/admin/staff'), {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify({ login, fullName: 'Проверка Падения-Сбоев', role: 'l1', password: 'crash-test-pass' }),
        });
        const body = await response.text();
        if (response.status === 201) acknowledged.push(login);
        else failedOtherwise ||= `${login}: ${response.status} ${body}`;
      } catch {
        return; // the server is gone: this request's outcome is unknown
      } finally {
        inFlight--;
      }
    }
  };
  const done = Promise.all(Array.from({ length: clients }, (_, i) => client(i + 1)));
  return { acknowledged, inFlight: () => inFlight, failedOtherwise: () => failedOtherwise, done };
}

// ---------------------------------------------------------------- the cases

afterEach(killAll);

afterAll(async () => {
  await killAll();
  if (databases.length) {
    await postgresAdmin(async (client) => {
      for (const name of databases) await client.query(`drop database if exists ${name} with (force)`);
    });
  }
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function demoCounts(database: Database) {
  return {
    subscribers: await count(database, sql`select count(*)::int as n from subscribers`),
    subscribersWithoutAccount: await count(
      database,
      sql`select count(*)::int as n from subscribers s where not exists (select 1 from accounts a where a.subscriber_id = s.id)`,
    ),
    demoDataMarks: await count(database, sql`select count(*)::int as n from app_meta where key = 'demo_data'`),
    staff: await count(database, sql`select count(*)::int as n from staff`),
  };
}

const walSegments = (dataDir: string) =>
  fs.readdirSync(path.join(dataDir, 'pg_wal')).filter((name) => /^[0-9A-F]{24}$/.test(name)).length;

/**
 * Waits until the demo generation's transaction has written plenty and is still open. On
 * PostgreSQL the server's session says so. PGlite runs inside the server's event loop and holds
 * its log lines back while generating, so there the sign is the write-ahead log: more than 16 MB
 * (two new 16 MB segments) since the migrations were logged, written by nothing but the
 * generation.
 */
async function demoTransactionWriting(place: Place, server: Child) {
  if (place.databaseUrl) {
    const database = new URL(place.databaseUrl).pathname.slice(1);
    await postgresAdmin((client) =>
      waitFor(
        'the demo transaction',
        server,
        async () => {
          const { rows } = await client.query(
            `select 1 from pg_stat_activity where datname = $1 and backend_xid is not null
             and now() - xact_start > interval '2 seconds'`,
            [database],
          );
          return rows.length ? true : undefined;
        },
        150_000,
      ),
    );
    return;
  }
  await waitFor(
    'the migrations',
    server,
    async () => (server.output().includes('migrations applied') ? true : undefined),
    150_000,
  );
  const afterMigrations = walSegments(place.dataDir);
  await waitFor(
    'the demo transaction',
    server,
    async () => (walSegments(place.dataDir) >= afterMigrations + 2 ? true : undefined),
    150_000,
  );
}

describe(`the server process under kill -9 (${engine})`, () => {
  it('a kill -9 during demo-data generation leaves nothing behind, and the next start generates the whole demo', async () => {
    const place = await freshPlace('demo');
    // The killed attempt makes a big demo (about a minute on PGlite), so that the kill surely
    // lands inside its one transaction, with many rows written and long before the commit. The
    // next start makes the test's size: anything the first attempt left would show in the counts,
    // or stop the generation.
    const first = await startServer(place, { LOG_LEVEL: 'info', DEMO_SUBSCRIBERS: '60000' });
    await demoTransactionWriting(place, first);
    await kill9(first);
    expect(first.output(), 'the kill must land before generation finished').not.toContain('demo ISP ready');

    if (place.databaseUrl) {
      // What the killed process left, read while nothing runs on it: nothing of the demo. (On
      // PGlite the next start shows the same: it finds an empty database and generates again.)
      const afterKill = await inspect(place, demoCounts);
      expect(afterKill).toEqual({ subscribers: 0, subscribersWithoutAccount: 0, demoDataMarks: 0, staff: 0 });
    }

    const second = await startServer(place, { LOG_LEVEL: 'info' });
    await waitServing(second);
    expect(second.output()).toContain('empty database: generating the demo ISP');
    expect(second.output()).toContain('demo ISP ready');
    expect((await logIn(second, 'l1', 'demo')).status).toBe(200);
    await stopCleanly(second);

    const complete = await inspect(place, demoCounts);
    expect(complete).toMatchObject({ subscribers: DEMO_SUBSCRIBERS, subscribersWithoutAccount: 0, demoDataMarks: 1 });
    expect(complete.staff).toBeGreaterThanOrEqual(6);
  }, 300_000);

  it('a kill -9 in the middle of staff creations keeps every creation acknowledged with 201', async () => {
    const place = await placeWithDemo('writes');
    let server = await startServer(place);
    await waitServing(server);
    const acknowledged: string[] = [];
    const observed: string[] = [];
    let refusedWith: string | undefined;

    for (let round = 1; round <= 2 && !refusedWith; round++) {
      const { status, cookie } = await logIn(server, 'admin', 'demo');
      expect(status).toBe(200);
      const stream = createStaffUntilKilled(server, cookie, `crash-r${round}`);
      await waitFor(
        'acknowledged creations',
        server,
        async () => (stream.acknowledged.length >= 6 + round * 2 && stream.inFlight() > 0 ? true : undefined),
        60_000,
      );
      await sleep(Math.floor(Math.random() * 120));
      const inFlightAtKill = stream.inFlight();
      await kill9(server);
      await stream.done;
      expect(stream.failedOtherwise()).toBe('');
      acknowledged.push(...stream.acknowledged);

      server = await startServer(place);
      const outcome = await servingOrRefused(server);
      observed.push(
        `round ${round}: ${stream.acknowledged.length} acknowledged, ${inFlightAtKill} in flight at the kill, restart ${outcome}`,
      );
      if (outcome === 'refused') {
        refusedWith = server.output();
        break;
      }
      if (engine === 'pglite') {
        // The lock file of the killed process was left behind: the start verified every index.
        expect(server.output()).toContain('the previous process did not stop cleanly: checking the database');
      }
      const present = new Set(await staffLogins(server, (await logIn(server, 'admin', 'demo')).cookie));
      expect(acknowledged.filter((login) => !present.has(login))).toEqual([]);
    }
    console.info(`kill -9 during writes on ${engine}:\n  ${observed.join('\n  ')}`);

    if (refusedWith !== undefined) {
      // PGlite's documented alternative: a folder damaged by the kill is refused, never served.
      expect(engine, refusedWith).toBe('pglite');
      expect(refusedWith).toContain('Linedesk did not start');
      expect(refusedWith).toContain('docs/operations.md');
      return;
    }
    await stopCleanly(server);
    await inspect(place, async (database) => {
      if (engine === 'pglite') expect(await indexesFailingAmcheck(database)).toEqual([]);
      const logins = (
        await database.rows<{ login: string }>(sql`select login from staff where login like 'crash-%'`)
      ).map((row) => row.login);
      expect(acknowledged.filter((login) => !logins.includes(login))).toEqual([]);
      // Each creation is one transaction with its audit row: both kept or neither.
      const staffWithoutAudit = await count(
        database,
        sql`select count(*)::int as n from staff s where s.login like 'crash-%' and not exists (
              select 1 from audit_log a where a.action = 'staff.created' and a.target_id = s.id::text)`,
      );
      const auditWithoutStaff = await count(
        database,
        sql`select count(*)::int as n from audit_log a where a.action = 'staff.created' and a.details->>'login' like 'crash-%'
              and not exists (select 1 from staff s where s.id::text = a.target_id)`,
      );
      expect({ staffWithoutAudit, auditWithoutStaff }).toEqual({ staffWithoutAudit: 0, auditWithoutStaff: 0 });
    });
  }, 300_000);

  // One promise per engine, so one test with the engine's branch (and no skipped test on either).
  it('a second process on the same data: refused on PGlite (naming the folder and PID), served on PostgreSQL', async () => {
    if (engine === 'pglite') {
      const place = await placeWithDemo('lock');
      const first = await startServer(place);
      await waitServing(first);
      const second = await startServer(place);
      const { code } = await second.exit;
      expect(code).not.toBe(0);
      expect(second.output()).toContain(`The data folder ${place.dataDir} is in use by another Linedesk process`);
      expect(second.output()).toContain(`(PID ${first.process.pid})`);
      expect(await healthStatus(first)).toBe(200);
      await stopCleanly(first);
      expect(fs.existsSync(path.join(place.dataDir, 'linedesk.lock'))).toBe(false);
      return;
    }
    // Both on an empty database at once: they migrate once, under the advisory lock.
    const place = await freshPlace('twins');
    const first = await startServer(place, { NODE_ENV: 'production', LOG_LEVEL: 'info' });
    const second = await startServer(place, { NODE_ENV: 'production', LOG_LEVEL: 'info' });
    await Promise.all([waitServing(first), waitServing(second)]);
    expect([await healthStatus(first), await healthStatus(second)]).toEqual([200, 200]);
    const migrated = [first, second].filter((child) => child.output().includes('migrations applied'));
    expect(migrated).toHaveLength(1);
  }, 240_000);

  it('a wrong environment value stops the start with a message naming it', async () => {
    const place: Place = { dataDir: path.join(tempDir('config'), 'never-created') };
    const server = spawnNode('src/server/main.ts', [], envFor(place, { PORT: 'abc' }));
    const { code } = await server.exit;
    expect(code).not.toBe(0);
    expect(server.output()).toContain('Linedesk did not start: configuration PORT: must be a whole number, got "abc"');
    expect(fs.existsSync(place.dataDir)).toBe(false);
  }, 60_000);
});

describe(`a production install (${engine})`, () => {
  const createAdmin = (place: Place, args: string[], password?: string) =>
    spawnNode(
      'src/cli/create-admin.ts',
      args,
      envFor(place, { NODE_ENV: 'production', ...(password ? { LINEDESK_ADMIN_PASSWORD: password } : {}) }),
    );

  it('starts empty with no demo logins; create-admin makes the first administrator, who can log in', async () => {
    const place = await freshPlace('production');
    let server = await startServer(place, { NODE_ENV: 'production' });
    await waitServing(server);
    for (const login of ['l1', 'admin']) expect((await logIn(server, login, 'demo')).status).toBe(401);

    for (const [args, password, message] of [
      [['--login', 'шеф', '--name', 'Шеф'], 'a-long-enough-password', 'is not a login'],
      [['--login', 'chief', '--name', 'Шеф'], 'too-short', 'the password must be at least 12 characters'],
    ] as const) {
      const refused = createAdmin(place, [...args], password);
      expect((await refused.exit).code, refused.output()).toBe(2);
      expect(refused.output()).toContain(message);
    }

    if (engine === 'pglite') {
      const locked = createAdmin(place, ['--login', 'chief', '--name', 'Шеф'], 'a-long-enough-password');
      expect((await locked.exit).code, locked.output()).toBe(1);
      expect(locked.output()).toContain('is in use by another Linedesk process');
      await stopCleanly(server);
    }

    const args = ['--login', 'Chief.Admin', '--name', "Ирина О'Брайен-Петрова"];
    const created = createAdmin(place, args, 'correct horse battery staple');
    expect((await created.exit).code, created.output()).toBe(0);
    expect(created.output()).toContain(`Created administrator "chief.admin" (Ирина О'Брайен-Петрова, id `);
    const again = createAdmin(place, args, 'another long password');
    expect((await again.exit).code).toBe(1);
    expect(again.output()).toContain('The login "chief.admin" is already taken');

    if (engine === 'pglite') {
      server = await startServer(place, { NODE_ENV: 'production' });
      await waitServing(server);
    }
    expect((await logIn(server, 'chief.admin', 'another long password')).status).toBe(401);
    const { status, cookie } = await logIn(server, 'Chief.Admin', 'correct horse battery staple');
    expect(status).toBe(200);
    expect(await staffLogins(server, cookie)).toEqual(['chief.admin']);
    const subscribers = await fetch(url(server, '/api/subscribers'), { headers: { cookie } });
    expect(subscribers.status).toBe(200);
    expect(((await subscribers.json()) as { total: number }).total).toBe(0);
    await stopCleanly(server);
  }, 300_000);
});
