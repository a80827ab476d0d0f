import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// First start generates the demo ISP; on a slow machine that is most of this budget.
const startBudgetMs = 120_000;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export { freeUdpPort } from '../src/testing/free-udp-port.js';

export async function waitForHealth(baseUrl: string, server: ChildProcess, output: () => string) {
  const deadline = Date.now() + startBudgetMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) {
      throw new Error(`the server exited with code ${server.exitCode} before it answered:\n${output()}`);
    }
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`GET /api/health did not answer 200 within ${startBudgetMs / 1000} s:\n${output()}`);
}

/** Stops the whole process group: npx, tsx and the server under them. */
export function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.pid === undefined) return Promise.resolve();
  const pid = server.pid;
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, 10_000);
    server.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      clearTimeout(force);
      resolve();
    }
  });
}

/** A Linedesk server of its own: `npm start`'s process on a port and data folder of the caller's. */
export interface OwnServer {
  baseUrl: string;
  process: ChildProcess;
  output: () => string;
}

/**
 * Starts the server as npm start runs it (node itself, so SIGTERM reaches its own shutdown).
 * `env` adds to or overrides its environment: DATABASE_URL for an instance on PostgreSQL.
 */
export async function startServer(options: {
  port: number;
  dataDir: string;
  env?: Record<string, string>;
}): Promise<OwnServer> {
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(options.port),
      DATA_DIR: options.dataDir,
      DEMO_SUBSCRIBERS: '1000',
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
      // No RADIUS listener on every address's 1813 unless a test asks for one on a port of its own.
      RADIUS_ACCT_PORT: 'off',
      ...options.env,
    },
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    if (process.env.E2E_SERVER_OUTPUT === '1') process.stderr.write(chunk);
  };
  server.stdout?.on('data', keep);
  server.stderr?.on('data', keep);
  try {
    await waitForHealth(baseUrl, server, () => output);
  } catch (error) {
    await stopServer(server);
    throw error;
  }
  return { baseUrl, process: server, output: () => output };
}
