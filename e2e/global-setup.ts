import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
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
    /** The server's SNMP trap port on 127.0.0.1, where a test plays a switch. */
    snmpTrapPort: number;
    /** What the monitoring systems present to /api/monitoring/* (MONITORING_WEBHOOK_TOKEN). */
    monitoringToken: string;
  }
}

const root = fileURLToPath(new URL('..', import.meta.url));

export default async function setup(project: TestProject) {
  // Against a server that is already running (`npm start`, a staging host): nothing to build or start.
  if (process.env.E2E_BASE_URL) {
    project.provide('baseUrl', process.env.E2E_BASE_URL.replace(/\/$/, ''));
    project.provide('radiusAcctPort', Number(process.env.E2E_RADIUS_ACCT_PORT ?? 1813));
    project.provide('snmpTrapPort', Number(process.env.E2E_SNMP_TRAP_PORT ?? 162));
    project.provide('monitoringToken', process.env.E2E_MONITORING_WEBHOOK_TOKEN ?? '');
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
  const snmpTrapPort = await freeUdpPort();
  const monitoringToken = randomBytes(24).toString('hex');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedesk-e2e-'));
  let server: OwnServer;
  try {
    server = await startServer({
      port,
      dataDir,
      env: {
        RADIUS_ACCT_PORT: String(radiusAcctPort),
        RADIUS_ACCT_HOST: '127.0.0.1',
        SNMP_TRAP_LISTEN: `127.0.0.1:${snmpTrapPort}`,
        MONITORING_WEBHOOK_TOKEN: monitoringToken,
      },
    });
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  project.provide('baseUrl', server.baseUrl);
  project.provide('radiusAcctPort', radiusAcctPort);
  project.provide('snmpTrapPort', snmpTrapPort);
  project.provide('monitoringToken', monitoringToken);

  return async () => {
    await stopServer(server.process);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
