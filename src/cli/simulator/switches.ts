import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import snmp from 'net-snmp';
import type { AccessLinePanel } from '../../common/api/access-line.js';
import type { SnmpSettingsView } from '../../common/api/snmp-settings.js';
import type { SubscriberCard, SubscriberList } from '../../common/api/subscribers.js';
import type { Random } from '../../demo-data/random.js';
import { IF_MIB, SNMPV2_MIB } from '../../integrations/snmp/mib.js';
import { simulatedSwitch, writeSnmpsimData } from '../../integrations/snmp/recorded-agents.js';
import { exponential, uniform } from './draws.js';
import type { LinedeskClient } from './linedesk-client.js';

/**
 * Access switches on loopback: Debian's snmpsim (snmpsimd) answers Linedesk's SNMP polls for a few
 * demo subscribers' switches, from data this simulator writes, on each switch's own management
 * address (127.x.x.x, as the demo network has it). The simulator lists the switches in the SNMP
 * settings through the admin API (a community of their own, ports allowed to be bounced) and now
 * and then takes a subscriber's port down and up again: it changes the data snmpsim answers from
 * and sends the switch's linkDown/linkUp trap to Linedesk's trap receiver, as the switch would.
 * Rarely another MAC shows up on a port instead of the CPE's. It takes the switches off the
 * settings when it stops. Without snmpsimd installed it says so and sits out.
 */

/** Where snmpsim answers, on every simulated switch's address (a port of its own: 161 needs root). */
const PREFERRED_PORT = 1161;
/** The smallest interval the settings take: a change shows within it even without a trap. */
const POLL_SECONDS = 30;
const UP = 1;
const DOWN = 2;

export interface SimulatedSwitchesOptions {
  admin: LinedeskClient;
  /** Where Linedesk's SNMP trap receiver listens (SNMP_TRAP_LISTEN). */
  trapHost: string;
  trapPort: number;
  random: Random;
  speed: number;
  say: (text: string) => void;
  /** How many demo subscribers' ports it plays (default 3). */
  subscribers?: number;
  /** Mean simulated minutes between one port's flips (default 20). */
  flipMinutes?: number;
  /** Accounts to play first (the simulated NAS's: their cards then show sessions and ports). */
  preferred?: { subscriberId: number; accountId: number }[];
}

export interface SwitchStatistics {
  switches: number;
  ports: number;
  flips: number;
  traps: number;
  macMoves: number;
}

interface SimulatedPort {
  ifIndex: number;
  name: string;
  accountNumber: string;
  /** The CPE's MAC on record, or null. */
  mac: string | null;
  up: boolean;
  /** Another MAC on the port instead of the CPE's (a router swapped, a neighbour plugged in). */
  strangerMac: string | null;
  inErrors: number;
  timers: NodeJS.Timeout[];
}

interface SimulatedSwitch {
  name: string;
  address: string;
  community: string;
  ports: Map<number, SimulatedPort>;
  session: snmp.Session | null;
}

/** Says snmpsimd is missing, and how to get it: the rest of the simulator plays on. */
export class SnmpsimMissing extends Error {}

function snmpsimInstalled(): boolean {
  try {
    execFileSync('snmpsimd', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // It exits non-zero after printing its version: only a missing program counts as missing.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/** A UDP port free on every one of these addresses: the preferred one if it is. */
async function portFreeOn(addresses: string[], preferred: number): Promise<number> {
  const tryPort = async (port: number) => {
    const sockets: dgram.Socket[] = [];
    try {
      let bound = port;
      for (const address of addresses) {
        const socket = dgram.createSocket('udp4');
        sockets.push(socket);
        bound = await new Promise<number>((resolve, reject) => {
          socket.once('error', reject);
          socket.bind(bound, address, () => resolve(socket.address().port));
        });
      }
      return bound;
    } finally {
      await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
    }
  };
  try {
    return await tryPort(preferred);
  } catch {
    return tryPort(0);
  }
}

export class SimulatedSwitches {
  readonly statistics: SwitchStatistics = { switches: 0, ports: 0, flips: 0, traps: 0, macMoves: 0 };
  private switches: SimulatedSwitch[] = [];
  private snmpsim: ChildProcess | undefined;
  private dataDir = '';
  private root = '';
  /** The last data file's modification time (writeSnmpsimData). */
  private dataTime = 0;
  private stopped = false;

  constructor(private readonly options: SimulatedSwitchesOptions) {}

  private ms(simulatedSeconds: number) {
    return (simulatedSeconds * 1000) / this.options.speed;
  }

  /** Finds the switches, starts snmpsim on their addresses and lists them in the SNMP settings. */
  async start(): Promise<void> {
    const { admin, say } = this.options;
    if (!snmpsimInstalled()) {
      throw new SnmpsimMissing(
        "SNMP not playing: port flips need Debian's snmpsim (apt-get install snmpsim snmp); the rest plays on",
      );
    }
    this.switches = await this.findSwitches();
    if (this.switches.length === 0) throw new Error('no demo subscriber with an access switch port was found');
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'linedesk-simulated-switches-'));
    this.dataDir = path.join(this.root, 'data');
    const cacheDir = path.join(this.root, 'cache');
    fs.mkdirSync(this.dataDir);
    fs.mkdirSync(cacheDir);
    // As root, snmpsimd drops to nobody: it must still read the data and write its index and log.
    for (const dir of [this.root, this.dataDir, cacheDir]) fs.chmodSync(dir, 0o777);
    for (const node of this.switches) this.writeData(node);
    const port = await portFreeOn(
      this.switches.map((node) => node.address),
      PREFERRED_PORT,
    );
    await this.startSnmpsim(port, cacheDir);

    const listed = await admin.get<SnmpSettingsView>('/api/settings/snmp');
    for (const node of this.switches) {
      const leftover = listed.nodes.find((entry) => entry.node === node.name);
      if (leftover) say(`SNMP ${node.name} was in the SNMP settings already: taken over while the simulator runs`);
      await admin.put(`/api/settings/snmp/nodes/${node.name}`, {
        version: 'v2c',
        community: node.community,
        port,
        bounceAllowed: true,
        intervalSeconds: POLL_SECONDS,
        ...(leftover ? { settingsVersion: leftover.settingsVersion } : {}),
      });
      node.session = snmp.createSession(this.options.trapHost, node.community, {
        version: snmp.Version2c,
        trapPort: this.options.trapPort,
        sourceAddress: node.address,
      });
      node.session.on('error', (error: Error) => say(`SNMP ${node.name}: ${error.message}`));
    }
    this.statistics.switches = this.switches.length;
    this.statistics.ports = this.switches.reduce((sum, node) => sum + node.ports.size, 0);
    say(
      `SNMP ${this.switches.length} access switches answer polls (snmpsim on ${this.switches.map((node) => node.address).join(', ')} port ${port}) and send traps to ${this.options.trapHost}:${this.options.trapPort}`,
    );
    const accounts = this.switches.flatMap((node) => [...node.ports.values()].map((p) => p.accountNumber));
    say(`SNMP to watch a port go down and up on the card, find account ${accounts.join(', ')} (as l2)`);
    for (const node of this.switches) {
      for (const simulated of node.ports.values()) this.scheduleFlip(node, simulated);
    }
  }

  /** The switches it plays, for the alerts on them. */
  nodes(): { name: string; address: string }[] {
    return this.switches.map((node) => ({ name: node.name, address: node.address }));
  }

  /** Stops flipping, takes the switches off the settings, stops snmpsim. */
  async stop(): Promise<SwitchStatistics> {
    this.stopped = true;
    for (const node of this.switches) {
      for (const simulated of node.ports.values()) for (const timer of simulated.timers) clearTimeout(timer);
      node.session?.close();
      await this.options.admin.delete(`/api/settings/snmp/nodes/${node.name}`).catch((error: Error) => {
        this.options.say(`SNMP could not take ${node.name} off the SNMP settings (${error.message}): remove it there`);
      });
    }
    // It may be gone already (killed from outside).
    const snmpsim = this.snmpsim;
    if (snmpsim && snmpsim.exitCode === null && snmpsim.signalCode === null) {
      const exited = new Promise((resolve) => snmpsim.once('exit', resolve));
      snmpsim.kill();
      await exited;
    }
    if (this.root) fs.rmSync(this.root, { recursive: true, force: true });
    return this.statistics;
  }

  /** Demo subscribers on access switches, from their cards and access lines (the admin may open them). */
  private async findSwitches(): Promise<SimulatedSwitch[]> {
    const { admin, random } = this.options;
    const wanted = this.options.subscribers ?? 3;
    const list = await admin.get<SubscriberList>('/api/subscribers?limit=100&offset=200');
    const candidates = [
      ...(this.options.preferred ?? []).map(({ subscriberId, accountId }) => ({ id: subscriberId, accountId })),
      ...random.shuffle(list.items.map(({ id, accountId }) => ({ id, accountId }))).slice(0, 40),
    ];
    const byName = new Map<string, SimulatedSwitch>();
    let found = 0;
    for (const item of candidates) {
      if (found >= wanted) break;
      const card = await admin.get<SubscriberCard>(`/api/subscribers/${item.id}?accountId=${item.accountId}`);
      const line = await admin.get<AccessLinePanel>(
        `/api/subscribers/${item.id}/access-line?accountId=${card.account.id}`,
      );
      const node = line.nodes[0];
      if (!line.port || !node || node.kind !== 'access_switch' || !node.managementIp.startsWith('127.')) continue;
      let simulated = byName.get(node.node);
      if (!simulated) {
        simulated = {
          name: node.node,
          address: node.managementIp,
          community: `sim-${node.node}`.slice(0, 64),
          ports: new Map(),
          session: null,
        };
        byName.set(node.node, simulated);
      }
      if (simulated.ports.has(line.port.ifIndex)) continue;
      simulated.ports.set(line.port.ifIndex, {
        ifIndex: line.port.ifIndex,
        name: line.port.port,
        accountNumber: card.account.number,
        mac: line.port.cpeMacOnRecord,
        up: true,
        strangerMac: null,
        inErrors: 0,
        timers: [],
      });
      found++;
    }
    return [...byName.values()];
  }

  private async startSnmpsim(port: number, cacheDir: string): Promise<void> {
    const logFile = path.join(this.root, 'snmpsimd.log');
    const args = [
      `--data-dir=${this.dataDir}`,
      `--cache-dir=${cacheDir}`,
      ...this.switches.map((node) => `--agent-udpv4-endpoint=${node.address}:${port}`),
      `--logging-method=file:${logFile}`,
    ];
    if (process.getuid?.() === 0) args.push('--process-user=nobody', '--process-group=nogroup');
    // A process group of its own, so a Ctrl-C meant for the simulator leaves it answering until
    // stop() has taken the switches off the settings; it goes when the simulator goes, however.
    const snmpsim = spawn('snmpsimd', args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    this.snmpsim = snmpsim;
    process.once('exit', () => {
      if (snmpsim.exitCode === null && snmpsim.signalCode === null) snmpsim.kill();
    });
    let stderr = '';
    this.snmpsim.stderr?.on('data', (chunk) => {
      stderr += String(chunk);
    });
    const readLog = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');
    const deadline = Date.now() + 20_000;
    while (!readLog().includes('Listening at UDP/IPv4 endpoint')) {
      if (this.snmpsim.exitCode !== null || Date.now() > deadline) {
        this.snmpsim.kill();
        throw new Error(`snmpsimd did not start: ${(stderr + readLog()).slice(-400)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** snmpsim serves a v2c request from the file named after its community. */
  private writeData(node: SimulatedSwitch) {
    const ports = [...node.ports.values()].map((port) => ({
      ifIndex: port.ifIndex,
      name: port.name,
      up: port.up,
      macs: [port.strangerMac ?? port.mac].filter((mac): mac is string => mac !== null),
      inErrors: port.inErrors,
    }));
    const file = path.join(this.dataDir, `${node.community}.snmprec`);
    this.dataTime = writeSnmpsimData(file, simulatedSwitch(node.name, ports), this.dataTime);
  }

  private later(simulated: SimulatedPort, simulatedSeconds: number, work: () => void) {
    const timer = setTimeout(() => {
      simulated.timers = simulated.timers.filter((t) => t !== timer);
      if (!this.stopped) work();
    }, this.ms(simulatedSeconds));
    simulated.timers.push(timer);
  }

  private scheduleFlip(node: SimulatedSwitch, simulated: SimulatedPort) {
    const { random } = this.options;
    const mean = (this.options.flipMinutes ?? 20) * 60;
    this.later(simulated, exponential(random, mean), () => {
      if (random.next() < 0.2 && simulated.mac) this.moveMac(node, simulated);
      else this.flip(node, simulated);
    });
  }

  /** The link goes down (the CPE switched off, a cable pulled), then comes back some minutes later. */
  private flip(node: SimulatedSwitch, simulated: SimulatedPort) {
    const { random, say } = this.options;
    simulated.up = false;
    simulated.inErrors += Math.floor(uniform(random, 0, 40));
    this.writeData(node);
    this.sendLinkTrap(node, simulated, 'linkDown');
    this.statistics.flips++;
    say(`SNMP ${node.name} ${simulated.name} (account ${simulated.accountNumber}): link down`);
    this.later(simulated, uniform(random, 60, 300), () => {
      simulated.up = true;
      this.writeData(node);
      this.sendLinkTrap(node, simulated, 'linkUp');
      say(`SNMP ${node.name} ${simulated.name} (account ${simulated.accountNumber}): link up`);
      this.scheduleFlip(node, simulated);
    });
  }

  /** Another MAC instead of the CPE's for a while: the next poll sees it (no trap says it). */
  private moveMac(node: SimulatedSwitch, simulated: SimulatedPort) {
    const { random, say } = this.options;
    const octet = () =>
      Math.floor(uniform(random, 0, 256))
        .toString(16)
        .padStart(2, '0');
    simulated.strangerMac = `02:00:5e:${octet()}:${octet()}:${octet()}`;
    this.writeData(node);
    this.statistics.macMoves++;
    say(
      `SNMP ${node.name} ${simulated.name} (account ${simulated.accountNumber}): ${simulated.strangerMac} instead of the CPE's MAC`,
    );
    this.later(simulated, uniform(random, 300, 900), () => {
      simulated.strangerMac = null;
      this.writeData(node);
      this.scheduleFlip(node, simulated);
    });
  }

  private sendLinkTrap(node: SimulatedSwitch, simulated: SimulatedPort, trap: 'linkDown' | 'linkUp') {
    const i = simulated.ifIndex;
    const varbinds: snmp.Varbind[] = [
      { oid: `${IF_MIB.ifIndex}.${i}`, type: snmp.ObjectType.Integer, value: i },
      { oid: `${IF_MIB.ifAdminStatus}.${i}`, type: snmp.ObjectType.Integer, value: UP },
      { oid: `${IF_MIB.ifOperStatus}.${i}`, type: snmp.ObjectType.Integer, value: trap === 'linkUp' ? UP : DOWN },
    ];
    node.session?.trap(SNMPV2_MIB[trap], varbinds, (error: Error | null) => {
      if (error) this.options.say(`SNMP ${node.name}: the ${trap} trap was not sent (${error.message})`);
      else this.statistics.traps++;
    });
  }
}
