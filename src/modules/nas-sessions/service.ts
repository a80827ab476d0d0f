import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { withWriteBehind } from '../../db/write-behind.js';
import type { AppContext } from '../core/context.js';
import { publishLive } from '../live/service.js';
import { accountsOfSessions, type SessionAccount } from '../network/service.js';
import { macOf, option82Text } from './identity.js';
import type { AccountingOutcome, AccountingRecord } from './record.js';

export { type AccountingOutcome, type AccountingRecord, accountingRecord } from './record.js';

/** One generation of a session as the batch holds it: read from the table, or opened by the batch. */
interface Generation {
  /** Null until the batch inserts it. */
  id: number | null;
  nas: string;
  acctSessionId: string;
  generation: number;
  state: 'open' | 'stale' | 'closed';
  startSeen: boolean;
  startedAt: Date;
  lastEventAt: Date;
  endedAt: Date | null;
  endedBy: string | null;
  terminateCause: number | null;
  terminateCauseWords: string | null;
  framedIp: string | null;
  framedIpv6Prefix: string | null;
  delegatedIpv6Prefix: string | null;
  inputBytes: number;
  outputBytes: number;
  accountId: number | null;
  subscriberId: number | null;
  /** Only what a new generation is inserted with (never changed afterwards). */
  opened?: {
    userName: string | null;
    callingStationId: string | null;
    circuitId: string | null;
    remoteId: string | null;
  };
  changed: boolean;
}

interface TimelineLine {
  session: Generation;
  at: Date;
  change: string;
  details: Record<string, unknown>;
}

/** What applying a segment of records in memory leaves to write. */
interface Pending {
  lines: TimelineLine[];
  subscribers: Set<number>;
}

interface GenerationRow {
  id: number | string;
  nas: string;
  acct_session_id: string;
  generation: number;
  state: Generation['state'];
  start_seen: boolean;
  started_at: Date | string;
  last_event_at: Date | string;
  ended_at: Date | string | null;
  ended_by: string | null;
  terminate_cause: number | null;
  terminate_cause_words: string | null;
  framed_ip: string | null;
  framed_ipv6_prefix: string | null;
  delegated_ipv6_prefix: string | null;
  input_bytes: number | string;
  output_bytes: number | string;
  account_id: number | null;
  subscriber_id: number | null;
}

const rowsOf = async <T>(db: Db, query: SQL) => ((await db.execute(query)) as unknown as { rows: T[] }).rows;
const asDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));
const keyOf = (nas: string, sessionId: string) => `${nas}\u0000${sessionId}`;
const isNasWide = (record: AccountingRecord) => record.status === 'accounting_on' || record.status === 'accounting_off';

/**
 * Applies one accounting record and resolves once it is committed: the adapter answers the NAS
 * only then, so a failed write is retried by the NAS. See recordAccountingBatch.
 */
export async function recordAccounting(ctx: AppContext, record: AccountingRecord): Promise<AccountingOutcome> {
  const [outcome] = await recordAccountingBatch(ctx, [record]);
  if (!outcome) throw new Error('a batch of one record gave no outcome');
  return outcome;
}

/**
 * Applies records in one transaction, in the order given, as if one after another, and resolves
 * with each one's outcome once all are committed (or rejects, and none is). A record already
 * applied (the NAS resent it with a new Acct-Delay-Time) is recognised by NAS, Acct-Session-Id,
 * generation, status type and event time, and changes nothing ('repeated'); one older than what
 * the session already holds changes nothing either ('late').
 *
 * A few statements whatever the batch's size (budget: 10,000 records/s, docs/benchmarks.md): the
 * sessions' locks, their generations read, the accounts matched, then the new generations, the
 * changed ones and the timeline written one statement each. The records are applied in memory in
 * between, so records of one session in one batch see each other as they would one by one.
 * Accounting-On/Off divides a batch: what came before it is written first, then it closes the
 * NAS's sessions, then the rest is read afresh.
 */
export async function recordAccountingBatch(
  ctx: AppContext,
  records: readonly AccountingRecord[],
): Promise<AccountingOutcome[]> {
  if (records.length === 0) return [];
  return ctx.database.db.transaction((tx) =>
    withWriteBehind(tx, async () => {
      await lockSessions(tx, records);
      const outcomes: AccountingOutcome[] = [];
      let segment: AccountingRecord[] = [];
      for (const record of records) {
        if (!isNasWide(record)) {
          segment.push(record);
          continue;
        }
        outcomes.push(...(await applySegment(tx, segment)));
        segment = [];
        await closeSessionsOfNas(tx, record.nas, record.status as 'accounting_on' | 'accounting_off', record.eventAt);
        outcomes.push('applied');
      }
      outcomes.push(...(await applySegment(tx, segment)));
      return outcomes;
    }),
  );
}

/**
 * Two instances (or a NAS that resends to both) may bring records of one session at once: one
 * transaction at a time holds a session, so generations and repeats are judged against what the
 * other committed. The locks are taken in one order, so two batches never wait for each other.
 */
async function lockSessions(tx: Db, records: readonly AccountingRecord[]): Promise<void> {
  const keys = [
    ...new Set(records.filter((record) => !isNasWide(record)).map((r) => `nas-session:${r.nas}/${r.sessionId ?? ''}`)),
  ];
  if (keys.length === 0) return;
  await tx.execute(sql`select pg_advisory_xact_lock(h) from (
      select distinct hashtextextended(k, 0) as h from unnest(${sql.param(keys)}::text[]) k order by h) locks`);
}

async function applySegment(tx: Db, records: AccountingRecord[]): Promise<AccountingOutcome[]> {
  if (records.length === 0) return [];
  const generations = await readGenerations(tx, records);
  const accounts = await matchAccounts(tx, records, generations);
  const pending: Pending = { lines: [], subscribers: new Set() };
  const outcomes = records.map((record, index) => {
    const key = keyOf(record.nas, record.sessionId ?? '');
    let list = generations.get(key);
    if (!list) {
      list = [];
      generations.set(key, list);
    }
    const account = accounts[index] ?? null;
    if (record.status === 'start') return applyStart(record, list, account, pending);
    if (record.status === 'interim') return applyInterim(record, list, account, pending);
    return applyStop(record, list, account, pending);
  });
  await writeGenerations(tx, [...generations.values()].flat(), pending);
  return outcomes;
}

/**
 * Every generation of the segment's sessions, each session's in order. Locked in the order of
 * their ids, as Accounting-On/Off and the stale sweep lock them, so none of them deadlock.
 */
async function readGenerations(tx: Db, records: AccountingRecord[]): Promise<Map<string, Generation[]>> {
  const keys = new Map(records.map((record) => [keyOf(record.nas, record.sessionId ?? ''), record]));
  const nases = [...keys.values()].map((record) => record.nas);
  const ids = [...keys.values()].map((record) => record.sessionId ?? '');
  const rows = await rowsOf<GenerationRow>(
    tx,
    sql`select id, nas, acct_session_id, generation, state, start_seen, started_at, last_event_at, ended_at, ended_by,
          terminate_cause, terminate_cause_words, framed_ip, framed_ipv6_prefix, delegated_ipv6_prefix,
          input_bytes, output_bytes, account_id, subscriber_id
        from nas_sessions
        where id = any(array(
          select s.id from unnest(${sql.param(nases)}::text[], ${sql.param(ids)}::text[]) as k(nas, session_id)
          -- offset 0: each key by the index, never a scan of the whole table (and its sort) to merge with.
          join lateral (select id from nas_sessions s where s.nas = k.nas and s.acct_session_id = k.session_id offset 0) s
            on true))
        order by id for update`,
  );
  const generations = new Map<string, Generation[]>();
  for (const row of rows.sort((a, b) => a.generation - b.generation)) {
    const key = keyOf(row.nas, row.acct_session_id);
    const list = generations.get(key) ?? [];
    list.push({
      id: Number(row.id),
      nas: row.nas,
      acctSessionId: row.acct_session_id,
      generation: row.generation,
      state: row.state,
      startSeen: row.start_seen,
      startedAt: asDate(row.started_at),
      lastEventAt: asDate(row.last_event_at),
      endedAt: row.ended_at === null ? null : asDate(row.ended_at),
      endedBy: row.ended_by,
      terminateCause: row.terminate_cause,
      terminateCauseWords: row.terminate_cause_words,
      framedIp: row.framed_ip,
      framedIpv6Prefix: row.framed_ipv6_prefix,
      delegatedIpv6Prefix: row.delegated_ipv6_prefix,
      inputBytes: Number(row.input_bytes),
      outputBytes: Number(row.output_bytes),
      accountId: row.account_id,
      subscriberId: row.subscriber_id,
      changed: false,
    });
    generations.set(key, list);
  }
  return generations;
}

/**
 * The account of each record that may need one, in one statement: a Start (it may open a new
 * generation), and an Interim or Stop of a session not yet matched. The Interims of a matched
 * session (most of the traffic) ask nothing.
 */
async function matchAccounts(
  tx: Db,
  records: AccountingRecord[],
  generations: Map<string, Generation[]>,
): Promise<(SessionAccount | null)[]> {
  const asking: number[] = [];
  records.forEach((record, index) => {
    const latest = generations.get(keyOf(record.nas, record.sessionId ?? ''))?.at(-1);
    const hasKeys = record.userName || record.callingStationId || record.framedIp || record.circuitId;
    if (hasKeys && (record.status === 'start' || !latest || latest.accountId === null)) asking.push(index);
  });
  const found = await accountsOfSessions(
    tx,
    asking.map((index) => {
      const record = records[index] as AccountingRecord;
      return {
        pppoeLogin: record.userName,
        mac: macOf(record.callingStationId),
        ip: record.framedIp,
        circuitId: option82Text(record.circuitId),
        remoteId: option82Text(record.remoteId),
      };
    }),
  );
  const accounts: (SessionAccount | null)[] = records.map(() => null);
  asking.forEach((index, i) => {
    accounts[index] = found[i] ?? null;
  });
  return accounts;
}

const startOf = (record: AccountingRecord) =>
  record.sessionSeconds === null ? record.eventAt : new Date(record.eventAt.getTime() - record.sessionSeconds * 1000);

const wake = (pending: Pending, subscriberId: number | null | undefined) => {
  if (subscriberId !== null && subscriberId !== undefined) pending.subscribers.add(subscriberId);
};

const line = (pending: Pending, session: Generation, at: Date, change: string, details = {}) =>
  pending.lines.push({ session, at, change, details });

function openGeneration(
  record: AccountingRecord,
  list: Generation[],
  account: SessionAccount | null,
  how: { startSeen: boolean; closed: boolean },
  pending: Pending,
): void {
  const startedAt = how.startSeen ? record.eventAt : startOf(record);
  const opened: Generation = {
    id: null,
    nas: record.nas,
    acctSessionId: record.sessionId ?? '',
    generation: (list.at(-1)?.generation ?? 0) + 1,
    state: how.closed ? 'closed' : 'open',
    startSeen: how.startSeen,
    startedAt,
    lastEventAt: record.eventAt,
    endedAt: how.closed ? record.eventAt : null,
    endedBy: how.closed ? 'stop' : null,
    terminateCause: record.terminateCause?.code ?? null,
    terminateCauseWords: record.terminateCause?.words ?? null,
    framedIp: record.framedIp,
    framedIpv6Prefix: record.framedIpv6Prefix,
    delegatedIpv6Prefix: record.delegatedIpv6Prefix,
    inputBytes: record.inputBytes ?? 0,
    outputBytes: record.outputBytes ?? 0,
    accountId: account?.accountId ?? null,
    subscriberId: account?.subscriberId ?? null,
    opened: {
      userName: record.userName,
      callingStationId: record.callingStationId,
      circuitId: option82Text(record.circuitId),
      remoteId: option82Text(record.remoteId),
    },
    changed: true,
  };
  list.push(opened);
  line(pending, opened, startedAt, how.startSeen ? 'started' : 'start_not_seen', {
    framedIp: record.framedIp,
    matchedBy: account?.matchedBy ?? null,
  });
  if (how.closed) line(pending, opened, record.eventAt, 'stopped', stopDetails(record));
  wake(pending, opened.subscriberId);
}

const stopDetails = (record: AccountingRecord) => ({
  cause: record.terminateCause?.words ?? null,
  inputBytes: record.inputBytes,
  outputBytes: record.outputBytes,
});

function applyStart(
  record: AccountingRecord,
  list: Generation[],
  account: SessionAccount | null,
  pending: Pending,
): AccountingOutcome {
  if (list.some((session) => session.startSeen && session.startedAt.getTime() === record.eventAt.getTime())) {
    return 'repeated';
  }
  const latest = list.at(-1);
  if (latest && !latest.startSeen && record.eventAt <= latest.lastEventAt) {
    // Its Interim or Stop overtook it on the way: the Start belongs to that session and dates it.
    latest.startSeen = true;
    latest.startedAt = record.eventAt;
    latest.changed = true;
    line(pending, latest, record.eventAt, 'started', { late: true });
    wake(pending, latest.subscriberId);
    return 'late';
  }
  if (latest && latest.state !== 'closed') {
    // The NAS reused an id whose Stop never came: that session ended when this one began.
    latest.state = 'closed';
    latest.endedAt = record.eventAt;
    latest.endedBy = 'replaced';
    latest.changed = true;
    line(pending, latest, record.eventAt, 'replaced');
    wake(pending, latest.subscriberId);
  }
  openGeneration(record, list, account, { startSeen: true, closed: false }, pending);
  return 'applied';
}

function applyInterim(
  record: AccountingRecord,
  list: Generation[],
  account: SessionAccount | null,
  pending: Pending,
): AccountingOutcome {
  const latest = list.at(-1);
  if (!latest) {
    openGeneration(record, list, account, { startSeen: false, closed: false }, pending);
    return 'applied';
  }
  // A late Interim never reopens a session, nor moves one back in time.
  if (latest.state === 'closed') return 'late';
  if (record.eventAt <= latest.lastEventAt)
    return record.eventAt.getTime() === latest.lastEventAt.getTime() ? 'repeated' : 'late';
  const addressChanged =
    (record.framedIp !== null && record.framedIp !== latest.framedIp) ||
    (record.framedIpv6Prefix !== null && record.framedIpv6Prefix !== latest.framedIpv6Prefix) ||
    (record.delegatedIpv6Prefix !== null && record.delegatedIpv6Prefix !== latest.delegatedIpv6Prefix);
  const matchedNow = latest.accountId === null && account !== null;
  const wasStale = latest.state === 'stale';
  latest.state = 'open';
  latest.lastEventAt = record.eventAt;
  latest.inputBytes = record.inputBytes ?? latest.inputBytes;
  latest.outputBytes = record.outputBytes ?? latest.outputBytes;
  latest.framedIp = record.framedIp ?? latest.framedIp;
  latest.framedIpv6Prefix = record.framedIpv6Prefix ?? latest.framedIpv6Prefix;
  latest.delegatedIpv6Prefix = record.delegatedIpv6Prefix ?? latest.delegatedIpv6Prefix;
  if (matchedNow) {
    latest.accountId = account.accountId;
    latest.subscriberId ??= account.subscriberId;
  }
  latest.changed = true;
  // Only changes of state go on the timeline: an Interim that only moves the counters adds nothing.
  if (wasStale) line(pending, latest, record.eventAt, 'resumed');
  if (addressChanged) {
    line(pending, latest, record.eventAt, 'address', {
      framedIp: record.framedIp,
      framedIpv6Prefix: record.framedIpv6Prefix,
      delegatedIpv6Prefix: record.delegatedIpv6Prefix,
    });
  }
  if (wasStale || addressChanged || matchedNow) wake(pending, latest.subscriberId);
  return 'applied';
}

function applyStop(
  record: AccountingRecord,
  list: Generation[],
  account: SessionAccount | null,
  pending: Pending,
): AccountingOutcome {
  const latest = list.at(-1);
  if (!latest) {
    openGeneration(record, list, account, { startSeen: false, closed: true }, pending);
    return 'applied';
  }
  if (latest.startSeen && record.eventAt < latest.startedAt) return stopOfEarlierGeneration(record, list, pending);
  if (latest.state === 'closed') {
    return latest.endedBy === 'stop' && latest.endedAt?.getTime() === record.eventAt.getTime() ? 'repeated' : 'late';
  }
  latest.state = 'closed';
  latest.endedAt = record.eventAt;
  latest.endedBy = 'stop';
  if (record.eventAt > latest.lastEventAt) latest.lastEventAt = record.eventAt;
  latest.terminateCause = record.terminateCause?.code ?? null;
  latest.terminateCauseWords = record.terminateCause?.words ?? null;
  latest.inputBytes = record.inputBytes ?? latest.inputBytes;
  latest.outputBytes = record.outputBytes ?? latest.outputBytes;
  latest.framedIp ??= record.framedIp;
  if (latest.accountId === null && account) {
    latest.accountId = account.accountId;
    latest.subscriberId ??= account.subscriberId;
  }
  latest.changed = true;
  line(pending, latest, record.eventAt, 'stopped', stopDetails(record));
  wake(pending, latest.subscriberId);
  return 'applied';
}

/**
 * A Stop overtaken by the next Start of its id (two instances, or UDP reordering): the earlier
 * generation was closed as replaced when that Start came; the Stop gives it its real end and cause.
 */
function stopOfEarlierGeneration(record: AccountingRecord, list: Generation[], pending: Pending): AccountingOutcome {
  const earlier = [...list].reverse().find((session) => session.startedAt <= record.eventAt);
  if (earlier?.endedBy !== 'replaced') return 'late';
  earlier.endedAt = record.eventAt;
  earlier.endedBy = 'stop';
  earlier.terminateCause = record.terminateCause?.code ?? null;
  earlier.terminateCauseWords = record.terminateCause?.words ?? null;
  earlier.inputBytes = record.inputBytes ?? earlier.inputBytes;
  earlier.outputBytes = record.outputBytes ?? earlier.outputBytes;
  earlier.changed = true;
  line(pending, earlier, record.eventAt, 'stopped', stopDetails(record));
  wake(pending, earlier.subscriberId);
  return 'late';
}

const iso = (date: Date | null) => (date === null ? null : date.toISOString());

/** What the segment changed, one statement per kind: new generations, changed ones, the timeline, the wake-ups. */
async function writeGenerations(tx: Db, all: Generation[], pending: Pending): Promise<void> {
  const opened = all.filter((session) => session.id === null);
  const changed = all.filter((session) => session.id !== null && session.changed);
  const column = <T>(rows: Generation[], pick: (session: Generation) => T) => sql.param(rows.map(pick));
  if (opened.length > 0) {
    const ids = await rowsOf<{ id: number | string }>(
      tx,
      sql`insert into nas_sessions (nas, acct_session_id, generation, state, start_seen, started_at, last_event_at,
            ended_at, ended_by, terminate_cause, terminate_cause_words, user_name, calling_station_id, framed_ip,
            framed_ipv6_prefix, delegated_ipv6_prefix, input_bytes, output_bytes, circuit_id, remote_id,
            account_id, subscriber_id)
          select * from unnest(${column(opened, (s) => s.nas)}::text[], ${column(opened, (s) => s.acctSessionId)}::text[],
            ${column(opened, (s) => s.generation)}::int[], ${column(opened, (s) => s.state)}::text[],
            ${column(opened, (s) => s.startSeen)}::boolean[], ${column(opened, (s) => iso(s.startedAt))}::timestamptz[],
            ${column(opened, (s) => iso(s.lastEventAt))}::timestamptz[], ${column(opened, (s) => iso(s.endedAt))}::timestamptz[],
            ${column(opened, (s) => s.endedBy)}::text[], ${column(opened, (s) => s.terminateCause)}::int[],
            ${column(opened, (s) => s.terminateCauseWords)}::text[], ${column(opened, (s) => s.opened?.userName ?? null)}::text[],
            ${column(opened, (s) => s.opened?.callingStationId ?? null)}::text[], ${column(opened, (s) => s.framedIp)}::text[],
            ${column(opened, (s) => s.framedIpv6Prefix)}::text[], ${column(opened, (s) => s.delegatedIpv6Prefix)}::text[],
            ${column(opened, (s) => s.inputBytes)}::bigint[], ${column(opened, (s) => s.outputBytes)}::bigint[],
            ${column(opened, (s) => s.opened?.circuitId ?? null)}::text[], ${column(opened, (s) => s.opened?.remoteId ?? null)}::text[],
            ${column(opened, (s) => s.accountId)}::int[], ${column(opened, (s) => s.subscriberId)}::int[])
          returning id`,
    );
    // INSERT ... SELECT from unnest writes (and returns) the rows in the arrays' order.
    opened.forEach((session, index) => {
      session.id = Number(ids[index]?.id);
    });
  }
  if (changed.length > 0) {
    await tx.execute(
      sql`update nas_sessions s set state = v.state, start_seen = v.start_seen, started_at = v.started_at,
            last_event_at = v.last_event_at, ended_at = v.ended_at, ended_by = v.ended_by,
            terminate_cause = v.terminate_cause, terminate_cause_words = v.terminate_cause_words,
            framed_ip = v.framed_ip, framed_ipv6_prefix = v.framed_ipv6_prefix,
            delegated_ipv6_prefix = v.delegated_ipv6_prefix, input_bytes = v.input_bytes,
            output_bytes = v.output_bytes, account_id = v.account_id, subscriber_id = v.subscriber_id
          from unnest(${column(changed, (s) => s.id)}::bigint[], ${column(changed, (s) => s.state)}::text[],
            ${column(changed, (s) => s.startSeen)}::boolean[], ${column(changed, (s) => iso(s.startedAt))}::timestamptz[],
            ${column(changed, (s) => iso(s.lastEventAt))}::timestamptz[], ${column(changed, (s) => iso(s.endedAt))}::timestamptz[],
            ${column(changed, (s) => s.endedBy)}::text[], ${column(changed, (s) => s.terminateCause)}::int[],
            ${column(changed, (s) => s.terminateCauseWords)}::text[], ${column(changed, (s) => s.framedIp)}::text[],
            ${column(changed, (s) => s.framedIpv6Prefix)}::text[], ${column(changed, (s) => s.delegatedIpv6Prefix)}::text[],
            ${column(changed, (s) => s.inputBytes)}::bigint[], ${column(changed, (s) => s.outputBytes)}::bigint[],
            ${column(changed, (s) => s.accountId)}::int[], ${column(changed, (s) => s.subscriberId)}::int[])
            as v(id, state, start_seen, started_at, last_event_at, ended_at, ended_by, terminate_cause,
              terminate_cause_words, framed_ip, framed_ipv6_prefix, delegated_ipv6_prefix, input_bytes, output_bytes,
              account_id, subscriber_id)
          where s.id = v.id`,
    );
  }
  if (pending.lines.length > 0) {
    const lines = pending.lines;
    await tx.execute(
      sql`insert into nas_session_changes (session_id, at, change, details)
          select * from unnest(${sql.param(lines.map((l) => l.session.id))}::bigint[],
            ${sql.param(lines.map((l) => l.at.toISOString()))}::timestamptz[], ${sql.param(lines.map((l) => l.change))}::text[],
            ${sql.param(lines.map((l) => JSON.stringify(l.details)))}::jsonb[])`,
    );
  }
  // The card refetches the subscriber's session panel. Ids only, as every wake-up; in one statement
  // at the transaction's end (write-behind).
  for (const subscriberId of pending.subscribers) await publishLive(tx, { topic: 'session', data: { subscriberId } });
}

/**
 * Accounting-On/Off (RFC 2866 §5.1): the NAS restarted or stops, so every session of that NAS
 * that began before it is over, whatever Acct-Session-Id the record carries. Other NASes'
 * sessions are untouched; the next Start of a closed id opens a new generation. The sessions are
 * locked in the order of their ids, as a batch locks them.
 */
async function closeSessionsOfNas(
  tx: Db,
  nas: string,
  status: 'accounting_on' | 'accounting_off',
  eventAt: Date,
): Promise<void> {
  const closed = await rowsOf<{ id: number; subscriber_id: number | null }>(
    tx,
    sql`with locked as (
          select id from nas_sessions where nas = ${nas} and state <> 'closed' and started_at <= ${eventAt}
          order by id for update)
        update nas_sessions set state = 'closed', ended_at = ${eventAt}, ended_by = ${status}
        where id in (select id from locked) and state <> 'closed'
        returning id, subscriber_id`,
  );
  if (closed.length === 0) return;
  await tx.execute(
    sql`insert into nas_session_changes (session_id, at, change, details)
        select id, ${eventAt}, 'closed_by_nas', ${JSON.stringify({ status })}::jsonb
        from unnest(${sql.param(closed.map((row) => Number(row.id)))}::bigint[]) as id`,
  );
  for (const subscriberId of new Set(closed.map((row) => row.subscriber_id))) {
    if (subscriberId !== null) await publishLive(tx, { topic: 'session', data: { subscriberId } });
  }
}
