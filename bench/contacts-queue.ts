// The queue step's own process (docs/benchmarks.md, "Budgets": queue assignment with 500 agents
// and 2,000 waiting contacts on PostgreSQL, p99 ≤ 50 ms; never one contact to two agents).
//   node --import tsx bench/contacts-queue.ts <workload.json>    (contacts-steps.ts writes it)
//
// mode 'route': two "instances" (two pools of 4 connections, two AppContexts) free agents through
// the desk's own code, setMyState(ctx, agent, available) as PUT /api/desk/state runs it: the
// agent's state transaction, then routeLine(ctx, 'l1'), which offers up to 20 pairs a transaction
// under SKIP LOCKED until one side runs out (one pass per line at a time in an instance; triggers
// meanwhile share the next). This process times every call of `db.transaction` (a proxy around the
// pool's Drizzle object) from the call to the COMMIT returned — pool wait included; each pair
// counts its transaction's time, and a transaction that offered nothing is an empty pass.
// mode 'bare': the same transaction's statements (routing.ts, agent-state.ts, contact-row.ts, jobs
// and live, as write-behind writes them) sent bare with `pg` on two pools of 4, in the same loops.
//
// Phases: 8 workers each freeing one agent at a time; one worker alone; then bursts of 50 agents
// freed at once (25 on each instance). A recycler on a connection of its own ends what was offered (as if the
// agent had taken and finished it), puts the agents back offline and queues one new contact per
// contact ended, so 2,000 wait throughout. Afterwards: no contact offered twice, and at every
// recycling the offers counted were as many as the distinct agents they went to.
// Prints one line "RESULT {json}".
import fs from 'node:fs';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import pino from 'pino';
import type { SignedInStaff } from '../src/common/api/staff.js';
import { loadConfig } from '../src/config.js';
import { type Database, openPostgres } from '../src/db/connection.js';
import { contactColumns } from '../src/modules/contacts/contact-row.js';
import { setMyState } from '../src/modules/contacts/desk.js';
import { OFFER_LAPSED_JOB, offerJobKey } from '../src/modules/contacts/routing.js';
import type { AppContext } from '../src/modules/core/context.js';
import { type LatencySummary, sleep, summarise } from './lib.js';

export interface QueueWorkload {
  url: string;
  mode: 'route' | 'bare';
  warmupSeconds: number;
  durationSeconds: number;
  /** Workers freeing one agent at a time, per instance. */
  workersPerInstance: number;
  poolSize: number;
  burst: number;
}

export interface PhaseResult {
  /** Each pair offered: the call of its transaction to its COMMIT returned. */
  pairs: LatencySummary & { rate: number };
  /** The same pairs from their BEGIN (a pooled connection in hand) to the COMMIT returned. */
  inTransaction: LatencySummary;
  /** Passes that found no agent (or no contact) to pair: routeLine's last look each time. */
  emptyPasses: LatencySummary;
  /** Mode 'route': one setMyState(available) each, its state transaction and its routing pass. */
  desk?: LatencySummary;
  seconds: number;
}

export interface QueueResult {
  mode: 'route' | 'bare';
  alone: PhaseResult;
  single: PhaseResult;
  burst: PhaseResult;
  checks: {
    /** Pairs this process saw committed, warm-up included. */
    pairs: number;
    /** 'offered' lines in contact_events for contacts queued by the bench. */
    offeredEvents: number;
    contactsOfferedTwice: number;
    /** Recycler passes where the contacts on offer were more than the agents they were offered to. */
    sharedAgents: number;
    /** Agents seen holding more than one call. */
    overloadedAgents: number;
    recycled: number;
    waitingMin: number;
    waitingMax: number;
    errors: number;
    firstError: string | null;
  };
}

const LINE = 'l1';

// ---------------------------------------------------------------------------------------------
// Timing: a proxy around a pool's Drizzle object that times each transaction.

type Phase = 'alone' | 'single' | 'burst';
interface Sample {
  outer: number[];
  inner: number[];
  empty: number[];
  desk: number[];
  started: number;
  finished: number;
}
const newSample = (): Sample => ({ outer: [], inner: [], empty: [], desk: [], started: 0, finished: 0 });
const samples: Record<Phase, Sample> = { alone: newSample(), single: newSample(), burst: newSample() };
let recording: Phase | null = null;
let pairsSeen = 0;
let errors = 0;
let firstError: string | null = null;

function noteError(error: unknown) {
  errors++;
  firstError ??= (error as Error).message;
}

/** routeLine's transactions return the contacts they offered: a pair each, all made by that transaction. */
function recordTransaction(outer: number, inner: number, result: unknown) {
  if (!Array.isArray(result)) return; // the desk's own state transaction
  pairsSeen += result.length;
  if (!recording) return;
  const sample = samples[recording];
  if (result.length === 0) sample.empty.push(outer);
  for (const _pair of result) {
    sample.outer.push(outer);
    sample.inner.push(inner);
  }
}

function timed(database: Database): Database {
  const db = new Proxy(database.db, {
    get(target, property) {
      if (property === 'transaction') {
        return async (work: (tx: unknown) => Promise<unknown>, config?: unknown) => {
          const called = performance.now();
          let begun = called;
          const result = await (target.transaction as (w: typeof work, c?: unknown) => Promise<unknown>)(async (tx) => {
            begun = performance.now();
            return work(tx);
          }, config);
          const committed = performance.now();
          recordTransaction(committed - called, committed - begun, result);
          return result;
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { ...database, db };
}

// ---------------------------------------------------------------------------------------------
// The bare pass: the statements of routeLine's transaction, one for one, with `pg`.

const dialect = new PgDialect();
const CONTACT_COLUMNS = dialect.sqlToQuery(contactColumns).sql;
const AGENT_COLUMNS = `staff_id as "staffId", state, since, break_reason as "breakReason", lines, skills, extension,
  calls, chats, last_seen_at as "lastSeenAt"`;
const QUEUE_WATCHERS = ['l1', 'l2', 'l3', 'supervisor', 'admin'];

/** Pairs per transaction, as routing.ts makes them. */
const PAIRS_PER_TRANSACTION = 20;

async function barePass(pool: pg.Pool): Promise<number> {
  const called = performance.now();
  const client = await pool.connect();
  const begun = performance.now();
  const pairs: { id: number; offers: number; subscriberId: number | null; staffId: number }[] = [];
  try {
    await client.query('begin');
    const at = new Date();
    const agents = await client.query<{ staffId: number }>(
      `select ${AGENT_COLUMNS} from agent_states
      where state = 'available' and calls = 0 and chats = 0 and $1 = any(lines) and 'call' = any(skills)
      order by since, staff_id
      limit $2
      for update skip locked`,
      [LINE, PAIRS_PER_TRANSACTION],
    );
    const heads = (query: pg.PoolClient, channel: string, limit: number) =>
      query.query<{ id: number; offers: number; subscriberId: number | null }>(
        `select ${CONTACT_COLUMNS} from contacts
      where status = 'waiting' and line = $1 and channel = $2
      order by priority desc, queued_at, id
      limit $3
      for update skip locked`,
        [LINE, channel, limit],
      );
    if (agents.rows.length > 0) {
      const contacts = await heads(client, 'call', agents.rows.length);
      const chosen = agents.rows.slice(0, contacts.rows.length).map((agent) => agent.staffId);
      if (chosen.length > 0) {
        const taken = await client.query<{ staffId: number }>(
          `with taken as (
        update agent_states set state = 'offered', since = $1::timestamptz, calls = calls + 1
        where staff_id = any($2::int[]) and state = 'available'
        returning ${AGENT_COLUMNS}
      ), logged as (
        insert into agent_state_changes (staff_id, state, reason, at)
        select "staffId", 'offered', null, $1::timestamptz from taken
      )
      select * from taken`,
          [at, chosen],
        );
        const takenIds = new Set(taken.rows.map((row) => row.staffId));
        chosen.forEach((staffId, index) => {
          const contact = contacts.rows[index];
          if (contact && takenIds.has(staffId)) pairs.push({ ...contact, staffId });
        });
      }
    }
    await heads(client, 'chat', 1);
    if (pairs.length > 0) {
      const values = (width: number, rows: unknown[][]) =>
        rows
          .map(
            (_, row) => `(${Array.from({ length: width }, (__, column) => `$${row * width + column + 1}`).join(', ')})`,
          )
          .join(', ');
      await client.query(
        `update contacts set status = 'offered', offered_to = v.staff_id::int, offered_at = $${pairs.length * 2 + 1},
      offers = contacts.offers + 1
    from (values ${values(
      2,
      pairs.map(() => []),
    )}) as v(id, staff_id)
    where contacts.id = v.id::bigint`,
        [...pairs.flatMap((pair) => [pair.id, pair.staffId]), at],
      );
      await client.query(
        `insert into contact_events (contact_id, at, kind, staff_id, details)
    values ${values(
      5,
      pairs.map(() => []),
    )}`,
        pairs.flatMap((pair) => [pair.id, at, 'offered', pair.staffId, null]),
      );
      await client.query(
        `insert into jobs (kind, key, payload, run_at)
    values ${values(
      4,
      pairs.map(() => []),
    )}
    on conflict (key) where state = 'pending' do update set
      kind = excluded.kind, payload = excluded.payload, run_at = excluded.run_at,
      attempts = 0, last_error = null, revision = jobs.revision + 1`,
        pairs.flatMap((pair) => [
          OFFER_LAPSED_JOB,
          offerJobKey(pair.id),
          JSON.stringify({ contactId: pair.id, staffId: pair.staffId, offers: pair.offers + 1 }),
          new Date(at.getTime() + 15_000),
        ]),
      );
      const wakeUps = [
        ...pairs.flatMap((pair) => [
          ['desk', pair.staffId, null, '{}'],
          ['contact', null, null, JSON.stringify({ contactId: pair.id, subscriberId: pair.subscriberId })],
        ]),
        ['queue', null, QUEUE_WATCHERS, JSON.stringify({ line: LINE })],
        ['agents', null, ['supervisor', 'admin'], '{}'],
      ];
      await client.query(
        `insert into live_events (topic, staff_id, roles, data)
    values ${wakeUps.map((_, row) => `($${row * 4 + 1}, $${row * 4 + 2}::int, $${row * 4 + 3}::text[], $${row * 4 + 4}::jsonb)`).join(', ')}
    returning id`,
        wakeUps.flat(),
      );
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  const committed = performance.now();
  recordTransaction(committed - called, committed - begun, pairs);
  return pairs.length;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const workload = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as QueueWorkload;
  const config = loadConfig({ DATABASE_URL: workload.url, NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const log = pino({ level: 'silent' });

  // Two instances: each its own pool (and, for 'route', its own settings cache).
  const databases: Database[] = [];
  const pools: pg.Pool[] = [];
  const contexts: AppContext[] = [];
  for (let i = 0; i < 2; i++) {
    if (workload.mode === 'route') {
      const database = timed(await openPostgres(workload.url, workload.poolSize));
      databases.push(database);
      contexts.push({ config, database, log, clock: () => new Date() });
    } else {
      pools.push(new pg.Pool({ connectionString: workload.url, max: workload.poolSize }));
    }
  }
  const admin = new pg.Client({ connectionString: workload.url });
  await admin.connect();
  const recycler = new pg.Client({ connectionString: workload.url });
  await recycler.connect();

  const agents = (
    await admin.query<{ id: number; login: string; full_name: string }>(
      `select id, login, full_name from staff where login like 'bench-agent-%' order by id`,
    )
  ).rows.map(
    (row): SignedInStaff => ({ id: row.id, login: row.login, fullName: row.full_name, role: 'l1', sessionId: 'bench' }),
  );
  const byId = new Map(agents.map((agent) => [agent.id, agent]));
  // The contacts queued for the bench (the demo's history is all ended): the checks look at these only.
  const firstContactId = Number(
    (await admin.query<{ id: string }>(`select min(id) as id from contacts where status = 'waiting'`)).rows[0]!.id,
  );
  const idle: number[] = agents.map((agent) => agent.id);

  // One agent made available and routed for, on instance `which`.
  const free = async (staffId: number, which: number) => {
    if (workload.mode === 'route') {
      const started = performance.now();
      await setMyState(contexts[which]!, byId.get(staffId)!, { state: 'available' });
      if (recording) samples[recording].desk.push(performance.now() - started);
    } else {
      const pool = pools[which]!;
      await pool.query(`update agent_states set state = 'available', since = now() where staff_id = $1`, [staffId]);
      while ((await barePass(pool)) === PAIRS_PER_TRANSACTION) {
        // routeLine's loop: until a transaction finds fewer than it can take
      }
    }
  };

  // The recycler: what was offered is taken and finished; its agents go back offline; the queue refilled.
  let stopRecycler = false;
  let recycled = 0;
  let sharedAgents = 0;
  let overloadedAgents = 0;
  let waitingMin = Number.POSITIVE_INFINITY;
  let waitingMax = 0;
  const recycle = async () => {
    while (!stopRecycler) {
      try {
        await recycler.query('begin');
        const done = await recycler.query<{ id: string; offered_to: number }>(
          `update contacts set status = 'ended', outcome = 'resolved', ended_at = now()
           where status = 'offered' and line = $1 returning id, offered_to`,
          [LINE],
        );
        const offers = done.rows.length;
        if (offers > 0) {
          const distinct = new Set(done.rows.map((row) => row.offered_to));
          if (distinct.size !== offers) sharedAgents++;
          const over = await recycler.query<{ n: number }>(
            'select count(*)::int as n from agent_states where calls > 1',
          );
          overloadedAgents = Math.max(overloadedAgents, over.rows[0]!.n);
          const freed = await recycler.query<{ staff_id: number }>(
            `update agent_states set state = 'offline', calls = 0, chats = 0, since = now()
             where staff_id = any($1::int[]) and state = 'offered' returning staff_id`,
            [[...distinct]],
          );
          await recycler.query(
            `insert into contacts (channel, line, status, arrived_at, queued_at)
             select 'call', $1, 'waiting', now(), now() from generate_series(1, $2::int)`,
            [LINE, offers],
          );
          await recycler.query(`delete from jobs where key = any($1::text[]) and state = 'pending'`, [
            done.rows.map((row) => offerJobKey(Number(row.id))),
          ]);
          await recycler.query('commit');
          recycled += offers;
          for (const row of freed.rows) idle.push(row.staff_id);
        } else {
          await recycler.query('commit');
          await sleep(2);
        }
        const waiting = await recycler.query<{ n: number }>(
          `select count(*)::int as n from contacts where status = 'waiting' and line = $1`,
          [LINE],
        );
        waitingMin = Math.min(waitingMin, waiting.rows[0]!.n);
        waitingMax = Math.max(waitingMax, waiting.rows[0]!.n);
      } catch (error) {
        await recycler.query('rollback').catch(() => {});
        noteError(error);
        await sleep(10);
      }
    }
  };
  const recyclerDone = recycle();

  // One agent at a time by each of `workers` workers, on alternate instances.
  const runSingle = async (seconds: number, phase: Phase | null, workers: number) => {
    const until = performance.now() + seconds * 1000;
    recording = phase;
    if (phase) samples[phase].started = performance.now();
    await Promise.all(
      Array.from({ length: workers }, async (_, worker) => {
        while (performance.now() < until) {
          const staffId = idle.shift();
          if (staffId === undefined) {
            await sleep(1);
            continue;
          }
          try {
            await free(staffId, worker % 2);
          } catch (error) {
            noteError(error);
          }
        }
      }),
    );
    if (phase) samples[phase].finished = performance.now();
    recording = null;
  };

  // Bursts: `burst` agents freed at once, half on each instance, the next burst once they are back.
  const runBursts = async (seconds: number) => {
    const until = performance.now() + seconds * 1000;
    recording = 'burst';
    samples.burst.started = performance.now();
    while (performance.now() < until) {
      if (idle.length < workload.burst) {
        await sleep(2);
        continue;
      }
      const chosen = idle.splice(0, workload.burst);
      await Promise.all(
        chosen.map((staffId, index) =>
          free(staffId, index % 2).catch((error) => {
            noteError(error);
          }),
        ),
      );
    }
    samples.burst.finished = performance.now();
    recording = null;
  };

  try {
    const workers = workload.workersPerInstance * 2;
    if (workload.warmupSeconds > 0) await runSingle(workload.warmupSeconds, null, workers);
    await runSingle(workload.durationSeconds, 'single', workers);
    await sleep(500);
    // A router alone: the pair's own time, with nothing to wait for.
    await runSingle(Math.max(3, workload.durationSeconds / 3), 'alone', 1);
    await sleep(500);
    await runBursts(workload.durationSeconds);
    await sleep(500);
  } finally {
    stopRecycler = true;
    await recyclerDone;
  }

  const offered = await admin.query<{ events: number; twice: number }>(
    `with bench as (select id from contacts where id >= $1),
       offers as (select contact_id, count(*)::int as n from contact_events
         where kind = 'offered' and contact_id in (select id from bench) group by contact_id)
     select coalesce(sum(n), 0)::int as events, count(*) filter (where n > 1)::int as twice from offers`,
    [firstContactId],
  );
  const phaseResult = (sample: Sample): PhaseResult => {
    const seconds = (sample.finished - sample.started) / 1000;
    return {
      pairs: { ...summarise(sample.outer), rate: sample.outer.length / seconds },
      inTransaction: summarise(sample.inner),
      emptyPasses: summarise(sample.empty),
      desk: workload.mode === 'route' ? summarise(sample.desk) : undefined,
      seconds,
    };
  };
  const result: QueueResult = {
    mode: workload.mode,
    alone: phaseResult(samples.alone),
    single: phaseResult(samples.single),
    burst: phaseResult(samples.burst),
    checks: {
      pairs: pairsSeen,
      offeredEvents: offered.rows[0]!.events,
      contactsOfferedTwice: offered.rows[0]!.twice,
      sharedAgents,
      overloadedAgents,
      recycled,
      waitingMin,
      waitingMax,
      errors,
      firstError,
    },
  };
  await admin.end();
  await recycler.end();
  await Promise.all([...databases.map((database) => database.close()), ...pools.map((pool) => pool.end())]);
  console.log(`RESULT ${JSON.stringify(result)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
