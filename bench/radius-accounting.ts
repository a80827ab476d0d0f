// The radius step of bench/run.ts (issue 14): RADIUS accounting ingested on PostgreSQL.
//   radius   Accounting-Requests answered per second            ≥ 10,000/s (docs/benchmarks.md, "Budgets")
//            a Stop → the 'session' wake-up on an agent's live stream   ≤ 1 s
// radiusRows() makes a database of its own (a demo of 20,000 subscribers), starts the server with
// its RADIUS listener on a free loopback port, lists the bench's NASes through the settings API,
// then runs this file as the load process:
//   node --import tsx bench/radius-accounting.ts <workload.json>
// The load process plays NASes: real RADIUS packets (codec.ts, signed with each NAS's secret) over
// loopback UDP from several sockets, each NAS on an address of its own (127.0.0.x); thousands of
// subscribers' sessions, each a Start (User-Name: the subscriber's PPPoE login, Framed-IP), Interims
// with growing counters, a Stop with a cause, then a new session. A session has at most one record
// on the way, as a NAS sends them; the sockets keep a window of records on the way (closed loop),
// so the rate is what the server answers. Meanwhile it holds an agent's live stream as the browser
// does and, every so often, stops a probe subscriber's session: the delay is from that Stop sent
// to the stream's 'session' event naming the subscriber. Prints one line "RESULT {json}".
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import {
  type AttributeToSend,
  accountingRequest,
  responseAuthenticatorHolds,
} from '../src/integrations/radius/codec.js';
import { freeUdpPort } from '../src/testing/free-udp-port.js';
import { freshContactsDatabase, HttpClient, openLive, settingsKeyForRun } from './contacts-lib.js';
import { type LatencySummary, loadAverage, ms, runBenchChild, summarise } from './lib.js';
import type { Figures, Row } from './report.js';
import { startServer } from './server.js';

export interface RadiusWorkload {
  baseUrl: string;
  port: number;
  /** Each NAS: its address (the sockets bind to it) and secret. */
  nases: { address: string; secret: string }[];
  socketsPerNas: number;
  /** Records on the way per socket. */
  window: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** PPPoE logins of the load's subscribers, and of the probes' (with their subscriber ids). */
  logins: string[];
  probes: { login: string; subscriberId: number }[];
  /** Interims between a session's Start and its Stop. */
  interims: number;
  probeEveryMs: number;
  tag: string;
  /** The agent whose live stream is watched. */
  agentCookie: string;
}

export interface RadiusResult {
  seconds: number;
  /** Answered in the measured window. */
  answered: number;
  answeredPerSecond: number;
  sentPerSecond: number;
  latency: LatencySummary;
  /** Not answered within the timeout (all phases). */
  unanswered: number;
  /** Answered with an authenticator that does not hold. */
  badAnswers: number;
  sent: number;
  byStatus: Record<string, number>;
  stopToLive: LatencySummary;
  probesLost: number;
  liveEvents: number;
  sessionsStarted: number;
  sessionsStopped: number;
}

const ANSWER_TIMEOUT_MS = 5000;

const STATUS = { start: 1, stop: 2, interim: 3 } as const;

interface Session {
  login: string;
  index: number;
  life: number;
  /** 0: Start; 1..interims: Interim; interims + 1: Stop. */
  step: number;
  busy: boolean;
}

async function main() {
  const workload = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as RadiusWorkload;
  // Simulated time from ten minutes ago: each record of a session a minute after its previous one,
  // so none is judged late (a session's later records are ahead of the clock: none goes stale).
  const base = Math.floor(Date.now() / 1000) - 600;
  const eventTime = (index: number, life: number, step: number) =>
    new Date((base + (index % 60) + (life * (workload.interims + 3) + step) * 60) * 1000);

  const sockets: { socket: dgram.Socket; secret: Buffer }[] = [];
  for (const nas of workload.nases) {
    for (let i = 0; i < workload.socketsPerNas; i++) {
      const socket = dgram.createSocket('udp4');
      await new Promise<void>((resolve) => socket.bind(0, nas.address, resolve));
      socket.setRecvBufferSize(4 * 1024 * 1024);
      socket.setSendBufferSize(4 * 1024 * 1024);
      sockets.push({ socket, secret: Buffer.from(nas.secret) });
    }
  }

  let measuring = false;
  let stopping = false;
  let sent = 0;
  let measuredAnswered = 0;
  let measuredSent = 0;
  let unanswered = 0;
  let badAnswers = 0;
  let sessionsStarted = 0;
  let sessionsStopped = 0;
  const latencies: number[] = [];
  const byStatus: Record<string, number> = {};

  const attributesOf = (session: Session, status: keyof typeof STATUS): AttributeToSend[] => {
    const id = `${workload.tag}-${session.index}-${session.life}`;
    const attributes: AttributeToSend[] = [
      ['Acct-Status-Type', STATUS[status]],
      ['Acct-Session-Id', id],
      ['User-Name', session.login],
      ['Event-Timestamp', eventTime(session.index, session.life, session.step)],
      ['Acct-Delay-Time', 0],
      ['NAS-Port', session.index],
    ];
    if (status !== 'start') {
      attributes.push(
        ['Acct-Session-Time', session.step * 60],
        ['Acct-Input-Octets', session.step * 1_000_000],
        ['Acct-Output-Octets', session.step * 9_000_000],
      );
    }
    if (status === 'start' || status === 'interim') {
      attributes.push(['Framed-IP-Address', `100.64.${(session.index >> 8) & 255}.${session.index & 255}`]);
    }
    if (status === 'stop') attributes.push(['Acct-Terminate-Cause', 1 + (session.life % 4)]);
    return attributes;
  };

  // Each socket: Identifiers 0-255, at most `window` on the way. The load process plays NASes that
  // would be other machines; it shares the server's two cores, so it spends as little as it can per
  // record: no timer per record (one sweep finds the unanswered), no decoding of its own requests.
  const socketLoop = (slot: { socket: dgram.Socket; secret: Buffer }, sessions: Session[]) =>
    new Promise<void>((done) => {
      const waiting = new Map<
        number,
        { sentAt: number; requestAuthenticator: Buffer; session: Session; counted: boolean }
      >();
      let nextId = 0;
      let cursor = 0;
      const finish = () => {
        if (stopping && waiting.size === 0) {
          clearInterval(sweep);
          done();
        }
      };
      const sweep = setInterval(() => {
        const now = performance.now();
        for (const [id, entry] of waiting) {
          if (now - entry.sentAt < ANSWER_TIMEOUT_MS) continue;
          waiting.delete(id);
          unanswered++;
          entry.session.busy = false;
          sendNext();
        }
        finish();
      }, 250);
      const sendNext = () => {
        if (stopping) return finish();
        // The next session with nothing on the way.
        let session: Session | undefined;
        for (let tries = 0; tries < sessions.length; tries++) {
          const candidate = sessions[cursor]!;
          cursor = (cursor + 1) % sessions.length;
          if (!candidate.busy) {
            session = candidate;
            break;
          }
        }
        if (!session) return;
        let id = nextId;
        while (waiting.has(id)) id = (id + 1) % 256;
        nextId = (id + 1) % 256;
        const status = session.step === 0 ? 'start' : session.step > workload.interims ? 'stop' : 'interim';
        const datagram = accountingRequest(id, attributesOf(session, status), slot.secret);
        session.busy = true;
        waiting.set(id, {
          sentAt: performance.now(),
          requestAuthenticator: datagram.subarray(4, 20),
          session,
          counted: measuring,
        });
        sent++;
        if (measuring) measuredSent++;
        byStatus[status] = (byStatus[status] ?? 0) + 1;
        slot.socket.send(datagram, workload.port, '127.0.0.1');
      };
      slot.socket.on('message', (answer) => {
        const id = answer[1] as number;
        const entry = waiting.get(id);
        if (!entry) return;
        waiting.delete(id);
        if (!responseAuthenticatorHolds(answer, { authenticator: entry.requestAuthenticator }, slot.secret))
          badAnswers++;
        if (measuring && entry.counted) {
          measuredAnswered++;
          latencies.push(performance.now() - entry.sentAt);
        }
        const session = entry.session;
        if (session.step === 0) sessionsStarted++;
        if (session.step > workload.interims) {
          sessionsStopped++;
          session.life++;
          session.step = 0;
        } else {
          session.step++;
        }
        session.busy = false;
        sendNext();
      });
      for (let i = 0; i < workload.window; i++) sendNext();
    });

  // The load's subscribers, shared out among the sockets (each session always from one NAS).
  const perSocket = sockets.map(() => [] as Session[]);
  workload.logins.forEach((login, index) => {
    perSocket[index % sockets.length]!.push({ login, index, life: 0, step: 0, busy: false });
  });

  // The agent's screen: the live stream as the web app reads it.
  const live = await openLive(workload.baseUrl, workload.agentCookie);
  const probeSocket = sockets[0]!;
  const stopToLive: number[] = [];
  let probesLost = 0;
  const probe = async (probeIndex: number, life: number) => {
    const target = workload.probes[probeIndex % workload.probes.length]!;
    const session: Session = { login: target.login, index: 1_000_000 + probeIndex, life, step: 0, busy: true };
    const send = async (status: 'start' | 'stop') => {
      const socket = dgram.createSocket('udp4');
      await new Promise<void>((resolve) => socket.bind(0, workload.nases[0]!.address, resolve));
      const datagram = accountingRequest(1, attributesOf(session, status), probeSocket.secret);
      const answered = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), ANSWER_TIMEOUT_MS);
        socket.once('message', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      const from = live.events.length;
      const sentAt = performance.now();
      socket.send(datagram, workload.port, '127.0.0.1');
      const ok = await answered;
      socket.close();
      return { ok, from, sentAt };
    };
    const started = await send('start');
    if (!started.ok) return void probesLost++;
    // The Start's own wake-up first, so it is not taken for the Stop's.
    try {
      await live.next(
        started.from,
        (event) =>
          event.event === 'session' && (event.data as { subscriberId?: number }).subscriberId === target.subscriberId,
        5000,
      );
    } catch {
      return void probesLost++;
    }
    session.step = workload.interims + 1;
    const stopped = await send('stop');
    try {
      const { event } = await live.next(
        stopped.from,
        (event) =>
          event.event === 'session' && (event.data as { subscriberId?: number }).subscriberId === target.subscriberId,
        5000,
      );
      if (measuring) stopToLive.push(event.at - stopped.sentAt);
    } catch {
      probesLost++;
    }
  };

  const running = perSocket.map((sessions, i) => socketLoop(sockets[i]!, sessions));
  let probeCount = 0;
  let probing = true;
  const probes = (async () => {
    while (probing) {
      await probe(probeCount, probeCount);
      probeCount++;
      await new Promise((resolve) => setTimeout(resolve, workload.probeEveryMs));
    }
  })();

  await new Promise((resolve) => setTimeout(resolve, workload.warmupSeconds * 1000));
  measuring = true;
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, workload.durationSeconds * 1000));
  measuring = false;
  const seconds = (performance.now() - started) / 1000;
  probing = false;
  stopping = true;
  await Promise.all([...running, probes]);
  live.close();
  for (const { socket } of sockets) socket.close();

  const result: RadiusResult = {
    seconds,
    answered: measuredAnswered,
    answeredPerSecond: measuredAnswered / seconds,
    sentPerSecond: measuredSent / seconds,
    latency: summarise(latencies),
    unanswered,
    badAnswers,
    sent,
    byStatus,
    stopToLive: summarise(stopToLive),
    probesLost,
    liveEvents: live.events.length,
    sessionsStarted,
    sessionsStopped,
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
}

// ---------------------------------------------------------------------------------------------
// The step, in bench/run.ts's process.

export interface RadiusOptions {
  runId: string;
  warmup: number;
  duration: number;
  work: string;
}

const BUDGET_PER_SECOND = 10_000;
/** Records on the way from which a run is judged against the budget (a fleet of BRASes' worth). */
const JUDGED_ON_THE_WAY = 1024;
const LIVE_BUDGET_MS = 1000;
const SUBSCRIBERS = 20_000;
const NASES = 4;
const SOCKETS_PER_NAS = 2;
const INTERIMS = 8;
const PROBES = 200;

const radiusDatabaseName = () => `${process.env.BENCH_CONTACTS_PREFIX ?? 'linedesk_bench'}_radius`;
const p = (summary: LatencySummary) => `${ms(summary.p50)} / ${ms(summary.p95)} / ${ms(summary.p99)}`;
const figures = (summary: LatencySummary, rate?: number): Figures => ({
  p50: summary.p50,
  p95: summary.p95,
  p99: summary.p99,
  rate,
});

async function pppoeLogins(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const found = await client.query<{ login: string; subscriber_id: number }>(
      `select sc.pppoe_login as login, a.subscriber_id from service_connections sc join accounts a on a.id = sc.account_id
       where sc.pppoe_login is not null order by md5(sc.pppoe_login)`,
    );
    return found.rows.map((row) => ({ login: row.login, subscriberId: Number(row.subscriber_id) }));
  } finally {
    await client.end();
  }
}

interface DatabaseCheck {
  sessions: number;
  doubled: number;
  matched: number;
  open: number;
  closed: number;
  changes: number;
}

async function check(url: string, tag: string): Promise<DatabaseCheck> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const found = await client.query<DatabaseCheck>(
      `with s as (select * from nas_sessions where acct_session_id like $1)
       select (select count(*)::int from s) as sessions,
         (select count(*)::int from s where generation > 1) as doubled,
         (select count(*)::int from s where account_id is not null) as matched,
         (select count(*)::int from s where state = 'open') as open,
         (select count(*)::int from s where state = 'closed') as closed,
         (select count(*)::int from nas_session_changes where session_id in (select id from s)) as changes`,
      [`${tag}-%`],
    );
    return found.rows[0]!;
  } finally {
    await client.end();
  }
}

/** The listener's drop counters, from /metrics. */
async function drops(baseUrl: string, token: string): Promise<string> {
  const response = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  const lines = text.split('\n').filter((line) => line.startsWith('linedesk_radius_dropped_total{'));
  return lines.length === 0
    ? 'none'
    : lines.map((line) => line.replace('linedesk_radius_dropped_total', '')).join(', ');
}

export async function radiusRows(options: RadiusOptions & { window?: number }): Promise<Row[]> {
  console.log('\nradius: RADIUS accounting over loopback UDP on PostgreSQL');
  const database = await freshContactsDatabase({ postgres: radiusDatabaseName() }, SUBSCRIBERS);
  const url = database.url!;
  const subscribers = await pppoeLogins(url);
  const probes = subscribers.slice(0, PROBES);
  const logins = subscribers.slice(PROBES).map((s) => s.login);
  const port = await freeUdpPort();
  const metricsToken = randomBytes(24).toString('hex');
  const server = await startServer({
    ...database.env,
    SETTINGS_KEY: settingsKeyForRun(),
    RADIUS_ACCT_PORT: String(port),
    RADIUS_ACCT_HOST: '127.0.0.1',
    METRICS_TOKEN: metricsToken,
  });
  const rows: Row[] = [];
  try {
    const client = new HttpClient(server.baseUrl, 2);
    const admin = await client.login('admin');
    const nases = Array.from({ length: NASES }, (_, i) => ({
      name: `bench-bras-${i + 1}`,
      address: `127.0.0.${21 + i}`,
      secret: randomBytes(16).toString('hex'),
    }));
    for (const nas of nases) {
      await client.json('PUT', `/api/settings/nas/${nas.name}`, {
        cookie: admin,
        body: { address: nas.address, vendor: 'mikrotik', interimIntervalSeconds: 300, secret: nas.secret },
      });
    }
    const agentCookie = await client.login('l2');
    client.close();
    // Each instance re-reads the NAS list at most once a second.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    for (const window of options.window ? [options.window] : [32, 128]) {
      const tag = `${options.runId.replace(/\W+/g, '')}-w${window}`;
      const workload: RadiusWorkload = {
        baseUrl: server.baseUrl,
        port,
        nases,
        socketsPerNas: SOCKETS_PER_NAS,
        window,
        // Long enough for every session's Start to go out before the measured window.
        warmupSeconds: Math.max(options.warmup, 5),
        durationSeconds: options.duration,
        logins,
        probes,
        interims: INTERIMS,
        probeEveryMs: 100,
        tag,
        agentCookie,
      };
      const load = loadAverage().join(' ');
      const onTheWay = window * NASES * SOCKETS_PER_NAS;
      console.log(
        `  ${onTheWay} records on the way (${NASES} NASes × ${SOCKETS_PER_NAS} sockets × ${window}; load average ${load})`,
      );
      const file = path.join(options.work, `radius-w${window}.json`);
      fs.writeFileSync(file, JSON.stringify(workload));
      const result = await runBenchChild<RadiusResult>('radius-accounting.ts', [file]);
      const db = await check(url, tag);
      const dropped = await drops(server.baseUrl, metricsToken);
      console.log(
        `    ${result.answeredPerSecond.toFixed(0)} answered/s (sent ${result.sentPerSecond.toFixed(0)}/s), answer p50/p95/p99 ${p(result.latency)} ms; ` +
          `unanswered ${result.unanswered}; Stop → live ${p(result.stopToLive)} ms (${result.stopToLive.count} probes, lost ${result.probesLost}); db ${JSON.stringify(db)}; dropped ${dropped}`,
      );
      const whole = result.unanswered === 0 && result.badAnswers === 0 && db.doubled === 0;
      const judged = onTheWay >= JUDGED_ON_THE_WAY;
      rows.push({
        id: `radius.ingest.w${window}`,
        what: `RADIUS accounting, Accounting-Requests over loopback UDP answered, ${onTheWay} on the way`,
        where: `PostgreSQL 15, ${SUBSCRIBERS.toLocaleString('en')}`,
        // A closed loop answers at most (records on the way) / (answer time): 256 on the way at
        // ~30 ms is ~8,500/s whatever the server could take, so that row shows the answer time at a
        // lighter load and the 1,024 one is judged against the budget.
        budget: judged ? `≥ ${BUDGET_PER_SECOND.toLocaleString('en')} records/s` : 'answer time at a lighter load',
        verdict: !judged ? '' : result.answeredPerSecond >= BUDGET_PER_SECOND && whole ? 'within' : 'OVER',
        api: figures(result.latency, result.answeredPerSecond),
        note:
          `load average ${load} at its start; rate column: records answered per second (sent ${result.sentPerSecond.toFixed(0)}/s); latency: from the datagram sent to its Accounting-Response. ` +
          `${NASES} NASes (127.0.0.21-24) × ${SOCKETS_PER_NAS} sockets, ${window} records on the way per socket, at most one per session; ` +
          `${logins.length.toLocaleString('en')} subscribers' sessions, each Start (User-Name, Framed-IP), ${INTERIMS} Interims, Stop, then a new session. ` +
          `Sent in all ${result.sent} (${Object.entries(result.byStatus)
            .map(([status, count]) => `${status} ${count}`)
            .join(
              ', ',
            )}); unanswered within ${ANSWER_TIMEOUT_MS / 1000} s ${result.unanswered}; bad answers ${result.badAnswers}; ` +
          `dropped by the listener (/metrics) ${dropped}. Afterwards: ${db.sessions} sessions (${db.open} open, ${db.closed} closed), ${db.matched} matched to their subscriber, ` +
          `a second generation of any ${db.doubled}, ${db.changes} timeline lines; ${result.liveEvents} live events reached the agent's stream.`,
        run: options.runId,
      });
      rows.push({
        id: `radius.live.w${window}`,
        what: `RADIUS accounting: a Stop → the agent's live 'session' event, under that load (${onTheWay} on the way)`,
        where: `PostgreSQL 15, ${SUBSCRIBERS.toLocaleString('en')}`,
        budget: `≤ ${LIVE_BUDGET_MS.toLocaleString('en')} ms`,
        verdict:
          result.stopToLive.count > 0 && result.stopToLive.p99 <= LIVE_BUDGET_MS && result.probesLost === 0
            ? 'within'
            : 'OVER',
        api: figures(result.stopToLive),
        note:
          `${result.stopToLive.count} probes in the measured window, one every ~100 ms: a Start then a Stop of a subscriber the load does not use, ` +
          `timed from the Stop's datagram sent to the block of l2's GET /api/live (read as EventSource reads it) holding 'session' with that subscriber; probes lost ${result.probesLost}.`,
        run: options.runId,
      });
    }
  } finally {
    await server.stop();
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
