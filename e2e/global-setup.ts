import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { freePort, freeUdpPort, type OwnServer, startServer, stopServer } from './server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** The server's RADIUS accounting port on 127.0.0.1, where a test plays the NAS. */
    radiusAcctPort: number;
  }
}

const root = fileURLToPath(new URL('..', import.meta.url));

export default async function setup(project: TestProject) {
  // Against a server that is already running (`npm start`, a staging host): nothing to build or start.
  if (process.env.E2E_BASE_URL) {
    project.provide('baseUrl', process.env.E2E_BASE_URL.replace(/\/$/, ''));
    project.provide('radiusAcctPort', Number(process.env.E2E_RADIUS_ACCT_PORT ?? 1813));
    return;
  }

  // The tests run what the server serves: dist/web, built from the current sources.
  if (process.env.E2E_SKIP_BUILD !== '1') {
    execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
      cwd: root,
      stdio: 'inherit',
    });
  }

  const port = await freePort();
  // A port of its own rather than 1813: another desk or a simulator on this machine may hold that one.
  const radiusAcctPort = await freeUdpPort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedesk-e2e-'));
  let server: OwnServer;
  try {
    server = await startServer({
      port,
      dataDir,
      env: { RADIUS_ACCT_PORT: String(radiusAcctPort), RADIUS_ACCT_HOST: '127.0.0.1' },
    });
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  project.provide('baseUrl', server.baseUrl);
  project.provide('radiusAcctPort', radiusAcctPort);

  return async () => {
    await stopServer(server.process);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
