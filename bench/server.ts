// The server under test, started by the benchmark as a child process of its own
// (`node --import tsx src/server/main.ts`) on the benchmark's database, and stopped afterwards.
// No budget of its own; the first-start budget (≤ 3 min, later starts a few seconds) is in start.ts.
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { ROOT, sleep } from './lib.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The environment without anything that would point the child at another database. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _url, DATA_DIR: _dir, PORT: _port, TEST_DATABASE_URL: _test, ...inherited } = process.env;
  return { ...inherited, NODE_ENV: 'development', HOST: '127.0.0.1', ...extra };
}

/** Polls /api/health until it answers 200; returns when it did (performance.now()). */
export async function waitHealthy(baseUrl: string, child: ChildProcess, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let exited: number | string | null = null;
  child.once('exit', (code, signal) => {
    exited = code ?? signal;
  });
  while (performance.now() < deadline) {
    if (exited !== null) throw new Error(`the server exited (${exited}) before it was healthy`);
    try {
      const response = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return performance.now();
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`the server was not healthy within ${timeoutMs / 1000} s`);
}

/** Stops a child (its whole process group when `group`): SIGTERM, then SIGKILL after 20 s. */
export async function stopChild(child: ChildProcess, group = false): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      if (group && child.pid) process.kill(-child.pid, name);
      else child.kill(name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const killed = await Promise.race([exited.then(() => false), sleep(20_000).then(() => true)]);
  if (killed) {
    signal('SIGKILL');
    await exited;
  }
}

export interface RunningServer {
  baseUrl: string;
  output: () => string;
  login(login?: string, password?: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startServer(databaseEnv: Record<string, string>): Promise<RunningServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // BENCH_SERVER_NODE_ARGS: e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where the server's time goes.
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: cleanEnv({ ...databaseEnv, PORT: String(port), LOG_LEVEL: 'warn' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  });
  const started = performance.now();
  try {
    // Pending migrations on 1 M rows (a new index) may take minutes.
    await waitHealthy(baseUrl, child, 15 * 60_000);
  } catch (error) {
    await stopChild(child);
    throw new Error(`${(error as Error).message}\n${output.slice(-3000)}`);
  }
  console.log(`  server up on ${baseUrl} in ${((performance.now() - started) / 1000).toFixed(1)} s (pid ${child.pid})`);
  return {
    baseUrl,
    output: () => output,
    async login(login = 'l1', password = 'demo') {
      const response = await fetch(`${baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login, password }),
      });
      const cookie = response.headers.getSetCookie().find((value) => value.startsWith('linedesk_session='));
      if (response.status !== 200 || !cookie)
        throw new Error(`login as ${login} failed: ${response.status} ${await response.text()}`);
      return cookie.split(';')[0]!;
    },
    stop: () => stopChild(child),
  };
}
