// Demo-data generation time and the rows it writes, on a database of the benchmark's own.
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/ld_gen_bench npx tsx bench/demo-data.ts --subscribers 1000000
//   npx tsx bench/demo-data.ts --subscribers 100000 --data-dir /tmp/ld-bench   (PGlite; default: a fresh temp folder)
// Budgets (the task's): 20,000 on PGlite well under a minute; 1,000,000 on PostgreSQL under 15 minutes.
// The database is emptied of demo data and regenerated: never point it at one that matters.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { type Database, openPglite, openPostgres } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { generateDemoData } from '../src/demo-data/generate.js';

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '1' },
    today: { type: 'string' },
    'data-dir': { type: 'string' },
  },
  strict: true,
});
const subscribers = Number(values.subscribers);
const seed = Number(values.seed);
if (!Number.isInteger(subscribers) || !Number.isInteger(seed)) {
  console.error('--subscribers and --seed must be whole numbers');
  process.exit(2);
}

const url = process.env.DATABASE_URL;
let tempDir: string | undefined;
let database: Database;
if (url) {
  database = await openPostgres(url, 2);
} else {
  if (!values['data-dir']) tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedesk-bench-'));
  database = await openPglite(values['data-dir'] ?? tempDir);
}
const engine = url ? `PostgreSQL ${new URL(url).pathname.slice(1)}` : 'PGlite';
try {
  await migrate(database);
  const started = performance.now();
  let lastStage = '';
  let stageStarted = started;
  const result = await generateDemoData(database, {
    subscribers,
    seed,
    today: values.today,
    replaceExisting: true,
    onProgress: (_done, _total, stage) => {
      if (stage === lastStage) return;
      const now = performance.now();
      if (lastStage) console.log(`  ${lastStage.padEnd(12)} ${((now - stageStarted) / 1000).toFixed(1)} s`);
      lastStage = stage;
      stageStarted = now;
    },
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `  ${lastStage.padEnd(12)} ${((performance.now() - stageStarted) / 1000).toFixed(1)} s (commit included)`,
  );
  const totalRows = Object.values(result.counts).reduce((sum, n) => sum + n, 0);
  console.log(
    `\n${subscribers.toLocaleString('en')} subscribers on ${engine}, seed ${seed}: ${seconds.toFixed(1)} s, ${Math.round(totalRows / seconds).toLocaleString('en')} rows/s`,
  );
  console.log(
    `heap after: ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
  const sizes = await database.rows<{ table: string; bytes: number }>(sql`
    select relname as table, pg_total_relation_size(oid)::int8 as bytes from pg_class
    where relkind = 'r' and relnamespace = 'public'::regnamespace`);
  const size = new Map(sizes.map((row) => [row.table, Number(row.bytes)]));
  for (const [table, rows] of Object.entries(result.counts)) {
    console.log(
      `  ${table.padEnd(24)} ${rows.toLocaleString('en').padStart(12)} rows ${((size.get(table) ?? 0) / 1e6).toFixed(1).padStart(9)} MB ${String(result.insertSeconds[table] ?? 0).padStart(7)} s inserting`,
    );
  }
} finally {
  await database.close();
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
}
