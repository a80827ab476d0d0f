// The access-line step of bench/run.ts (issue 15): SNMP traps and monitoring alerts ingested on PostgreSQL.
//   access-line  linkDown/linkUp traps stored as changes of state per second    ≥ 10,000/s (docs/benchmarks.md, "Budgets")
//                Alertmanager alerts (webhook v4) stored per second              ≥ 10,000/s
//                a trap → the 'access-line' wake-up on an agent's live stream     ≤ 1 s
// accessLineRows() makes a database of its own (a demo of 20,000 subscribers), starts the server
// with its trap receiver on a free loopback port and a monitoring token, lists the bench's
// switches in the SNMP settings through the API, then runs this file as the load process:
//   node --import tsx bench/access-line.ts <workload.json>
// The load process plays the switches: SNMPv2c linkDown/linkUp traps (BER written here, once per
// port and state, before the clock starts) from each switch's own management address, at a fixed
// rate (open loop: a trap is never answered), every trap a change of its port's state; the rate is
// the changes the database holds at the end of the window over its length. Meanwhile it holds an
// agent's live stream and flips a probe switch's port every ~100 ms: the delay is from that trap
// sent to the stream's 'access-line' event naming the switch. Then Alertmanager's webhook, closed
// loop: requests of many alerts each, every alert's status flipping from one request to the next.
// Prints one line "RESULT {json}".
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { freeUdpPort } from '../src/testing/free-udp-port.js';
import { freshContactsDatabase, HttpClient, openLive, settingsKeyForRun } from './contacts-lib.js';
import { type LatencySummary, loadAverage, ms, runBenchChild, sleep, summarise } from './lib.js';
import type { Figures, Row } from './report.js';
import { startServer } from './server.js';

interface BenchSwitch {
  nodeId: number;
  name: string;
  address: string;
  ifIndexes: number[];
}

export interface AccessLineWorkload {
  baseUrl: string;
  databaseUrl: string;
  trapPort: number;
  community: string;
  switches: BenchSwitch[];
  probe: BenchSwitch;
  trapsPerSecond: number;
  warmupSeconds: number;
  durationSeconds: number;
  agentCookie: string;
  monitoringToken: string;
  alertsPerRequest: number;
  alertConnections: number;
}

export interface AccessLineResult {
  seconds: number;
  trapsSent: number;
  trapsSentPerSecond: number;
  changesStored: number;
  changesPerSecond: number;
  /** Traps sent that were not stored as changes once the writes had drained (each port's first is a first reading, not a change). */
  trapsNotStored: number;
  drainMs: number;
  trapToLive: LatencySummary;
  probesLost: number;
  liveEvents: number;
  alertSeconds: number;
  alertsStored: number;
  alertsPerSecond: number;
  alertRequests: number;
  alertRequestLatency: LatencySummary;
  alertFailures: number;
}

// ---------------------------------------------------------------------------------------------
// SNMPv2c traps in BER (RFC 3416 §3, X.690), written once per port and state

function tlv(tag: number, content: Buffer): Buffer {
  const length = content.length;
  const head =
    length < 0x80
      ? Buffer.from([tag, length])
      : length < 0x100
        ? Buffer.from([tag, 0x81, length])
        : Buffer.from([tag, 0x82, length >> 8, length & 0xff]);
  return Buffer.concat([head, content]);
}

function unsigned(tag: number, value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.unshift(rest & 0xff);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  if ((bytes[0] as number) & 0x80) bytes.unshift(0);
  return tlv(tag, Buffer.from(bytes));
}

const integer = (value: number) => unsigned(0x02, value);
const timeTicks = (value: number) => unsigned(0x43, value);

function objectId(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
  const bytes = [40 * first + second];
  for (const part of rest) {
    const groups = [part & 0x7f];
    for (let value = Math.floor(part / 128); value > 0; value = Math.floor(value / 128)) {
      groups.unshift((value & 0x7f) | 0x80);
    }
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
}

const sequence = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const varbind = (oid: string, value: Buffer) => sequence(objectId(oid), value);

const LINK_DOWN = '1.3.6.1.6.3.1.1.5.3';
const LINK_UP = '1.3.6.1.6.3.1.1.5.4';

/** IF-MIB's linkDown or linkUp for one port, as a switch sends it (RFC 2863's OBJECTS). */
export function linkTrap(community: string, requestId: number, ifIndex: number, up: boolean): Buffer {
  const pdu = Buffer.concat([
    integer(requestId),
    integer(0),
    integer(0),
    sequence(
      varbind('1.3.6.1.2.1.1.3.0', timeTicks(8_640_000)),
      varbind('1.3.6.1.6.3.1.1.4.1.0', objectId(up ? LINK_UP : LINK_DOWN)),
      varbind(`1.3.6.1.2.1.2.2.1.1.${ifIndex}`, integer(ifIndex)),
      varbind(`1.3.6.1.2.1.2.2.1.7.${ifIndex}`, integer(1)),
      varbind(`1.3.6.1.2.1.2.2.1.8.${ifIndex}`, integer(up ? 1 : 2)),
    ),
  ]);
  // SNMPv2-Trap-PDU is [7] IMPLICIT; version 1 means v2c.
  return sequence(integer(1), tlv(0x04, Buffer.from(community)), tlv(0xa7, pdu));
}

// ---------------------------------------------------------------------------------------------
// The load process

async function changesStored(client: pg.Client, nodeIds: number[]): Promise<number> {
  const found = await client.query<{ n: number }>(
    'select count(*)::int as n from access_line_changes where node_id = any($1::int[])',
    [nodeIds],
  );
  return found.rows[0]?.n ?? 0;
}

async function main() {
  const workload = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as AccessLineWorkload;
  const db = new pg.Client({ connectionString: workload.databaseUrl });
  await db.connect();
  const nodeIds = workload.switches.map((node) => node.nodeId);

  interface Port {
    up: boolean;
    down: Buffer;
    back: Buffer;
  }
  const senders: { socket: dgram.Socket; ports: Port[] }[] = [];
  let requestId = 1;
  for (const node of workload.switches) {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, node.address, resolve));
    socket.setSendBufferSize(4 * 1024 * 1024);
    senders.push({
      socket,
      // Up to begin with (as after the first poll): the first trap of each takes it down.
      ports: node.ifIndexes.map((ifIndex) => ({
        up: true,
        down: linkTrap(workload.community, requestId++, ifIndex, false),
        back: linkTrap(workload.community, requestId++, ifIndex, true),
      })),
    });
  }

  let sending = true;
  let measuring = false;
  let sent = 0;
  let measuredSent = 0;
  let cursor = 0;
  const ports = senders.flatMap((sender) => sender.ports.map((port) => ({ sender, port })));
  // Open loop: every few ms the traps due since the last tick (timers fire late under load, so by
  // the clock, not by the tick), round-robin over every switch's ports.
  let owed = 0;
  let lastTick = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    owed += ((now - lastTick) * workload.trapsPerSecond) / 1000;
    lastTick = now;
    if (!sending) return;
    while (owed >= 1) {
      owed--;
      const { sender, port } = ports[cursor]!;
      cursor = (cursor + 1) % ports.length;
      port.up = !port.up;
      sender.socket.send(port.up ? port.back : port.down, workload.trapPort, '127.0.0.1');
      sent++;
      if (measuring) measuredSent++;
    }
  }, 5);

  // The agent's screen, and a probe switch flipped every ~100 ms.
  const client = new HttpClient(workload.baseUrl, 4);
  const live = await openLive(workload.baseUrl, workload.agentCookie);
  const probeSocket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => probeSocket.bind(0, workload.probe.address, resolve));
  const probeIfIndex = workload.probe.ifIndexes[0]!;
  const trapToLive: number[] = [];
  let probesLost = 0;
  let probeUp = true;
  let probing = true;
  const probes = (async () => {
    while (probing) {
      probeUp = !probeUp;
      const from = live.events.length;
      const sentAt = performance.now();
      probeSocket.send(linkTrap(workload.community, 1, probeIfIndex, probeUp), workload.trapPort, '127.0.0.1');
      try {
        const { event } = await live.next(
          from,
          (event) =>
            event.event === 'access-line' && (event.data as { nodeId?: number }).nodeId === workload.probe.nodeId,
          5000,
        );
        if (measuring) trapToLive.push(event.at - sentAt);
      } catch {
        if (measuring) probesLost++;
      }
      await sleep(100);
    }
  })();

  await sleep(workload.warmupSeconds * 1000);
  const before = await changesStored(db, nodeIds);
  measuring = true;
  const started = performance.now();
  await sleep(workload.durationSeconds * 1000);
  const after = await changesStored(db, nodeIds);
  const seconds = (performance.now() - started) / 1000;
  measuring = false;
  sending = false;
  const sentInWindow = measuredSent;
  clearInterval(ticker);
  probing = false;
  await probes;
  // What was still on its way when the window closed.
  const drainStarted = performance.now();
  let drained = await changesStored(db, nodeIds);
  for (let last = -1; drained !== last && performance.now() - drainStarted < 15_000; ) {
    last = drained;
    await sleep(500);
    drained = await changesStored(db, nodeIds);
  }
  const drainMs = performance.now() - drainStarted;
  const liveEvents = live.events.length;
  for (const sender of senders) sender.socket.close();
  probeSocket.close();

  // Alertmanager: each request a group of alerts on the bench's switches, each alert's status the
  // opposite of its last one, so every alert in every request is a change.
  const groups = Array.from({ length: workload.alertConnections * 4 }, (_, group) =>
    Array.from({ length: workload.alertsPerRequest }, (_, i) => {
      const node = workload.switches[(group * workload.alertsPerRequest + i) % workload.switches.length]!;
      return {
        labels: { alertname: `BenchAlert${group}-${i}`, instance: `${node.address}:9116`, severity: 'warning' },
        fingerprint: `${group.toString(16).padStart(4, '0')}${i.toString(16).padStart(12, '0')}`,
        firing: false,
      };
    }),
  );
  const startsAt = new Date(Date.now() - 60_000).toISOString();
  const alertLatencies: number[] = [];
  let alertRequests = 0;
  let alertsSent = 0;
  let alertFailures = 0;
  let alerting = true;
  const alertBody = (group: (typeof groups)[number]) => {
    for (const alert of group) alert.firing = !alert.firing;
    const now = new Date().toISOString();
    return JSON.stringify({
      version: '4',
      groupKey: `{}:{bench="${group[0]?.labels.alertname}"}`,
      truncatedAlerts: 0,
      status: group[0]?.firing ? 'firing' : 'resolved',
      receiver: 'linedesk',
      groupLabels: {},
      commonLabels: {},
      commonAnnotations: {},
      externalURL: 'http://alertmanager.bench.invalid:9093',
      alerts: group.map((alert) => ({
        status: alert.firing ? 'firing' : 'resolved',
        labels: alert.labels,
        annotations: { summary: 'bench' },
        startsAt,
        endsAt: alert.firing ? '0001-01-01T00:00:00Z' : now,
        generatorURL: 'http://prometheus.bench.invalid:9090/graph',
        fingerprint: alert.fingerprint,
      })),
    });
  };
  let nextGroup = 0;
  const alertLoop = async () => {
    while (alerting) {
      const group = groups[nextGroup++ % groups.length]!;
      const answer = await client.send('POST', '/api/monitoring/alertmanager', {
        body: alertBody(group),
        headers: { authorization: `Bearer ${workload.monitoringToken}` },
      });
      if (answer.status === 200) {
        alertRequests++;
        alertsSent += group.length;
        alertLatencies.push(answer.ms);
      } else {
        alertFailures++;
        if (alertFailures === 1) console.error(`alertmanager webhook: ${answer.status} ${answer.text.slice(0, 300)}`);
      }
    }
  };
  // A first round for warm-up (every alert stored once), then the measured one.
  const alertWarmup = Array.from({ length: workload.alertConnections }, alertLoop);
  await sleep(Math.min(workload.warmupSeconds, 3) * 1000);
  alerting = false;
  await Promise.all(alertWarmup);
  alertRequests = 0;
  alertsSent = 0;
  alertLatencies.length = 0;
  alerting = true;
  const alertStarted = performance.now();
  const alertRun = Array.from({ length: workload.alertConnections }, alertLoop);
  await sleep(workload.durationSeconds * 1000);
  alerting = false;
  await Promise.all(alertRun);
  const alertSeconds = (performance.now() - alertStarted) / 1000;
  live.close();
  client.close();
  await db.end();

  const result: AccessLineResult = {
    seconds,
    trapsSent: sent,
    trapsSentPerSecond: sentInWindow / seconds,
    changesStored: after - before,
    changesPerSecond: (after - before) / seconds,
    // A port's first reading makes its state known without a change to store.
    trapsNotStored: Math.max(0, sent - ports.length - drained),
    drainMs,
    trapToLive: summarise(trapToLive),
    probesLost,
    liveEvents,
    alertSeconds,
    alertsStored: alertsSent,
    alertsPerSecond: alertsSent / alertSeconds,
    alertRequests,
    alertRequestLatency: summarise(alertLatencies),
    alertFailures,
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// The step

export interface AccessLineOptions {
  runId: string;
  warmup: number;
  duration: number;
  work: string;
}

const BUDGET_PER_SECOND = 10_000;
const LIVE_BUDGET_MS = 1000;
const SUBSCRIBERS = 20_000;
const SWITCHES = 100;
const TRAPS_PER_SECOND = 12_000;
const ALERTS_PER_REQUEST = 200;
const ALERT_CONNECTIONS = 4;
const COMMUNITY = `bench-${randomBytes(6).toString('hex')}`;

const accessDatabaseName = () => `${process.env.BENCH_CONTACTS_PREFIX ?? 'linedesk_bench'}_access`;
const p = (summary: LatencySummary) => `${ms(summary.p50)} / ${ms(summary.p95)} / ${ms(summary.p99)}`;
const figures = (summary: LatencySummary, rate?: number): Figures => ({
  p50: summary.p50,
  p95: summary.p95,
  p99: summary.p99,
  rate,
});

/** Access switches on record with their ports, in 127.0.0.0/8 as every demo node is. */
async function benchSwitches(url: string, count: number): Promise<BenchSwitch[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const found = await client.query<{ id: number; name: string; management_ip: string; if_indexes: number[] }>(
      `select n.id, n.name, n.management_ip, array_agg(p.if_index order by p.if_index) as if_indexes
       from network_nodes n join network_ports p on p.node_id = n.id
       where n.kind = 'access_switch' and n.management_ip like '127.%'
       group by n.id order by n.id limit $1`,
      [count],
    );
    return found.rows.map((row) => ({
      nodeId: Number(row.id),
      name: row.name,
      address: row.management_ip,
      ifIndexes: row.if_indexes.map(Number),
    }));
  } finally {
    await client.end();
  }
}

async function trapCounters(baseUrl: string, token: string): Promise<string> {
  const response = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  const lines = text
    .split('\n')
    .filter(
      (line) => line.startsWith('linedesk_snmp_traps_total{') || line.startsWith('linedesk_snmp_traps_dropped_total{'),
    );
  return lines.length === 0 ? 'none' : lines.map((line) => line.replace('linedesk_snmp_', '')).join(', ');
}

export async function accessLineRows(options: AccessLineOptions): Promise<Row[]> {
  console.log('\naccess-line: SNMP traps and monitoring alerts on PostgreSQL');
  const database = await freshContactsDatabase({ postgres: accessDatabaseName() }, SUBSCRIBERS);
  const url = database.url!;
  const all = await benchSwitches(url, SWITCHES + 1);
  const probe = all[0]!;
  const switches = all.slice(1);
  const trapPort = await freeUdpPort();
  const metricsToken = randomBytes(24).toString('hex');
  const monitoringToken = randomBytes(24).toString('hex');
  const server = await startServer({
    ...database.env,
    SETTINGS_KEY: settingsKeyForRun(),
    SNMP_TRAP_LISTEN: `127.0.0.1:${trapPort}`,
    RADIUS_ACCT_PORT: String(await freeUdpPort()),
    RADIUS_ACCT_HOST: '127.0.0.1',
    MONITORING_WEBHOOK_TOKEN: monitoringToken,
    METRICS_TOKEN: metricsToken,
  });
  const rows: Row[] = [];
  try {
    const client = new HttpClient(server.baseUrl, 4);
    const admin = await client.login('admin');
    // Listed so their traps count; nobody answers their polls, so a poll marks them unreachable
    // once (a change of its own, not counted: the count is of the ports' changes).
    for (const node of all) {
      await client.json('PUT', `/api/settings/snmp/nodes/${node.name}`, {
        cookie: admin,
        body: { version: 'v2c', community: COMMUNITY, intervalSeconds: 86_400 },
      });
    }
    const agentCookie = await client.login('l2');
    client.close();
    // The trap receiver re-reads who may send at most every few seconds.
    await sleep(3000);
    const workload: AccessLineWorkload = {
      baseUrl: server.baseUrl,
      databaseUrl: url,
      trapPort,
      community: COMMUNITY,
      switches,
      probe,
      trapsPerSecond: TRAPS_PER_SECOND,
      warmupSeconds: Math.max(options.warmup, 3),
      durationSeconds: options.duration,
      agentCookie,
      monitoringToken,
      alertsPerRequest: ALERTS_PER_REQUEST,
      alertConnections: ALERT_CONNECTIONS,
    };
    const load = loadAverage().join(' ');
    const ports = switches.reduce((sum, node) => sum + node.ifIndexes.length, 0);
    console.log(
      `  ${TRAPS_PER_SECOND.toLocaleString('en')} traps/s offered from ${switches.length} switches (${ports} ports); load average ${load}`,
    );
    const file = path.join(options.work, 'access-line.json');
    fs.writeFileSync(file, JSON.stringify(workload));
    const result = await runBenchChild<AccessLineResult>('access-line.ts', [file]);
    const counters = await trapCounters(server.baseUrl, metricsToken);
    console.log(
      `    ${result.changesPerSecond.toFixed(0)} changes stored/s (traps sent ${result.trapsSentPerSecond.toFixed(0)}/s), ${result.trapsNotStored} traps not stored after ${(result.drainMs / 1000).toFixed(1)} s of drain; ` +
        `trap → live ${p(result.trapToLive)} ms (${result.trapToLive.count} probes, lost ${result.probesLost}); ${result.liveEvents} live events; counters ${counters}`,
    );
    console.log(
      `    ${result.alertsPerSecond.toFixed(0)} alerts stored/s in ${result.alertRequests} requests of ${ALERTS_PER_REQUEST}, request p50/p95/p99 ${p(result.alertRequestLatency)} ms; failures ${result.alertFailures}`,
    );
    const where = `PostgreSQL 15, ${SUBSCRIBERS.toLocaleString('en')}`;
    rows.push({
      id: 'access-line.traps',
      what: 'SNMP linkDown/linkUp traps over loopback UDP stored as changes of state',
      where,
      budget: `≥ ${BUDGET_PER_SECOND.toLocaleString('en')} events/s`,
      verdict: result.changesPerSecond >= BUDGET_PER_SECOND && result.trapsNotStored === 0 ? 'within' : 'OVER',
      figure: `${Math.round(result.changesPerSecond).toLocaleString('en')} changes/s`,
      note:
        `load average ${load} at its start; rate column: port changes stored per second (access_line_changes) while ${TRAPS_PER_SECOND.toLocaleString('en')} traps/s were offered (sent ${result.trapsSentPerSecond.toFixed(0)}/s, open loop: traps are not answered). ` +
        `${switches.length} access switches of the demo (${ports} ports), each sending SNMPv2c linkDown/linkUp from its own management address, every trap the opposite of its port's last; ` +
        `traps sent in all ${result.trapsSent}, not stored once the writes had drained (${(result.drainMs / 1000).toFixed(1)} s) ${result.trapsNotStored}; receiver counters ${counters}.`,
      run: options.runId,
    });
    rows.push({
      id: 'access-line.live',
      what: "SNMP: a linkDown/linkUp trap → the agent's live 'access-line' event, under that load",
      where,
      budget: `≤ ${LIVE_BUDGET_MS.toLocaleString('en')} ms`,
      verdict:
        result.trapToLive.count > 0 && result.trapToLive.p99 <= LIVE_BUDGET_MS && result.probesLost === 0
          ? 'within'
          : 'OVER',
      api: figures(result.trapToLive),
      note:
        `${result.trapToLive.count} probes in the measured window, one every ~100 ms: a trap flipping a port of a switch the load does not use, ` +
        `timed from the datagram sent to the block of l2's GET /api/live holding 'access-line' with that switch; probes lost ${result.probesLost}; ${result.liveEvents} live events reached the stream.`,
      run: options.runId,
    });
    rows.push({
      id: 'access-line.alerts',
      what: `Alertmanager webhook (v4), ${ALERTS_PER_REQUEST} alerts a request, stored`,
      where,
      budget: `≥ ${BUDGET_PER_SECOND.toLocaleString('en')} events/s`,
      verdict: result.alertsPerSecond >= BUDGET_PER_SECOND && result.alertFailures === 0 ? 'within' : 'OVER',
      api: figures(result.alertRequestLatency, result.alertsPerSecond),
      note:
        `rate column: alerts answered 200 per second (each a change: its status the opposite of its last), ${ALERT_CONNECTIONS} connections, closed loop; ` +
        `latency: per request of ${ALERTS_PER_REQUEST}; ${result.alertRequests} requests in ${result.alertSeconds.toFixed(1)} s, failures ${result.alertFailures}.`,
      run: options.runId,
    });
  } finally {
    await server.stop();
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
