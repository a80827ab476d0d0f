// Where the time of a request goes: replays a captured SQL workload (the JSON run.ts writes for
// bare-sql.ts) on one connection, times every statement by its text, and prints the slowest
// statement shapes with EXPLAIN (ANALYZE, BUFFERS) of their slowest instance. For finding the
// cause when a budget (run.ts, docs/benchmarks.md "Budgets") is missed. PostgreSQL workloads only.
//   npx tsx bench/explain.ts /tmp/linedesk-bench/sql-card-PostgreSQL-1-M-.json [--kind card] [--items 100] [--top 3]
// EXPLAIN ANALYZE runs the statement: the card's audit INSERT writes a row (on the bench database).
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { SqlWorkload } from './bare-sql.js';
import { ms, summarise } from './lib.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    kind: { type: 'string' },
    items: { type: 'string', default: '100' },
    top: { type: 'string', default: '3' },
  },
});
const workload = JSON.parse(fs.readFileSync(positionals[0]!, 'utf8')) as SqlWorkload;
if (workload.engine !== 'postgres') throw new Error('explain.ts reads PostgreSQL workloads');
const items = workload.items.filter((item) => !values.kind || item.kind === values.kind).slice(0, Number(values.items));
const client = new pg.Client({ connectionString: workload.target });
await client.connect();

// Statements that differ only in the length of an IN (...) list are one shape.
const shapeOf = (text: string) => text.replace(/\$\d+(?:\s*,\s*\$\d+)*/g, '$…').replace(/\s+/g, ' ');
// What tells shapes apart: their WHERE clauses (the selected columns are the same).
const describe = (text: string) => {
  const wheres = [...shapeOf(text).matchAll(/ where (.*?)(?= order by | group by | limit |\) capped|\)$|$)/g)].map(
    (m) => m[1],
  );
  return wheres.length ? `${shapeOf(text).slice(0, 40)}… WHERE ${wheres.join(' | ')}` : shapeOf(text);
};
const shapes = new Map<
  string,
  { text: string; times: number[]; slowest: { ms: number; params: unknown[]; text: string } }
>();
const totals: number[] = [];
for (const item of items) {
  let total = 0;
  for (const statement of item.statements) {
    const started = performance.now();
    await client.query(statement.text, statement.params);
    const took = performance.now() - started;
    total += took;
    const key = shapeOf(statement.text);
    let shape = shapes.get(key);
    if (!shape) {
      shape = { text: statement.text, times: [], slowest: { ms: 0, params: [], text: statement.text } };
      shapes.set(key, shape);
    }
    shape.times.push(took);
    if (took > shape.slowest.ms) shape.slowest = { ms: took, params: statement.params, text: statement.text };
  }
  totals.push(total);
}
const whole = summarise(totals);
console.log(
  `${items.length} items${values.kind ? ` of kind ${values.kind}` : ''}, one connection: p50 ${ms(whole.p50)} p95 ${ms(whole.p95)} ms per item\n`,
);
const ranked = [...shapes].sort(
  (a, b) => b[1].times.reduce((s, t) => s + t, 0) - a[1].times.reduce((s, t) => s + t, 0),
);
for (const [, shape] of ranked) {
  const summary = summarise(shape.times);
  console.log(
    `${String(shape.times.length).padStart(5)}×  sum ${ms(shape.times.reduce((s, t) => s + t, 0)).padStart(7)} ms  p50 ${ms(summary.p50).padStart(6)}  p95 ${ms(summary.p95).padStart(6)}  max ${ms(summary.max).padStart(6)}  ${describe(shape.text).slice(0, 400)}`,
  );
}
for (const [, shape] of ranked.slice(0, Number(values.top))) {
  const { text, params } = shape.slowest;
  console.log(`\n--- ${describe(text).slice(0, 600)}\n    params ${JSON.stringify(params).slice(0, 300)}`);
  const plan = await client.query(`explain (analyze, buffers) ${text}`, params);
  for (const row of plan.rows) console.log(`    ${row['QUERY PLAN']}`);
}
await client.end();
