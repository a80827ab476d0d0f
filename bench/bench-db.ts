// The benchmark's own databases: linedesk_bench_1m on PostgreSQL (1,000,000 subscribers, seed 1)
// and a PGlite folder under /tmp (100,000). Made once with `npm run demo-data` and reused while
// app_meta says the demo is complete, so reruns do not regenerate. Tests never use these, and
// this file never touches a test's database (those are named linedesk_test_<pid>_*).
// Budget (issue 3): 1,000,000 subscribers on PostgreSQL generated in under 15 minutes.
//   npx tsx bench/bench-db.ts [--pglite] [--regenerate]   (run.ts calls the same functions)
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  BENCH_DB_1M,
  BENCH_PGLITE_DIR,
  benchSubscribers,
  commit,
  databaseUrl,
  loadAverage,
  PG_ADMIN_URL,
  ROOT,
  runChild,
  uptime,
} from './lib.js';

export interface Generation {
  subscribers: number;
  seconds: number;
  /** VACUUM ANALYZE after the load (this machine's PostgreSQL runs with autovacuum off). */
  vacuumAnalyzeSeconds?: number;
  at: string;
  commit: string;
  uptimeAtStart: string;
}

export interface BenchDatabase {
  engine: 'postgres' | 'pglite';
  subscribers: number;
  /** DATABASE_URL or DATA_DIR for the server. */
  env: Record<string, string>;
  reused: boolean;
  generation: Generation | null;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function demoMeta(client: pg.Client): Promise<{ subscribers: number } | null> {
  const exists = await client.query(`select to_regclass('public.app_meta') is not null as ok`);
  if (!exists.rows[0]?.ok) return null;
  const row = await client.query(`select value from app_meta where key = 'demo_data'`);
  return row.rows[0] ? (JSON.parse(row.rows[0].value) as { subscribers: number }) : null;
}

const GENERATION_KEY = 'bench_generation';

/** Times `npm run demo-data` against the given environment. */
async function generate(subscribers: number, env: Record<string, string>): Promise<Generation> {
  const uptimeAtStart = uptime();
  console.log(`generating ${subscribers.toLocaleString('en')} subscribers (load average ${loadAverage().join(' ')})`);
  const started = performance.now();
  await runChild('npm', ['run', 'demo-data', '--', '--subscribers', String(subscribers), '--seed', '1'], {
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    prefix: '  [demo-data] ',
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(`generated in ${seconds.toFixed(1)} s`);
  return { subscribers, seconds, at: new Date().toISOString(), commit: commit(), uptimeAtStart };
}

/** linedesk_bench_1m: created when missing, generated when it holds no complete 1 M demo. */
export async function ensurePostgres1M(options: { regenerate?: boolean } = {}): Promise<BenchDatabase> {
  const subscribers = benchSubscribers('postgres');
  const url = databaseUrl(BENCH_DB_1M);
  await withClient(PG_ADMIN_URL, async (admin) => {
    const found = await admin.query('select 1 from pg_database where datname = $1', [BENCH_DB_1M]);
    if (found.rowCount === 0) {
      console.log(`creating database ${BENCH_DB_1M}`);
      await admin.query(`create database ${BENCH_DB_1M}`);
    }
  });
  const existing = await withClient(url, async (client) => {
    const meta = await demoMeta(client);
    if (meta?.subscribers !== subscribers) return null;
    const recorded = await client.query(`select value from app_meta where key = $1`, [GENERATION_KEY]);
    return recorded.rows[0] ? (JSON.parse(recorded.rows[0].value) as Generation) : ({} as Generation);
  });
  if (existing && !options.regenerate) {
    console.log(`reusing ${BENCH_DB_1M} (complete ${subscribers.toLocaleString('en')}-subscriber demo)`);
    return {
      engine: 'postgres',
      subscribers,
      env: { DATABASE_URL: url },
      reused: true,
      generation: existing.seconds ? existing : null,
    };
  }
  const generation = await generate(subscribers, { DATABASE_URL: url });
  await withClient(url, async (client) => {
    // autovacuum is off on this machine's server: without this the planner has no statistics and
    // index-only scans see no visibility map. Timed apart from the generation.
    const started = performance.now();
    await client.query('vacuum analyze');
    generation.vacuumAnalyzeSeconds = (performance.now() - started) / 1000;
    await client.query(
      `insert into app_meta (key, value, updated_at) values ($1, $2, now())
       on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`,
      [GENERATION_KEY, JSON.stringify(generation)],
    );
  });
  return { engine: 'postgres', subscribers, env: { DATABASE_URL: url }, reused: false, generation };
}

/** The 100 k PGlite folder under /tmp, generated when it holds no complete 100 k demo. */
export async function ensurePglite100k(options: { regenerate?: boolean } = {}): Promise<BenchDatabase> {
  const subscribers = benchSubscribers('pglite');
  const marker = path.join(BENCH_PGLITE_DIR, '.bench-generation.json');
  const env = { DATA_DIR: BENCH_PGLITE_DIR };
  if (!options.regenerate && fs.existsSync(marker)) {
    const generation = JSON.parse(fs.readFileSync(marker, 'utf8')) as Generation;
    if (generation.subscribers === subscribers) {
      console.log(`reusing ${BENCH_PGLITE_DIR} (complete ${subscribers.toLocaleString('en')}-subscriber demo)`);
      return { engine: 'pglite', subscribers, env, reused: true, generation };
    }
  }
  fs.rmSync(BENCH_PGLITE_DIR, { recursive: true, force: true });
  fs.mkdirSync(BENCH_PGLITE_DIR, { recursive: true });
  const generation = await generate(subscribers, env);
  // Written only after the CLI committed: a half-made folder has no marker and is made again.
  fs.writeFileSync(marker, JSON.stringify(generation));
  return { engine: 'pglite', subscribers, env, reused: false, generation };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { pglite: { type: 'boolean' }, regenerate: { type: 'boolean' } },
    strict: true,
  });
  process.chdir(ROOT);
  const result = values.pglite ? await ensurePglite100k(values) : await ensurePostgres1M(values);
  console.log(JSON.stringify(result, null, 2));
}
