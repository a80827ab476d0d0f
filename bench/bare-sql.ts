// The same queries bare against the database, in a process of its own: exactly the statements the
// endpoint ran (captured by capture-sql.ts with their parameters), replayed by 8 concurrent
// clients with `pg` on PostgreSQL, or by 8 concurrent callers of one PGlite instance (PGlite is one
// connection; the server queues on it the same way). The latency of one item is all of its
// statements run one after another on one connection: the database's share of one request.
// It is what the API figures are divided by (the API/SQL ratio). Budgets: those of the endpoint
// measured (docs/benchmarks.md, "Budgets"; run.ts prints them beside the figures).
//   node --import tsx bench/bare-sql.ts <workload.json>    (run.ts writes the workload and calls this)
// Prints one line "RESULT {json}".
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { pgliteExtensions } from '../src/db/connection.js';
import { lockDataDir } from '../src/db/data-dir-lock.js';
import { type LatencySummary, summarise } from './lib.js';

export interface Statement {
  text: string;
  params: unknown[];
}

export interface SqlItem {
  kind: string;
  statements: Statement[];
}

export interface SqlWorkload {
  engine: 'postgres' | 'pglite';
  /** DATABASE_URL (PostgreSQL) or DATA_DIR (PGlite; the server must be stopped). */
  target: string;
  clients: number;
  warmupSeconds: number;
  durationSeconds: number;
  items: SqlItem[];
}

export interface SqlResult {
  overall: LatencySummary & { qps: number; seconds: number; statementsPerItem: number };
  byKind: Record<string, LatencySummary>;
  errors: number;
  firstError: string | null;
}

type Runner = (statement: Statement) => Promise<unknown>;

async function replay(runners: Runner[], items: SqlItem[], seconds: number, startAt: number, record: boolean) {
  const latencies: number[] = [];
  const byKind = new Map<string, number[]>();
  let next = startAt;
  let errors = 0;
  let firstError: string | null = null;
  let statements = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    runners.map(async (run) => {
      while (performance.now() < until) {
        const item = items[next++ % items.length]!;
        const begun = performance.now();
        try {
          for (const statement of item.statements) await run(statement);
        } catch (error) {
          errors++;
          firstError ??= (error as Error).message;
          continue;
        }
        const took = performance.now() - begun;
        if (!record) continue;
        latencies.push(took);
        statements += item.statements.length;
        let list = byKind.get(item.kind);
        if (!list) {
          list = [];
          byKind.set(item.kind, list);
        }
        list.push(took);
      }
    }),
  );
  return { latencies, byKind, errors, firstError, statements, seconds: (performance.now() - started) / 1000 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const workload = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as SqlWorkload;
  let runners: Runner[];
  let close: () => Promise<void>;
  if (workload.engine === 'postgres') {
    const clients = await Promise.all(
      Array.from({ length: workload.clients }, async () => {
        const client = new pg.Client({ connectionString: workload.target });
        await client.connect();
        return client;
      }),
    );
    runners = clients.map((client) => (statement) => client.query(statement.text, statement.params));
    close = async () => {
      await Promise.all(clients.map((client) => client.end()));
    };
  } else {
    const lock = lockDataDir(workload.target);
    const pglite = await PGlite.create({ dataDir: workload.target, extensions: pgliteExtensions });
    runners = Array.from(
      { length: workload.clients },
      () => (statement) => pglite.query(statement.text, statement.params),
    );
    close = async () => {
      await pglite.close();
      lock.release();
    };
  }
  try {
    if (workload.warmupSeconds > 0) {
      await replay(runners, workload.items, workload.warmupSeconds, Math.floor(workload.items.length / 2), false);
    }
    const measured = await replay(runners, workload.items, workload.durationSeconds, 0, true);
    const out: SqlResult = {
      overall: {
        ...summarise(measured.latencies),
        qps: measured.latencies.length / measured.seconds,
        seconds: measured.seconds,
        statementsPerItem: measured.latencies.length ? measured.statements / measured.latencies.length : 0,
      },
      byKind: Object.fromEntries([...measured.byKind].map(([kind, list]) => [kind, summarise(list)])),
      errors: measured.errors,
      firstError: measured.firstError,
    };
    console.log(`RESULT ${JSON.stringify(out)}`);
  } finally {
    await close();
  }
}
