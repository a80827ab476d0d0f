import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeSnmpsimData } from '../integrations/snmp/recorded-agents.js';

/**
 * Debian's snmpsim (snmpsimd) as the real SNMP agent of the SNMP tests: one process per simulated
 * switch or OLT, on its own 127.0.0.x address and a free UDP port, answering from a .snmprec data
 * file the test writes and rewrites; .ci/run installs it.
 */
// snmpsimd --version exits 255 after printing it: only a missing program counts as missing.
const installed = (program: string) => {
  try {
    execFileSync(program, ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
};

export const snmpsimInstalled = installed('snmpsimd');

/** Debian's snmptrap (package snmp), which the trap tests send with. */
export const snmptrapInstalled = installed('snmptrap');

/** Says which tests skip without snmpsim or snmptrap: a skipped test must never pass unseen. */
export function warnIfSnmpToolsMissing(tests: string): void {
  if (snmpsimInstalled && snmptrapInstalled) return;
  console.warn(
    `${tests} SKIPPED: ${snmpsimInstalled ? 'snmptrap' : 'snmpsimd'} is not installed. Install Debian's snmpsim and snmp (apt-get install -y snmpsim snmp); .ci/run does.`,
  );
}

/** A UDP port free now on this loopback address. */
export function freeUdpPortOn(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = dgram.createSocket('udp4');
    probe.unref();
    probe.on('error', reject);
    probe.bind(0, address, () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

export interface SnmpsimV3User {
  user: string;
  authProto: 'SHA' | 'MD5';
  authKey: string;
  privProto?: 'AES' | 'DES';
  privKey?: string;
}

export interface SnmpsimOptions {
  /** In 127.0.0.0/8 only. */
  address: string;
  /** v2c: the data answers this community. */
  community?: string;
  /** v3: the data answers this user (with an empty context). */
  v3?: SnmpsimV3User;
  /** The .snmprec lines: `oid|type|value`, sorted by OID. */
  data: string;
}

export interface SnmpsimAgent {
  address: string;
  port: number;
  /** Replaces the agent's data; it answers from it from the next request on. */
  setData(data: string): void;
  /** The SET requests it took, as `oid=value`, in order. */
  setsSeen(): string[];
  stop(): Promise<void>;
}

// snmpsim serves an SNMPv3 request with an empty context from the data file named after the
// transport (udpv4's first endpoint is 1.3.6.1.6.1.1.0); v1/v2c from the file named after the community.
const V3_DATA_FILE = '1.3.6.1.6.1.1.0.snmprec';

/**
 * Starts snmpsimd for one simulated node; setData rewrites its data dated after the index snmpsimd
 * built (writeSnmpsimData), so it answers from the new data.
 */
export async function startSnmpsim(options: SnmpsimOptions): Promise<SnmpsimAgent> {
  if (!options.address.startsWith('127.')) throw new Error('snmpsim agents listen in 127.0.0.0/8 only');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'linedesk-snmpsim-'));
  const dataDir = path.join(root, 'data');
  const cacheDir = path.join(root, 'cache');
  fs.mkdirSync(dataDir);
  fs.mkdirSync(cacheDir);
  // As root, snmpsimd drops to nobody: it must still read the data and write its index and log.
  for (const dir of [root, dataDir, cacheDir]) fs.chmodSync(dir, 0o777);
  const files = [...(options.community ? [`${options.community}.snmprec`] : []), ...(options.v3 ? [V3_DATA_FILE] : [])];
  let dataTime = 0;
  const setData = (data: string) => {
    const time = dataTime;
    for (const file of files) dataTime = writeSnmpsimData(path.join(dataDir, file), data, time);
  };
  setData(options.data);
  const port = await freeUdpPortOn(options.address);
  const logFile = path.join(root, 'snmpsimd.log');
  const args = [
    `--data-dir=${dataDir}`,
    `--cache-dir=${cacheDir}`,
    `--agent-udpv4-endpoint=${options.address}:${port}`,
    `--logging-method=file:${logFile}`,
  ];
  if (options.v3) {
    args.push(
      `--v3-user=${options.v3.user}`,
      `--v3-auth-key=${options.v3.authKey}`,
      `--v3-auth-proto=${options.v3.authProto}`,
    );
    if (options.v3.privProto && options.v3.privKey) {
      args.push(`--v3-priv-key=${options.v3.privKey}`, `--v3-priv-proto=${options.v3.privProto}`);
    }
  }
  if (process.getuid?.() === 0) args.push('--process-user=nobody', '--process-group=nogroup');
  const child: ChildProcess = spawn('snmpsimd', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const readLog = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');
  const startedBy = Date.now() + 20_000;
  while (!readLog().includes('Listening at UDP/IPv4 endpoint')) {
    if (child.exitCode !== null || Date.now() > startedBy) {
      child.kill();
      throw new Error(`snmpsimd did not start: ${stderr.slice(0, 500)}${readLog().slice(-500)}`);
    }
    await sleep(50);
  }
  return {
    address: options.address,
    port,
    setData,
    setsSeen: () =>
      [...readLog().matchAll(/Request var-binds: (.*), flags: EXACT, SET/g)].map((match) =>
        (match[1] ?? '').replace(/=<(.*)>$/, '=$1'),
      ),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, sleep(3000)]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
