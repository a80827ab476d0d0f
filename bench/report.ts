// The benchmark's results: one row per figure, kept across runs in bench/results.json (a run of
// some steps replaces only their rows), rendered as the markdown between the markers of
// docs/benchmarks.md. Keep the rendering stable: later runs are compared against earlier ones.
import fs from 'node:fs';
import type { SqlResult } from './bare-sql.js';
import { type LatencySummary, type Machine, ms } from './lib.js';
import type { LoadResult } from './load.js';

export interface Figures {
  p50: number;
  p95: number;
  p99: number;
  rate?: number;
}

export interface Row {
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

export interface RunInfo {
  id: string;
  machine: Machine;
  uptimeAtStart: string;
  commit: string;
  steps: string[];
  settings: string;
  /** Set when src/ or migrations/ changed while the run measured (another engineer's edit). */
  treeChanged?: boolean;
}

export interface Stored {
  runs: RunInfo[];
  rows: Row[];
}

/** A latency budget: this percentile of the HTTP latency at most this many milliseconds. */
export interface Rule {
  at: 'p95' | 'p99';
  ms: number;
}

const figures = (summary: LatencySummary, rate?: number): Figures => ({
  p50: summary.p50,
  p95: summary.p95,
  p99: summary.p99,
  rate,
});

function verdictOf(summary: LatencySummary | undefined, rule: Rule | null): Row['verdict'] {
  if (!summary || !rule) return '';
  return summary[rule.at] <= rule.ms ? 'within' : 'OVER';
}

const ruleText = (rule: Rule | null) => (rule ? `${rule.at} ≤ ${rule.ms} ms` : '');

/** The row of one HTTP measurement beside its bare SQL, and a row per kind when it mixed several. */
export function latencyRows(options: {
  id: string;
  what: string;
  where: string;
  rule: Rule | null;
  /** Per-kind rules (the lookup's budget holds for each kind); default: none, informative. */
  kindRule?: Rule | null;
  api: LoadResult;
  sql: SqlResult;
  /** Load average (1, 5, 15 min) when the HTTP measurement began. */
  load?: string;
  note?: string;
  run: string;
}): Row[] {
  const { api, sql } = options;
  const found = api.checked
    ? ` ${api.expectedFound}/${api.checked} answers held the subscriber they were made from.`
    : '';
  const failures =
    api.non2xx || api.errors || api.timeouts
      ? ` non-2xx ${api.non2xx}, errors ${api.errors}, timeouts ${api.timeouts}.`
      : '';
  const rows: Row[] = [
    {
      id: options.id,
      what: options.what,
      where: options.where,
      budget: ruleText(options.rule),
      verdict: verdictOf(api.overall, options.rule),
      api: figures(api.overall, api.overall.rps),
      sql: figures(sql.overall, sql.overall.qps),
      note: `${options.load ? `load average ${options.load} at its start; ` : ''}${api.overall.count} requests over ${api.distinctRequests} distinct; ${sql.overall.statementsPerItem.toFixed(1)} statements each.${found}${failures}${sql.errors ? ` SQL errors ${sql.errors}: ${sql.firstError}` : ''}${options.note ? ` ${options.note}` : ''}`,
      run: options.run,
    },
  ];
  const kinds = Object.keys(api.byKind).sort();
  if (kinds.length > 1) {
    const rule = options.kindRule ?? null;
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
        run: options.run,
      });
    }
  }
  return rows;
}

/** The stored results with this run's rows in place of the rows of the same steps. */
export function mergeRun(stored: Stored, run: RunInfo, rows: Row[]): Stored {
  const step = (row: Row) => row.id.split('.').slice(0, 2).join('.');
  const replaced = new Set(rows.map(step));
  return {
    runs: [...stored.runs.filter((info) => info.id !== run.id), run],
    rows: [...stored.rows.filter((row) => !replaced.has(step(row))), ...rows],
  };
}

function table(all: Row[], runs: RunInfo[]): string {
  const runNumber = new Map(runs.map((info, index) => [info.id, index + 1]));
  const cell = (value: number | undefined) => (value === undefined ? '' : ms(value));
  const rate = (value?: number) => (value === undefined ? '' : value.toFixed(0));
  const ratio = (api?: Figures, sql?: Figures) =>
    api && sql && sql.p50 > 0 ? `${(api.p50 / sql.p50).toFixed(1)} / ${(api.p95 / sql.p95).toFixed(1)}` : '';
  const lines = [
    '| what | where | API p50 | p95 | p99 | req/s | SQL p50 | p95 | p99 | items/s | API/SQL p50 / p95 | budget | verdict | run |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|--:|',
  ];
  for (const row of all) {
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

/** The order of the table: non-latency budgets first, then PostgreSQL, then PGlite. */
const ORDER = [
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
  'queue',
  'cti',
  'card-pop',
];

/** The table, its legend, the notes and the list of runs, as markdown. */
export function render(stored: Stored): string {
  const rank = (id: string) => {
    const index = ORDER.findIndex((prefix) => id.startsWith(prefix));
    return index < 0 ? ORDER.length : index;
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

const START = '<!-- bench:results:start (written by npm run bench; edit outside these markers) -->';
const END = '<!-- bench:results:end -->';

/** Writes the rendered results between the markers of the docs file (text outside them is the team's). */
export function writeDocs(docsPath: string, stored: Stored) {
  const block = `${START}\n${render(stored)}\n${END}`;
  let text = fs.existsSync(docsPath) ? fs.readFileSync(docsPath, 'utf8') : '';
  if (text.includes(START) && text.includes(END)) {
    text = text.slice(0, text.indexOf(START)) + block + text.slice(text.indexOf(END) + END.length);
  } else {
    text = `# Benchmarks\n\nWritten by \`npm run bench\` (bench/run.ts); the method and budgets are above the results.\n\n${block}\n`;
  }
  fs.writeFileSync(docsPath, text);
}
