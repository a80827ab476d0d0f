// The contacts steps of bench/run.ts (issue 12), each on a database of its own made afresh:
//   queue     pairs offered by routeLine, 500 agents, 2,000 waiting, two instances      p99 ≤ 50 ms; never one contact to two agents
//   cti       telephony events through POST /api/integrations/pbx/events, signed         ≥ 1,000 events/s
//   card-pop  the PBX's 'offered' → the agent's live 'desk' event → the desk → the card  ≤ 300 ms (PostgreSQL and PGlite)
// The work is done by processes of their own (contacts-queue.ts, contacts-cti.ts,
// contacts-card-pop.ts); this file makes the databases, starts the server and turns their RESULT
// lines into the rows of docs/benchmarks.md.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { CardPopResult, CardPopWorkload } from './contacts-card-pop.js';
import type { CtiResult, CtiWorkload } from './contacts-cti.js';
import {
  addBenchAgents,
  CARD_POP_PGLITE_DIR,
  type ContactsDatabase,
  configureContacts,
  contactsDatabaseName,
  freshContactsDatabase,
  HttpClient,
  NOTIFYING_PUBLISH,
  PUBLISH_LOCK_KEY,
  pbxSecretForRun,
  settingsKeyForRun,
} from './contacts-lib.js';
import type { QueueResult, QueueWorkload } from './contacts-queue.js';
import { type LatencySummary, loadAverage, ms, runBenchChild, summarise } from './lib.js';
import type { Figures, Row } from './report.js';
import { type RunningServer, startServer } from './server.js';

export interface ContactsOptions {
  runId: string;
  warmup: number;
  duration: number;
  /** Where workload files go. */
  work: string;
}

const figures = (summary: LatencySummary, rate?: number): Figures => ({
  p50: summary.p50,
  p95: summary.p95,
  p99: summary.p99,
  rate,
});

const p = (summary: LatencySummary) => `${ms(summary.p50)} / ${ms(summary.p95)} / ${ms(summary.p99)}`;

// ---------------------------------------------------------------------------------------------
// queue

export const QUEUE_AGENTS = 500;
export const QUEUE_WAITING = 2000;
const QUEUE_BUDGET_MS = 50;
const QUEUE_BURST = 50;

async function resetQueue(url: string, firstContactId: number | null): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    if (firstContactId !== null) {
      // The previous mode's contacts (and their timelines) go; the next mode starts from the same state.
      await client.query('delete from contacts where id >= $1', [firstContactId]);
      await client.query(`delete from jobs where kind = 'contacts.offer-lapsed'`);
    }
    await client.query(
      `update agent_states set state = 'offline', calls = 0, chats = 0, since = now()
       where staff_id in (select id from staff where login like 'bench-agent-%')`,
    );
    const inserted = await client.query<{ id: string }>(
      `insert into contacts (channel, line, status, arrived_at, queued_at)
       select 'call', 'l1', 'waiting', now() + n * interval '1 millisecond', now() + n * interval '1 millisecond'
       from generate_series(1, $1::int) n returning id`,
      [QUEUE_WAITING],
    );
    await client.query('commit');
    await client.query('vacuum analyze contacts, agent_states, contact_events, jobs');
    return Math.min(...inserted.rows.map((row) => Number(row.id)));
  } finally {
    await client.end();
  }
}

export async function queueRows(options: ContactsOptions): Promise<Row[]> {
  console.log(`\nqueue: ${QUEUE_AGENTS} agents, ${QUEUE_WAITING} waiting contacts on PostgreSQL`);
  const database = await freshContactsDatabase({ postgres: contactsDatabaseName('queue') }, 1000);
  const url = database.url!;
  await addBenchAgents(url, QUEUE_AGENTS);
  let first = await resetQueue(url, null);

  const results: Partial<Record<QueueWorkload['mode'], QueueResult & { load: string }>> = {};
  for (const mode of ['route', 'bare'] as const) {
    if (mode === 'bare') first = await resetQueue(url, first);
    const load = loadAverage().join(' ');
    console.log(
      `  ${mode === 'route' ? 'routeLine through setMyState' : 'bare SQL of its transactions'} (load average ${load})`,
    );
    const workload: QueueWorkload = {
      url,
      mode,
      warmupSeconds: options.warmup,
      durationSeconds: options.duration,
      workersPerInstance: 4,
      poolSize: 4,
      burst: QUEUE_BURST,
    };
    const file = path.join(options.work, `queue-${mode}.json`);
    fs.writeFileSync(file, JSON.stringify(workload));
    const result = await runBenchChild<QueueResult>('contacts-queue.ts', [file]);
    for (const phase of ['single', 'alone', 'burst'] as const) {
      const r = result[phase];
      console.log(
        `    ${phase}: pair p50/p95/p99 ${p(r.pairs)} ms, ${r.pairs.count} pairs, ${r.pairs.rate.toFixed(0)}/s; in transaction ${p(r.inTransaction)}${r.desk ? `; setMyState ${p(r.desk)}` : ''}`,
      );
    }
    console.log(`    checks: ${JSON.stringify(result.checks)}`);
    results[mode] = { ...result, load };
  }
  return queueRowsOf(results.route!, results.bare!, database, options.runId);
}

function checksText(result: QueueResult): { ok: boolean; text: string } {
  const c = result.checks;
  const ok = c.contactsOfferedTwice === 0 && c.sharedAgents === 0 && c.overloadedAgents === 0 && c.errors === 0;
  const text =
    `${c.offeredEvents} offers recorded for ${c.pairs} pairs made` +
    `; contacts offered twice: ${c.contactsOfferedTwice}` +
    `; recyclings where the offers outnumbered the agents they went to: ${c.sharedAgents}` +
    `; agents holding two calls: ${c.overloadedAgents}` +
    `; waiting ${c.waitingMin}–${c.waitingMax}` +
    (c.errors ? `; ERRORS ${c.errors}: ${c.firstError}` : '');
  return { ok, text };
}

function queueRowsOf(
  route: QueueResult & { load: string },
  bare: QueueResult & { load: string },
  database: ContactsDatabase,
  runId: string,
): Row[] {
  const where = `PostgreSQL 15, ${QUEUE_AGENTS} agents, ${QUEUE_WAITING.toLocaleString('en')} waiting`;
  const routeChecks = checksText(route);
  const bareChecks = checksText(bare);
  const rows: Row[] = [];
  const phases = [
    ['single', '8 workers on two instances (2 × 4 connections), each freeing one agent at a time'],
    ['alone', 'one worker freeing one agent at a time'],
    ['burst', `bursts of ${QUEUE_BURST} agents freed at once on two instances (2 × 4 connections)`],
  ] as const;
  for (const [phase, how] of phases) {
    const api = route[phase];
    const sql = bare[phase];
    const within = api.pairs.p99 <= QUEUE_BUDGET_MS && routeChecks.ok && api.pairs.count > 0;
    // A burst is a stress case, not the budget's: 50 state transactions at the same instant queue
    // for 8 connections before any routing starts; it must still never offer a contact twice.
    const stress = phase === 'burst';
    const verdict = stress ? routeChecks.ok : within;
    rows.push({
      id: `queue.pair.${phase}`,
      what: `Queue: pairs offered by routeLine (up to 20 a transaction), ${how}`,
      where,
      budget: stress
        ? 'stress, not the budget: never one contact to two agents'
        : `p99 ≤ ${QUEUE_BUDGET_MS} ms; never one contact to two agents`,
      verdict: verdict ? 'within' : 'OVER',
      api: figures(api.pairs, api.pairs.rate),
      sql: figures(sql.pairs, sql.pairs.rate),
      note:
        `load average ${route.load} at its start (bare SQL: ${bare.load}); ${api.pairs.count} pairs in ${api.seconds.toFixed(0)} s (rate column: pairs/s). ` +
        `Each pair timed by its transaction, from routeLine's call of db.transaction to its COMMIT returned (waiting for a pooled connection included); ` +
        `from BEGIN: p50/p95/p99 ${p(api.inTransaction)} ms; passes that found nobody to pair ${api.emptyPasses.count} (p99 ${ms(api.emptyPasses.p99)} ms). ` +
        `From the agent freed to their offer committed, setMyState(available) as PUT /api/desk/state runs it (state transaction, then the line's routing pass that began after it, waiting for one under way): ${p(api.desk!)} ms. ` +
        `Checks: ${routeChecks.text}. ` +
        `SQL: the transaction's statements (9 for up to 20 pairs) between BEGIN and COMMIT, bare with pg in the same loops (two pools of 4, no pass sharing): from BEGIN ${p(sql.inTransaction)} ms; ${bareChecks.text}. ` +
        `Database made for the run (demo of ${database.subscribers.toLocaleString('en')}, ${database.generationSeconds.toFixed(0)} s).`,
      run: runId,
    });
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Both steps over HTTP: a server of the bench's own on a fresh database, l1 open round the clock,
// a PBX secret of the run's.

const CTI_BUDGET = 1000;
const CARD_POP_BUDGET_MS = 300;
/** Subscribers in the cti and card-pop databases: the demo's default size. */
const HTTP_SUBSCRIBERS = 20_000;

async function serverFor(database: ContactsDatabase, routingMode: 'acd' | 'card-pop') {
  const pbxSecret = pbxSecretForRun();
  const server = await startServer({ ...database.env, SETTINGS_KEY: settingsKeyForRun() });
  const client = new HttpClient(server.baseUrl, 2);
  try {
    await configureContacts(client, { routingMode, pbxSecret });
  } catch (error) {
    await server.stop();
    throw error;
  } finally {
    client.close();
  }
  return { server, pbxSecret };
}

async function setRoutingMode(server: RunningServer, pbxSecret: string, routingMode: 'acd' | 'card-pop') {
  const client = new HttpClient(server.baseUrl, 2);
  try {
    await configureContacts(client, { routingMode, pbxSecret });
  } finally {
    client.close();
  }
  // Each instance re-reads its settings at most once a second.
  await new Promise((resolve) => setTimeout(resolve, 1500));
}

/** Phones that name exactly one subscriber: each call's card is that one. */
async function singleOwnerPhones(url: string, limit: number) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const found = await client.query<{ phone: string; subscriber_id: number }>(
      `select phone, min(subscriber_id) as subscriber_id from subscriber_phones
       group by phone having count(distinct subscriber_id) = 1
       order by md5(phone) limit $1`,
      [limit],
    );
    return found.rows.map((row) => ({ phone: row.phone, subscriberId: Number(row.subscriber_id) }));
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// cti

const CTI_AGENTS = 200;

interface CtiCheck {
  calls: number;
  whole: number;
  pbxEvents: number;
  callsNotFive: number;
  timelineTwice: number;
  timelineMissing: number;
}

async function ctiCheck(url: string, tag: string): Promise<CtiCheck> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const found = await client.query<CtiCheck>(
      `with c as (select id, status, recording_url, answered_at from contacts where call_id like $1),
         p as (select call_id, count(*) as n from pbx_events where call_id like $1 group by call_id),
         e as (select contact_id, kind, count(*) as n from contact_events
           where contact_id in (select id from c) and kind in ('queued', 'dtmf', 'answered', 'caller_hung_up', 'recording')
           group by contact_id, kind)
       select (select count(*)::int from c) as calls,
         (select count(*)::int from c where status in ('after_work', 'ended') and recording_url is not null
           and answered_at is not null) as whole,
         (select coalesce(sum(n), 0)::int from p) as "pbxEvents",
         (select count(*)::int from p where n <> 5) as "callsNotFive",
         (select count(*)::int from e where n <> 1) as "timelineTwice",
         (select count(*)::int from (select contact_id from e group by contact_id having count(*) <> 5) x)
           + (select count(*)::int from c where id not in (select contact_id from e)) as "timelineMissing"`,
      [`${tag}-%`],
    );
    return found.rows[0]!;
  } finally {
    await client.end();
  }
}

/**
 * The machine's floor for what every contacts change does: a transaction of one publishLive
 * statement (its advisory lock, a live_events row, a NOTIFY) against one plain INSERT, from
 * `clients` pg clients for `seconds` each. PostgreSQL commits notifying transactions one at a
 * time (the NOTIFY queue's lock is held through the commit, WAL flush included), so the first is
 * a ceiling on events per second however many cores there are.
 */
async function notifyFloor(url: string, clients: number, seconds: number) {
  const measure = async (statement: string, params: unknown[]) => {
    const connected = await Promise.all(
      Array.from({ length: clients }, async () => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        return client;
      }),
    );
    const latencies: number[] = [];
    const until = performance.now() + seconds * 1000;
    const started = performance.now();
    await Promise.all(
      connected.map(async (client) => {
        while (performance.now() < until) {
          const begun = performance.now();
          await client.query('begin');
          await client.query(statement, params);
          await client.query('commit');
          latencies.push(performance.now() - begun);
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    await Promise.all(connected.map((client) => client.end()));
    return { ...summarise(latencies), rate: latencies.length / elapsed };
  };
  const notify = await measure(NOTIFYING_PUBLISH, [
    PUBLISH_LOCK_KEY,
    'bench-floor',
    null,
    null,
    '{}',
    'linedesk_bench_floor',
  ]);
  const plain = await measure(`insert into live_events (topic, data) values ('bench-floor', '{}'::jsonb)`, []);
  // The rows stay (the hour's pruning takes them): deleted, they would leave tens of thousands of
  // ids the server's live hub never sees, and it would look for them as events still committing.
  return { notify, plain };
}

export async function ctiRows(options: ContactsOptions & { connections: number }): Promise<Row[]> {
  console.log(`\ncti: telephony events through the signed webhook on PostgreSQL`);
  const database = await freshContactsDatabase({ postgres: contactsDatabaseName('cti') }, HTTP_SUBSCRIBERS);
  const url = database.url!;
  await addBenchAgents(url, CTI_AGENTS);
  const known = await singleOwnerPhones(url, 800);
  // One caller in five from a number nobody has (identification answers nothing).
  const callers = known.flatMap((caller, index) =>
    index % 4 === 3 ? [caller.phone, `+7999${String(1_000_000 + index).slice(1)}`] : [caller.phone],
  );
  const extensions = Array.from({ length: CTI_AGENTS }, (_, index) => `b${index + 1}`);
  const floorLoad = loadAverage().join(' ');
  const floor = await notifyFloor(url, options.connections, Math.max(5, Math.round(options.duration / 2)));
  console.log(
    `  floor: a publishLive transaction ${p(floor.notify)} ms, ${floor.notify.rate.toFixed(0)}/s; a plain INSERT ${p(floor.plain)} ms, ${floor.plain.rate.toFixed(0)}/s`,
  );
  const rows: Row[] = [
    {
      id: 'cti.floor',
      what: 'Floor: a transaction of one publishLive statement (API columns); of one plain INSERT (SQL columns)',
      where: 'PostgreSQL 15',
      budget: '',
      verdict: '',
      api: figures(floor.notify, floor.notify.rate),
      sql: figures(floor.plain, floor.plain.rate),
      note:
        `Not a budget: load average ${floorLoad} at its start; ${options.connections} pg clients, no server; rate columns: transactions/s. ` +
        `publishLive's statement before 88b56c2 (its advisory lock, a live_events row, pg_notify) was in every transaction of the contacts module; ` +
        `PostgreSQL commits notifying transactions one at a time, WAL flush included, so its rate is a ceiling on PBX events/s on this machine.`,
      run: options.runId,
    },
  ];
  const { server, pbxSecret } = await serverFor(database, 'acd');
  // The budget is judged on the batch form the webhook documents for a busy PBX
  // (docs/integrations/telephony.md): 10 events per request. One event per request is measured
  // too, from 8 and from 32 connections: the server merges requests that arrive together, but
  // each request still costs its own round trips (docs/benchmarks.md says how far it gets).
  const one = { batch: 1, judged: false } as const;
  const measurements = [
    {
      id: 'cti.events.acd',
      mode: 'acd',
      ...one,
      connections: options.connections,
      what: 'routing mode (acd), one event per request',
    },
    {
      id: 'cti.events.card-pop',
      mode: 'card-pop',
      ...one,
      connections: options.connections,
      what: 'card-pop mode, one event per request',
    },
    {
      id: 'cti.events.card-pop-32',
      mode: 'card-pop',
      ...one,
      connections: 32,
      what: 'card-pop mode, one event per request, 32 connections',
    },
    {
      id: 'cti.events.acd-32',
      mode: 'acd',
      ...one,
      connections: 32,
      what: 'routing mode (acd), one event per request, 32 connections',
    },
    {
      id: 'cti.events.batch',
      mode: 'acd',
      batch: 10,
      judged: true,
      connections: options.connections,
      what: 'routing mode (acd), 10 events per request',
    },
  ] as const;
  try {
    let mode: 'acd' | 'card-pop' = 'acd';
    for (const measurement of measurements) {
      if (measurement.mode !== mode) {
        mode = measurement.mode;
        await setRoutingMode(server, pbxSecret, mode);
      }
      const tag = `${options.runId.replace(/\W+/g, '')}-${measurement.id.split('.').at(-1)}`;
      const workload: CtiWorkload = {
        baseUrl: server.baseUrl,
        secret: pbxSecret,
        mode,
        connections: measurement.connections,
        warmupSeconds: options.warmup,
        durationSeconds: options.duration,
        batch: measurement.batch,
        callsPerConnection: Math.max(4, measurement.batch),
        extensions,
        callers,
        tag,
      };
      const load = loadAverage().join(' ');
      console.log(`  ${measurement.what} (load average ${load})`);
      const file = path.join(options.work, `cti-${measurement.id}.json`);
      fs.writeFileSync(file, JSON.stringify(workload));
      const result = await runBenchChild<CtiResult>('contacts-cti.ts', [file]);
      const check = await ctiCheck(url, tag);
      console.log(
        `    ${result.eventsPerSecond.toFixed(0)} events/s, ${result.requestsPerSecond.toFixed(0)} requests/s, per request ${p(result.latency)} ms; checks ${JSON.stringify(check)}`,
      );
      rows.push(ctiRow(measurement, workload, result, check, load, options.runId));
    }
  } finally {
    await server.stop();
  }
  return rows;
}

function ctiRow(
  measurement: { id: string; what: string; judged: boolean },
  { connections, callsPerConnection }: CtiWorkload,
  result: CtiResult,
  check: CtiCheck,
  load: string,
  runId: string,
): Row {
  const whole =
    check.calls === result.calls &&
    check.whole === check.calls &&
    check.pbxEvents === result.eventsSent &&
    check.callsNotFive === 0 &&
    check.timelineTwice === 0 &&
    check.timelineMissing === 0 &&
    result.refused === 0 &&
    result.repeated === 0;
  return {
    id: measurement.id,
    what: `Telephony events, POST /api/integrations/pbx/events signed, ${measurement.what}`,
    where: `PostgreSQL 15, ${HTTP_SUBSCRIBERS.toLocaleString('en')}`,
    budget: measurement.judged
      ? `≥ ${CTI_BUDGET.toLocaleString('en')} events/s`
      : 'not the budget’s form: every event whole',
    verdict: (measurement.judged ? result.eventsPerSecond >= CTI_BUDGET && whole : whole) ? 'within' : 'OVER',
    api: figures(result.latency, result.eventsPerSecond),
    note:
      `load average ${load} at its start; rate column: events/s (${result.requestsPerSecond.toFixed(0)} requests/s); latency per request. ` +
      `${result.events} events in ${result.seconds.toFixed(0)} s from ${connections} connections, ${callsPerConnection} calls going on each, ` +
      `each call offered (4 in 5 from a subscriber's phone), a menu key, answered, ended, its recording. ` +
      `Afterwards (warm-up and the calls in flight finished): ${check.calls} calls of ${result.calls} started, ${check.whole} whole ` +
      `(after-contact work, answered, recording); ${check.pbxEvents} events recorded of ${result.eventsSent} sent; ` +
      `calls without exactly their 5 events ${check.callsNotFive}; timeline lines twice ${check.timelineTwice}, missing ${check.timelineMissing}; ` +
      `refused ${result.refused}${result.firstRefusal ? ` (${result.firstRefusal})` : ''}, answered as repeats ${result.repeated}.`,
    run: runId,
  };
}

// ---------------------------------------------------------------------------------------------
// card-pop

const CARD_POP_CALLS = 200;

export async function cardPopRows(options: ContactsOptions): Promise<Row[]> {
  const rows: Row[] = [];
  for (const engine of ['postgres', 'pglite'] as const) {
    console.log(`\ncard-pop on ${engine === 'postgres' ? 'PostgreSQL' : 'PGlite'}`);
    const database = await freshContactsDatabase(
      engine === 'postgres' ? { postgres: contactsDatabaseName('cardpop') } : { pglite: CARD_POP_PGLITE_DIR },
      HTTP_SUBSCRIBERS,
    );
    // The callers are read before the server opens the folder (PGlite: one process at a time).
    const callers = await cardPopCallers(database);
    const { server, pbxSecret } = await serverFor(database, 'acd');
    const load = loadAverage().join(' ');
    let result: CardPopResult;
    try {
      const workload: CardPopWorkload = {
        baseUrl: server.baseUrl,
        secret: pbxSecret,
        agentLogin: 'l1',
        calls: CARD_POP_CALLS,
        warmupCalls: 10,
        pauseMs: 100,
        callers,
        tag: `${options.runId.replace(/\W+/g, '')}-cardpop`,
      };
      console.log(`  ${CARD_POP_CALLS} calls to l1 (load average ${load})`);
      const file = path.join(options.work, `card-pop-${engine}.json`);
      fs.writeFileSync(file, JSON.stringify(workload));
      result = await runBenchChild<CardPopResult>('contacts-card-pop.ts', [file]);
    } finally {
      await server.stop();
    }
    console.log(
      `    offer to card p50/p95/p99 ${p(result.total)} ms; live event ${p(result.liveEvent)}; desk ${p(result.desk)}; POST ${p(result.post)}`,
    );
    const where =
      engine === 'postgres'
        ? `PostgreSQL 15, ${HTTP_SUBSCRIBERS.toLocaleString('en')}`
        : `PGlite, ${HTTP_SUBSCRIBERS.toLocaleString('en')}`;
    rows.push({
      id: `card-pop.${engine}`,
      what: "Card pop: PBX 'offered' POST → live 'desk' event → GET /api/desk with the offer → GET /api/subscribers/:id",
      where,
      budget: `p99 ≤ ${CARD_POP_BUDGET_MS} ms`,
      verdict: result.total.p99 <= CARD_POP_BUDGET_MS && result.wrongCards === 0 ? 'within' : 'OVER',
      api: figures(result.total),
      note:
        `load average ${load} at its start; ${result.calls} calls to one agent (l1, routing mode), one at a time, from one process ` +
        `holding the agent's live stream and the PBX's connection. From the POST: the live event p50/p95/p99 ${p(result.liveEvent)} ms, ` +
        `the desk with the offer ${p(result.desk)} ms; the card's GET alone ${p(result.card)} ms; the PBX's POST answered ${p(result.post)} ms ` +
        `(the offer is made inside it). Desk events read before the one with the offer: ${result.extraDeskEvents}; wrong cards: ${result.wrongCards}. ` +
        `Between calls (accept, 'answered', end with an outcome, 'ended', finish after-contact work): ${p(result.between)} ms.`,
      run: options.runId,
    });
  }
  return rows;
}

async function cardPopCallers(database: ContactsDatabase) {
  if (database.url) return singleOwnerPhones(database.url, 250);
  const { PGlite } = await import('@electric-sql/pglite');
  const { pgliteExtensions } = await import('../src/db/connection.js');
  const pglite = await PGlite.create({ dataDir: database.env.DATA_DIR!, extensions: pgliteExtensions });
  try {
    const found = await pglite.query<{ phone: string; subscriber_id: number }>(
      `select phone, min(subscriber_id) as subscriber_id from subscriber_phones
       group by phone having count(distinct subscriber_id) = 1
       order by md5(phone) limit 250`,
    );
    return found.rows.map((row) => ({ phone: row.phone, subscriberId: Number(row.subscriber_id) }));
  } finally {
    await pglite.close();
  }
}
