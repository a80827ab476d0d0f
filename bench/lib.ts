// Shared helpers of the benchmarks: percentiles, the machine's description, child processes.
// No budget of its own; the budgets are in run.ts (and docs/benchmarks.md, "Budgets").
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
/** The benchmark's own PostgreSQL server login; the 1 M database is created next to the tests', never shared. */
export const PG_ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// BENCH_DB_1M and BENCH_PGLITE_DIR let a second checkout measure on a copy of its own.
const DEFAULT_DB_1M = 'linedesk_bench_1m';
export const BENCH_DB_1M = process.env.BENCH_DB_1M ?? DEFAULT_DB_1M;
/** The 100 k PGlite folder, the benchmark's own (never ./data, never a test's). */
const DEFAULT_PGLITE_DIR = '/tmp/linedesk-bench-pglite-100k';
export const BENCH_PGLITE_DIR = process.env.BENCH_PGLITE_DIR ?? DEFAULT_PGLITE_DIR;

/**
 * The bench databases' sizes. BENCH_PG_SUBSCRIBERS and BENCH_PGLITE_SUBSCRIBERS shrink them for a
 * smoke run of the benchmark's code (figures not comparable: use --no-docs), and only together with
 * BENCH_DB_1M / BENCH_PGLITE_DIR naming a copy of its own: at another size the default database
 * would be generated again.
 */
export function benchSubscribers(engine: 'postgres' | 'pglite'): number {
  const [variable, own, ownDefault, fallback] =
    engine === 'postgres'
      ? ['BENCH_PG_SUBSCRIBERS', 'BENCH_DB_1M', DEFAULT_DB_1M, 1_000_000]
      : ['BENCH_PGLITE_SUBSCRIBERS', 'BENCH_PGLITE_DIR', DEFAULT_PGLITE_DIR, 100_000];
  const value = process.env[variable];
  if (value === undefined) return fallback;
  if (!process.env[own] || process.env[own] === ownDefault) {
    throw new Error(`${variable} needs ${own} naming a database of the smoke run's own, not the default one`);
  }
  const subscribers = Number(value);
  if (!Number.isInteger(subscribers) || subscribers < 1) throw new Error(`${variable}: not a whole number: ${value}`);
  return subscribers;
}

export function databaseUrl(name: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Exact percentiles (nearest rank) of latencies in milliseconds. */
export function summarise(latencies: number[]): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  const at = (q: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : 0;
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: sorted.length,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted.length ? sorted[sorted.length - 1]! : 0,
    mean: sorted.length ? sum / sorted.length : 0,
  };
}

function run(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', cwd: ROOT }).trim();
  } catch {
    return '(unavailable)';
  }
}

export const uptime = () => run('uptime', []);
export const loadAverage = () => os.loadavg().map((value) => value.toFixed(2));
export const commit = () => {
  const head = run('git', ['rev-parse', '--short', 'HEAD']);
  const dirty = run('git', ['status', '--porcelain', '--', 'src', 'migrations']);
  return dirty && dirty !== '(unavailable)' ? `${head} + uncommitted changes in src/ or migrations/` : head;
};

/** Changes whenever HEAD or the uncommitted state of src/ or migrations/ changes (others edit the tree meanwhile). */
export function treeFingerprint(): string {
  try {
    // The committed trees of src/ and migrations/, not HEAD: a commit of bench/ or docs/ alone
    // changes nothing measured.
    const head = execFileSync('git', ['rev-parse', 'HEAD:src', 'HEAD:migrations'], { cwd: ROOT });
    const diff = execFileSync('git', ['diff', 'HEAD', '--', 'src', 'migrations'], { cwd: ROOT, maxBuffer: 64 << 20 });
    const untracked = execFileSync(
      'git',
      ['ls-files', '--others', '--exclude-standard', '-z', '--', 'src', 'migrations'],
      { cwd: ROOT },
    )
      .toString()
      .split('\0')
      .filter(Boolean)
      .map((file) => `${file}:${fs.statSync(path.join(ROOT, file)).mtimeMs}`)
      .join('\n');
    return createHash('sha1').update(head).update(diff).update(untracked).digest('hex').slice(0, 10);
  } catch {
    return '(unavailable)';
  }
}

export interface Machine {
  date: string;
  nproc: string;
  memory: string;
  cpu: string;
  node: string;
  pglite: string;
  autocannon: string;
  postgres?: string;
  postgresSettings?: string;
}

export function describeMachine(): Machine {
  const cpu = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? '?';
  const version = (name: string) =>
    JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version as string;
  return {
    date: run('date', ['-u']),
    nproc: run('nproc', []),
    memory: run('free', ['-g']),
    cpu,
    node: process.version,
    pglite: version('@electric-sql/pglite'),
    autocannon: version('autocannon'),
  };
}

/** Runs a child process to its end, its output passed through with a prefix; rejects on a non-zero exit. */
export function runChild(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; prefix?: string; capture?: boolean } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const pass = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      if (!options.capture) {
        // cli-progress redraws with \r: keep only whole lines, so logs stay readable.
        for (const line of text.split(/\r|\n/))
          if (line.trim()) process.stdout.write(`${options.prefix ?? ''}${line}\n`);
      }
    };
    child.stdout.on('data', pass);
    child.stderr.on('data', pass);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}\n${output.slice(-2000)}`));
    });
  });
}

/** A child that runs a bench/*.ts script under tsx and answers with one JSON line on stdout (prefixed "RESULT "). */
export async function runBenchChild<T>(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<T> {
  const output = await runChild(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', script), ...args], {
    env,
    prefix: `  [${script.replace(/\.ts$/, '')}] `,
  });
  const line = output.split('\n').find((text) => text.startsWith('RESULT '));
  if (!line) throw new Error(`${script} printed no RESULT line`);
  return JSON.parse(line.slice('RESULT '.length)) as T;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const ms = (value: number) =>
  value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
