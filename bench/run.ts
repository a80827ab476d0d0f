// The benchmarks of DESIGN.md ("Budgets"), by its method: over HTTP with a logged-in session,
// from a separate load process (load.ts, autocannon, 8 connections), with the same SQL run bare
// against the database in the same run (bare-sql.ts, 8 clients), p50/p95/p99, req/s and the
// API/SQL ratio; results printed and written into docs/benchmarks.md with the date and machine.
//
//   npm run bench                                   everything
//   npm run bench -- --only card,list               some of: card, list, lookup, text, pglite, demo-data, start, web
//   npm run bench -- --duration 20 --warmup 5       seconds per measurement (default 15 and 3)
//   npm run bench -- --regenerate                   make the bench databases again
//   npm run bench -- --no-docs                      print only
//   npm run bench -- --render-only                  rewrite docs/benchmarks.md from bench/results.json
//
// Budgets:
//   card        GET /api/subscribers/:id                          p95 ≤ 30 ms, 1 M subscribers, PostgreSQL
//   list        GET /api/subscribers?limit=50 (filter mixes)      p95 ≤ 30 ms (the card's budget covers "the card and the list")
//   lookup      phone / account / contract                        p99 ≤ 10 ms, 1 M, PostgreSQL (also recorded at 100 k on PGlite)
//   text        free-text GET /api/identify?q=                    p95 ≤ 50 ms, 1 M, PostgreSQL; ≤ 100 ms at 100 k on PGlite
//   demo-data   npm run demo-data, 1 M on PostgreSQL              < 15 min
//   start       npm start on a fresh clone → /api/health 200      ≤ 3 min; later starts a few seconds (≤ 10 s here)
//   web         initial JS of the web app, gzipped                ≤ 400 KB
//
// Databases: linedesk_bench_1m on postgres://postgres@127.0.0.1:5432 and a PGlite folder under
// /tmp (bench-db.ts), the benchmark's own: the tests never use them and this never touches theirs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { SqlResult, SqlWorkload } from './bare-sql.js';
import { type BenchDatabase, ensurePglite100k, ensurePostgres1M } from './bench-db.js';
import { openRecorder } from './capture-sql.js';
import {
  commit,
  describeMachine,
  type LatencySummary,
  loadAverage,
  type Machine,
  ms,
  PG_ADMIN_URL,
  ROOT,
  runBenchChild,
  treeFingerprint,
  uptime,
} from './lib.js';
import type { LoadResult, LoadWorkload } from './load.js';
import { startServer } from './server.js';
import { FIRST_START_BUDGET_S, LATER_START_BUDGET_S, measureStarts, measureWeb } from './start.js';
import { type BenchItem, buildWorkloads, type Group } from './workloads.js';

const STEPS = ['card', 'list', 'lookup', 'text', 'pglite', 'demo-data', 'start', 'web'] as const;
type Step = (typeof STEPS)[number];

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    duration: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '8' },
    regenerate: { type: 'boolean', default: false },
    'no-docs': { type: 'boolean', default: false },
    'render-only': { type: 'boolean', default: false },
  },
  strict: true,
});
const only = new Set<Step>(
  (values.only ? values.only.split(',').map((step) => step.trim()) : STEPS).map((step) => {
    if (!STEPS.includes(step as Step)) {
      console.error(`--only: unknown step "${step}"; steps: ${STEPS.join(', ')}`);
      process.exit(2);
    }
    return step as Step;
  }),
);
const duration = Number(values.duration);
const warmup = Number(values.warmup);
const connections = Number(values.connections);
const WORK = process.env.BENCH_WORK_DIR ?? '/tmp/linedesk-bench';
const RESULTS = path.join(ROOT, 'bench/results.json');
const DOCS = path.join(ROOT, 'docs/benchmarks.md');
fs.mkdirSync(WORK, { recursive: true });
process.chdir(ROOT);

// ---------------------------------------------------------------------------------------------
// Results: one row per figure, kept across runs in bench/results.json (a run of some steps
// replaces only their rows), rendered into docs/benchmarks.md.

interface Figures {
  p50: number;
  p95: number;
  p99: number;
  rate?: number;
}

interface Row {
  id: string;
  what: string;
  where: string;
  budget: string;
  verdict: 'within' | 'OVER' | '';
  api?: Figures;
  sql?: Figures;
  /** For rows that are not latencies: "312 s", "251 KB". */
  figure?: string;
  note?: string;
  run: string;
}

interface RunInfo {
  id: string;
  machine: Machine;
  uptimeAtStart: string;
  commit: string;
  steps: string[];
  settings: string;
  /** Set when src/ or migrations/ changed while the run measured (another engineer's edit). */
  treeChanged?: boolean;
}

interface Stored {
  runs: RunInfo[];
  rows: Row[];
}

const runId = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const machine = describeMachine();
const run: RunInfo = {
  id: runId,
  machine,
  uptimeAtStart: uptime(),
  commit: commit(),
  steps: [...only],
  settings: `${connections} connections / ${connections} SQL clients, ${warmup} s warm-up, ${duration} s measured`,
};
const rows: Row[] = [];

const figures = (summary: LatencySummary, rate?: number): Figures => ({
  p50: summary.p50,
  p95: summary.p95,
  p99: summary.p99,
  rate,
});

function verdictOf(
  summary: LatencySummary | undefined,
  rule: { at: 'p95' | 'p99'; ms: number } | null,
): Row['verdict'] {
  if (!summary || !rule) return '';
  return summary[rule.at] <= rule.ms ? 'within' : 'OVER';
}

const ruleText = (rule: { at: 'p95' | 'p99'; ms: number } | null) => (rule ? `${rule.at} ≤ ${rule.ms} ms` : '');

function addLatencyRows(options: {
  id: string;
  what: string;
  where: string;
  rule: { at: 'p95' | 'p99'; ms: number } | null;
  /** Per-kind rules (the lookup's budget holds for each kind); default: the overall rule, informative. */
  kindRule?: { at: 'p95' | 'p99'; ms: number } | null;
  api: LoadResult;
  sql: SqlResult;
  /** Load average (1, 5, 15 min) when the HTTP measurement began. */
  load?: string;
  note?: string;
}) {
  const { api, sql } = options;
  const found = api.checked
    ? ` ${api.expectedFound}/${api.checked} answers held the subscriber they were made from.`
    : '';
  const failures =
    api.non2xx || api.errors || api.timeouts
      ? ` non-2xx ${api.non2xx}, errors ${api.errors}, timeouts ${api.timeouts}.`
      : '';
  rows.push({
    id: options.id,
    what: options.what,
    where: options.where,
    budget: ruleText(options.rule),
    verdict: verdictOf(api.overall, options.rule),
    api: figures(api.overall, api.overall.rps),
    sql: figures(sql.overall, sql.overall.qps),
    note: `${options.load ? `load average ${options.load} at its start; ` : ''}${api.overall.count} requests over ${api.distinctRequests} distinct; ${sql.overall.statementsPerItem.toFixed(1)} statements each.${found}${failures}${sql.errors ? ` SQL errors ${sql.errors}: ${sql.firstError}` : ''}${options.note ? ` ${options.note}` : ''}`,
    run: runId,
  });
  const kinds = Object.keys(api.byKind).sort();
  if (kinds.length > 1) {
    const rule = options.kindRule === undefined ? null : options.kindRule;
    for (const kind of kinds) {
      const a = api.byKind[kind]!;
      const s = sql.byKind[kind];
      rows.push({
        id: `${options.id}.${kind}`,
        what: `  ${kind}`,
        where: options.where,
        budget: ruleText(rule),
        verdict: verdictOf(a, rule),
        api: figures(a),
        sql: s ? figures(s) : undefined,
        note: `${a.count} requests`,
        run: runId,
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------

async function postgresVersion(): Promise<string> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    const version = await client.query('select version() as v');
    const settings = await client.query(
      `select string_agg(name || '=' || current_setting(name), ', ' order by name) as s from pg_settings
       where name in ('shared_buffers', 'work_mem', 'autovacuum', 'synchronous_commit', 'max_connections', 'jit')`,
    );
    machine.postgresSettings = settings.rows[0].s as string;
    return (version.rows[0].v as string).replace(/ on x86_64.*/, '');
  } finally {
    await client.end();
  }
}

async function analyze(database: BenchDatabase) {
  if (database.engine !== 'postgres') return; // the server itself runs ANALYZE on PGlite at every start
  const client = new pg.Client({ connectionString: database.env.DATABASE_URL });
  await client.connect();
  const started = performance.now();
  // autovacuum is off on this machine's server: what a production server's autovacuum does is done
  // here, after the server applied any new migration: statistics for new indexes, and the
  // visibility map that index-only scans need after a migration rewrote a table (ALTER ... TYPE).
  await client.query('vacuum (analyze)');
  await client.end();
  console.log(`  vacuum (analyze): ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function measureGroup(
  database: BenchDatabase,
  baseUrl: string,
  cookie: string,
  items: BenchItem[],
  label: string,
): Promise<{ api: LoadResult; sql: SqlResult; load: string }> {
  const load = loadAverage().join(' ');
  console.log(`\n${label}: ${items.length} distinct requests; load average ${load}`);
  const loadFile = path.join(WORK, `load-${label.replace(/\W+/g, '-')}.json`);
  const workload: LoadWorkload = {
    baseUrl,
    cookie,
    connections,
    warmupSeconds: warmup,
    durationSeconds: duration,
    items: items.map(({ path: itemPath, kind, expect }) => ({ path: itemPath, kind, expect })),
  };
  fs.writeFileSync(loadFile, JSON.stringify(workload));
  const api = await runBenchChild<LoadResult>('load.ts', [loadFile]);
  console.log(
    `  API  p50 ${ms(api.overall.p50)}  p95 ${ms(api.overall.p95)}  p99 ${ms(api.overall.p99)} ms  ${api.overall.rps.toFixed(0)} req/s  (non-2xx ${api.non2xx}, errors ${api.errors})`,
  );
  return { api, sql: await measureBare(database, items, label), load };
}

async function measureBare(database: BenchDatabase, items: BenchItem[], label: string): Promise<SqlResult> {
  const sqlFile = path.join(WORK, `sql-${label.replace(/\W+/g, '-')}.json`);
  const workload: SqlWorkload = {
    engine: database.engine,
    target: database.engine === 'postgres' ? database.env.DATABASE_URL! : database.env.DATA_DIR!,
    clients: connections,
    warmupSeconds: warmup,
    durationSeconds: duration,
    items: items.map(({ kind, statements }) => ({ kind, statements })),
  };
  fs.writeFileSync(sqlFile, JSON.stringify(workload));
  const sql = await runBenchChild<SqlResult>('bare-sql.ts', [sqlFile]);
  console.log(
    `  SQL  p50 ${ms(sql.overall.p50)}  p95 ${ms(sql.overall.p95)}  p99 ${ms(sql.overall.p99)} ms  ${sql.overall.qps.toFixed(0)} items/s  (errors ${sql.errors}${sql.firstError ? `: ${sql.firstError}` : ''})`,
  );
  return sql;
}

const SIZES_1M = { card: 2000, list: 120, lookup: 1200, text: 600 };
const SIZES_100K = { card: 0, list: 0, lookup: 1200, text: 600 };

async function postgresSteps() {
  const groups = new Set<Group>((['card', 'list', 'lookup', 'text'] as const).filter((step) => only.has(step)));
  if (groups.size === 0 && !only.has('demo-data')) return;
  const database = await ensurePostgres1M({ regenerate: values.regenerate });
  const generation = database.generation;
  if (only.has('demo-data')) {
    rows.push({
      id: 'demo-data.1m',
      what: 'npm run demo-data -- --subscribers 1000000 --seed 1',
      where: 'PostgreSQL, 1 M',
      budget: '< 15 min',
      verdict: generation ? (generation.seconds < 900 ? 'within' : 'OVER') : '',
      figure: generation ? `${generation.seconds.toFixed(0)} s` : 'not recorded',
      note: generation
        ? `generated ${generation.at} at ${generation.commit}; load at its start: ${generation.uptimeAtStart.replace(/.*load average: /, '')}` +
          (generation.vacuumAnalyzeSeconds
            ? `; VACUUM ANALYZE afterwards ${generation.vacuumAnalyzeSeconds.toFixed(0)} s (not counted)`
            : '') +
          (database.reused ? ' (database reused: figure from that generation)' : '')
        : 'the database was generated before generation times were recorded: run with --only demo-data --regenerate',
      run: runId,
    });
  }
  if (groups.size === 0) return;

  // The server first, so pending migrations are applied before statistics and the capture.
  let server = await startServer(database.env);
  await server.stop();
  await analyze(database);
  console.log('capturing the SQL of each request (PostgreSQL, 1 M) ...');
  const recorder = await openRecorder(database);
  const started = performance.now();
  const workloads = await buildWorkloads(recorder, groups, SIZES_1M);
  await recorder.close();
  console.log(`  captured in ${((performance.now() - started) / 1000).toFixed(0)} s`);

  server = await startServer(database.env);
  try {
    const cookie = await server.login();
    const where = 'PostgreSQL 15, 1 M';
    {
      // The machine's floor at this moment: the cheapest HTTP request (no session, one SELECT 1)
      // and a primary-key SELECT, by the same processes. DESIGN.md measured the latter at
      // p50 0.13 / p99 0.26 ms on a quiet machine: the ratio to it says how loaded this one was.
      const items: BenchItem[] = Array.from({ length: 1000 }, (_, index) => ({
        kind: 'floor',
        path: '/api/health',
        statements: [
          { text: 'select id, sort_key from subscribers where id = $1', params: [1 + ((index * 7919) % 1_000_000)] },
        ],
      }));
      const { api, sql, load } = await measureGroup(database, server.baseUrl, cookie, items, 'floor (PostgreSQL, 1 M)');
      addLatencyRows({
        id: 'pg1m.floor',
        what: 'Floor: GET /api/health (API); a primary-key SELECT (SQL)',
        where,
        rule: null,
        api,
        sql,
        load,
        note: 'Not a budget: what this machine gave at that moment for the cheapest HTTP request (one SELECT 1 inside) and for a primary-key SELECT (DESIGN.md measured p50 0.13, p99 0.26 ms on a quiet machine with pgbench).',
      });
    }
    if (workloads.card) {
      const { api, sql, load } = await measureGroup(
        database,
        server.baseUrl,
        cookie,
        workloads.card,
        'card (PostgreSQL, 1 M)',
      );
      addLatencyRows({
        id: 'pg1m.card',
        what: 'Subscriber card GET /api/subscribers/:id',
        where,
        rule: { at: 'p95', ms: 30 },
        api,
        sql,
        load,
        note: 'SQL: the card’s one statement (its reads and the audit INSERT as a data-modifying CTE), sent unprepared; the server runs it as a named prepared statement with a generic plan.',
      });
    }
    if (workloads.list) {
      // One measurement per filter mix: in one mixed run the slowest mix (seconds per request)
      // takes the CPU and the disk from the others and every row would show its cost.
      const kinds = [...new Set(workloads.list.map((item) => item.kind))];
      for (const kind of kinds) {
        const items = workloads.list.filter((item) => item.kind === kind);
        const { api, sql, load } = await measureGroup(
          database,
          server.baseUrl,
          cookie,
          items,
          `list ${kind} (PostgreSQL, 1 M)`,
        );
        addLatencyRows({
          id: `pg1m.list.${kind.replace(/\W+/g, '-')}`,
          what: `Subscriber list GET /api/subscribers?limit=50, ${kind}`,
          where,
          rule: { at: 'p95', ms: 30 },
          api,
          sql,
          load,
          note: 'Measured alone; first pages and pages by cursor (keyset). SQL: the page query and the capped count (≤ 1,001), one after another; the server runs them in parallel as named prepared statements (the bare replay plans them every time).',
        });
      }
    }
    if (workloads.lookup) {
      const { api, sql, load } = await measureGroup(
        database,
        server.baseUrl,
        cookie,
        workloads.lookup,
        'lookup (PostgreSQL, 1 M)',
      );
      addLatencyRows({
        id: 'pg1m.lookup',
        what: 'Caller lookup: phone, account, contract',
        where,
        rule: { at: 'p99', ms: 10 },
        kindRule: { at: 'p99', ms: 10 },
        api,
        sql,
        load,
        note: 'phone: GET /api/identify/phone/:phone (4 written forms); account and contract: GET /api/identify?q= (with and without spaces / prefix / year).',
      });
    }
    if (workloads.text) {
      const { api, sql, load } = await measureGroup(
        database,
        server.baseUrl,
        cookie,
        workloads.text,
        'text (PostgreSQL, 1 M)',
      );
      addLatencyRows({
        id: 'pg1m.text',
        what: 'Free-text identification GET /api/identify?q=',
        where,
        rule: { at: 'p95', ms: 50 },
        kindRule: null,
        api,
        sql,
        load,
        note: 'A mix of five kinds in equal shares (rows below); the budget is on the mix. SQL: the statements identifyCaller ran for that query (the vocabulary and a street’s buildings, held in memory by the server and read again only when they change, left out).',
      });
    }
  } finally {
    await server.stop();
  }
}

async function pgliteSteps() {
  if (!only.has('pglite')) return;
  const database = await ensurePglite100k({ regenerate: values.regenerate });
  // Start once so pending migrations apply (and the server's ANALYZE runs), then capture with the
  // server stopped: one process per PGlite folder.
  let server = await startServer(database.env);
  await server.stop();
  console.log('capturing the SQL of each request (PGlite, 100 k) ...');
  const recorder = await openRecorder(database);
  const workloads = await buildWorkloads(recorder, new Set<Group>(['lookup', 'text']), SIZES_100K);
  await recorder.close();
  server = await startServer(database.env);
  let lookup: { api: LoadResult; items: BenchItem[]; load: string } | undefined;
  let text: { api: LoadResult; items: BenchItem[]; load: string } | undefined;
  try {
    const cookie = await server.login();
    for (const [label, items] of [
      ['lookup (PGlite, 100 k)', workloads.lookup!],
      ['text (PGlite, 100 k)', workloads.text!],
    ] as const) {
      const load = loadAverage().join(' ');
      console.log(`\n${label}: ${items.length} distinct requests; load average ${load}`);
      const loadFile = path.join(WORK, `load-${label.replace(/\W+/g, '-')}.json`);
      const workload: LoadWorkload = {
        baseUrl: server.baseUrl,
        cookie,
        connections,
        warmupSeconds: warmup,
        durationSeconds: duration,
        items: items.map(({ path: itemPath, kind, expect }) => ({ path: itemPath, kind, expect })),
      };
      fs.writeFileSync(loadFile, JSON.stringify(workload));
      const api = await runBenchChild<LoadResult>('load.ts', [loadFile]);
      console.log(
        `  API  p50 ${ms(api.overall.p50)}  p95 ${ms(api.overall.p95)}  p99 ${ms(api.overall.p99)} ms  ${api.overall.rps.toFixed(0)} req/s`,
      );
      if (label.startsWith('lookup')) lookup = { api, items, load };
      else text = { api, items, load };
    }
  } finally {
    await server.stop();
  }
  // Bare SQL on PGlite needs the folder to itself: after the server stopped.
  const where = 'PGlite, 100 k';
  if (lookup) {
    const sql = await measureBare(database, lookup.items, 'lookup (PGlite, 100 k)');
    addLatencyRows({
      id: 'pglite100k.lookup',
      what: 'Caller lookup: phone, account, contract',
      where,
      rule: null,
      kindRule: null,
      api: lookup.api,
      sql,
      load: lookup.load,
      note: `No budget on PGlite (the p99 ≤ 10 ms budget is at 1 M on PostgreSQL); recorded as issue 4 asks. PGlite runs one statement at a time: service time per item 1/rate = ${(1000 / sql.overall.qps).toFixed(1)} ms.`,
    });
  }
  if (text) {
    const sql = await measureBare(database, text.items, 'text (PGlite, 100 k)');
    addLatencyRows({
      id: 'pglite100k.text',
      what: 'Free-text identification GET /api/identify?q=',
      where,
      rule: { at: 'p95', ms: 100 },
      kindRule: null,
      api: text.api,
      sql,
      load: text.load,
      note: `PGlite runs one statement at a time: the server and the bare replay both queue their 8 callers on it, so the bare latency is mostly queueing; its service time per item is 1/rate = ${(1000 / sql.overall.qps).toFixed(1)} ms.`,
    });
  }
}

async function startSteps() {
  if (only.has('start')) {
    console.log(`\nfirst start of npm start on a fresh copy (load average ${loadAverage().join(' ')})`);
    const starts = await measureStarts();
    rows.push({
      id: 'start.first',
      what: 'npm start, fresh clone → /api/health 200',
      where: 'PGlite, 20 k demo',
      budget: `≤ ${FIRST_START_BUDGET_S / 60} min`,
      verdict: starts.first.seconds <= FIRST_START_BUDGET_S ? 'within' : 'OVER',
      figure: `${starts.first.seconds.toFixed(1)} s`,
      note: `web build ${starts.first.webBuilt ? 'included' : 'NOT run'}; demo generation (20,000) ${starts.first.demoSeconds ?? '?'} s of it; empty DATA_DIR; node_modules installed. Then stopped as Ctrl-C does (SIGTERM to npm's process group): data-folder lock ${starts.first.lockLeft ? 'LEFT BEHIND (the server was killed before it released it)' : 'released'}.`,
      run: runId,
    });
    rows.push({
      id: 'start.second',
      what: 'npm start after that Ctrl-C → /api/health 200',
      where: 'PGlite, 20 k demo',
      budget: `a few seconds (≤ ${LATER_START_BUDGET_S} s)`,
      verdict: starts.second.seconds <= LATER_START_BUDGET_S ? 'within' : 'OVER',
      figure: `${starts.second.seconds.toFixed(1)} s`,
      note: `web build ${starts.second.webBuilt ? 'run AGAIN' : 'skipped'}; index check after an unclean stop ${starts.second.uncleanCheck ? 'RAN (the Ctrl-C left the lock)' : 'not needed'}. Stopped by SIGTERM to the server process.`,
      run: runId,
    });
    rows.push({
      id: 'start.third',
      what: 'npm start after a clean stop → /api/health 200',
      where: 'PGlite, 20 k demo',
      budget: `a few seconds (≤ ${LATER_START_BUDGET_S} s)`,
      verdict: starts.third.seconds <= LATER_START_BUDGET_S ? 'within' : 'OVER',
      figure: `${starts.third.seconds.toFixed(1)} s`,
      note: `index check ${starts.third.uncleanCheck ? 'RAN' : 'not needed'}.`,
      run: runId,
    });
  }
  if (only.has('web')) {
    console.log('\nweb app: vite build');
    const web = measureWeb();
    rows.push({
      id: 'web.js',
      what: 'Web app initial JS, gzipped (bench/web-size.ts)',
      where: 'vite build',
      budget: '≤ 400 KB',
      verdict: web.gzipBytes <= web.budgetBytes ? 'within' : 'OVER',
      figure: `${(web.gzipBytes / 1024).toFixed(1)} KB`,
      note: `${web.files.map((file) => `${file.file} ${(file.raw / 1024).toFixed(0)} KB → ${(file.gzip / 1024).toFixed(1)} KB`).join('; ')}; build ${web.buildSeconds.toFixed(0)} s`,
      run: runId,
    });
  }
}

// ---------------------------------------------------------------------------------------------

function table(all: Row[], runs: RunInfo[]): string {
  const runNumber = new Map(runs.map((info, index) => [info.id, index + 1]));
  const cell = (value: number | undefined) => (value === undefined ? '' : ms(value));
  const ratio = (api?: Figures, sql?: Figures) =>
    api && sql && sql.p50 > 0 ? `${(api.p50 / sql.p50).toFixed(1)} / ${(api.p95 / sql.p95).toFixed(1)}` : '';
  const lines = [
    '| what | where | API p50 | p95 | p99 | req/s | SQL p50 | p95 | p99 | items/s | API/SQL p50 / p95 | budget | verdict | run |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|--:|',
  ];
  for (const row of all) {
    const rate = (value?: number) => (value === undefined ? '' : value.toFixed(0));
    const verdict = row.verdict === 'OVER' ? '**OVER**' : row.verdict;
    const run = runNumber.get(row.run) ?? '';
    if (row.figure !== undefined) {
      lines.push(
        `| ${row.what} | ${row.where} | ${row.figure} | | | | | | | | | ${row.budget} | ${verdict} | ${run} |`,
      );
    } else {
      lines.push(
        `| ${row.what.replace(/^ {2}/, '&nbsp;&nbsp;↳ ')} | ${row.where} | ${cell(row.api?.p50)} | ${cell(row.api?.p95)} | ${cell(row.api?.p99)} | ${rate(row.api?.rate)} | ${cell(row.sql?.p50)} | ${cell(row.sql?.p95)} | ${cell(row.sql?.p99)} | ${rate(row.sql?.rate)} | ${ratio(row.api, row.sql)} | ${row.budget} | ${verdict} | ${run} |`,
      );
    }
  }
  return lines.join('\n');
}

/** `free -g`'s Mem line in words. */
function memoryText(free: string): string {
  const [total, used, , , cache, available] = (free.split('\n').find((line) => line.startsWith('Mem:')) ?? '')
    .split(/\s+/)
    .slice(1);
  return total ? `${total} GB total, ${used} GB used, ${cache} GB cache, ${available} GB available (free -g)` : free;
}

function render(stored: Stored): string {
  const order = [
    'demo-data',
    'start',
    'web',
    'pg1m.floor',
    'pg1m.card',
    'pg1m.list',
    'pg1m.lookup',
    'pg1m.text',
    'pglite100k.lookup',
    'pglite100k.text',
  ];
  const rank = (id: string) => {
    const index = order.findIndex((prefix) => id.startsWith(prefix));
    return index < 0 ? order.length : index;
  };
  const sorted = [...stored.rows].sort((a, b) => rank(a.id) - rank(b.id));
  const runs = stored.runs.filter((info) => stored.rows.some((row) => row.run === info.id));
  const notes = sorted
    .filter((row) => row.note && !row.what.startsWith('  '))
    .map((row) => `- **${row.what}** (${row.where}): ${row.note}`)
    .join('\n');
  const runText = runs
    .map((info, index) => {
      const m = info.machine;
      return [
        `${index + 1}. **${m.date}** — steps ${info.steps.join(', ')}; commit ${info.commit}${info.treeChanged ? ' (src/ changed DURING the run)' : ''}; ${info.settings}.`,
        `   Load at the start (\`uptime\`): \`${info.uptimeAtStart}\`.`,
        `   Machine: ${m.nproc} cores (${m.cpu}), memory ${memoryText(m.memory)};`,
        `   Node ${m.node}; ${m.postgres ?? 'PostgreSQL not used'}${m.postgresSettings ? ` (${m.postgresSettings})` : ''}; PGlite ${m.pglite}; autocannon ${m.autocannon}.`,
      ].join('\n');
    })
    .join('\n');
  return `${table(sorted, runs)}

Milliseconds unless marked. "API" is the HTTP figure from the load process; "SQL" is the same
requests' statements replayed bare (bench/bare-sql.ts); API/SQL is the ratio of their p50s and of
their p95s. The run column points to the list of runs below.

${notes}

Runs (each row above carries the number of the run that measured it; a partial run replaces only
its own rows):

${runText}`;
}

function writeDocs(stored: Stored) {
  const start = '<!-- bench:results:start (written by npm run bench; edit outside these markers) -->';
  const end = '<!-- bench:results:end -->';
  const block = `${start}\n${render(stored)}\n${end}`;
  let text = fs.existsSync(DOCS) ? fs.readFileSync(DOCS, 'utf8') : '';
  if (text.includes(start) && text.includes(end)) {
    text = text.slice(0, text.indexOf(start)) + block + text.slice(text.indexOf(end) + end.length);
  } else {
    text = `# Benchmarks\n\nWritten by \`npm run bench\` (bench/run.ts); the method and budgets are in DESIGN.md.\n\n${block}\n`;
  }
  fs.writeFileSync(DOCS, text);
}

const fingerprintAtStart = treeFingerprint();

async function main() {
  if (values['render-only']) {
    writeDocs(JSON.parse(fs.readFileSync(RESULTS, 'utf8')) as Stored);
    console.log(`written: ${path.relative(ROOT, DOCS)} from ${path.relative(ROOT, RESULTS)}`);
    return;
  }
  console.log(
    `bench run ${runId}: ${[...only].join(', ')}\n${run.uptimeAtStart}\ncommit ${run.commit}; ${os.cpus().length} cores`,
  );
  if (['card', 'list', 'lookup', 'text', 'demo-data'].some((step) => only.has(step as Step))) {
    machine.postgres = await postgresVersion();
  }
  await postgresSteps();
  await pgliteSteps();
  await startSteps();

  if (treeFingerprint() !== fingerprintAtStart) {
    run.treeChanged = true;
    console.log('\nNOTE: src/ or migrations/ changed during this run: the figures may mix two versions of the code.');
  }
  const stored: Stored = fs.existsSync(RESULTS) ? JSON.parse(fs.readFileSync(RESULTS, 'utf8')) : { runs: [], rows: [] };
  const replaced = new Set(rows.map((row) => row.id.split('.').slice(0, 2).join('.')));
  stored.rows = [...stored.rows.filter((row) => !replaced.has(row.id.split('.').slice(0, 2).join('.'))), ...rows];
  stored.runs = [...stored.runs.filter((info) => info.id !== runId), run];
  console.log(`\n${render({ runs: [run], rows })}`);
  if (!values['no-docs']) {
    fs.writeFileSync(RESULTS, `${JSON.stringify(stored, null, 2)}\n`);
    writeDocs(stored);
    console.log(`\nwritten: ${path.relative(ROOT, DOCS)} and ${path.relative(ROOT, RESULTS)}`);
  }
}

await main();
