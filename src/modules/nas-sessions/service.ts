import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import type { AppContext } from '../core/context.js';
import { publishLive } from '../live/service.js';
import { accountOfSession, type SessionAccount } from '../network/service.js';
import { macOf, option82Text } from './identity.js';
import type { AccountingOutcome, AccountingRecord } from './record.js';

export { type AccountingOutcome, type AccountingRecord, accountingRecord } from './record.js';

interface SessionRow {
  id: number;
  generation: number;
  state: 'open' | 'stale' | 'closed';
  start_seen: boolean;
  started_at: Date;
  last_event_at: Date;
  ended_at: Date | null;
  ended_by: string | null;
  framed_ip: string | null;
  framed_ipv6_prefix: string | null;
  delegated_ipv6_prefix: string | null;
  subscriber_id: number | null;
  account_id: number | null;
}

const rowsOf = async <T>(db: Db, query: SQL) => ((await db.execute(query)) as unknown as { rows: T[] }).rows;
const asDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));

/** The card refetches the subscriber's session panel. Ids only, as every wake-up. */
const wakeCard = (db: Db, subscriberId: number | null) =>
  subscriberId === null ? Promise.resolve() : publishLive(db, { topic: 'session', data: { subscriberId } });

/**
 * Applies one accounting record in one transaction, and resolves only once it is committed: the
 * adapter answers the NAS only then, so a failed write is retried by the NAS. A record already
 * applied (the NAS resent it with a new Acct-Delay-Time) is recognised by NAS, Acct-Session-Id,
 * generation, status type and event time, and changes nothing ('repeated'); one older than what
 * the session already holds changes nothing either ('late').
 */
export async function recordAccounting(ctx: AppContext, record: AccountingRecord): Promise<AccountingOutcome> {
  if (record.status === 'accounting_on' || record.status === 'accounting_off') {
    await closeSessionsOfNas(ctx, record.nas, record.status, record.eventAt);
    return 'applied';
  }
  const sessionId = record.sessionId ?? '';
  // Read outside the transaction: the network's connections do not change with the session.
  const account = await accountOf(ctx, record);
  return ctx.database.db.transaction(async (tx) => {
    // Two instances (or a NAS that resends to both) may bring records of one session at once: one
    // applies at a time, so generations and repeats are judged against what the other committed.
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${`nas-session:${record.nas}/${sessionId}`}, 0))`,
    );
    const [latest] = await rowsOf<SessionRow>(
      tx,
      sql`select id, generation, state, start_seen, started_at, last_event_at, ended_at, ended_by,
            framed_ip, framed_ipv6_prefix, delegated_ipv6_prefix, subscriber_id, account_id
          from nas_sessions where nas = ${record.nas} and acct_session_id = ${sessionId}
          order by generation desc limit 1`,
    );
    if (latest) {
      latest.started_at = asDate(latest.started_at);
      latest.last_event_at = asDate(latest.last_event_at);
      if (latest.ended_at) latest.ended_at = asDate(latest.ended_at);
    }
    if (record.status === 'start') return applyStart(tx, record, sessionId, latest, account);
    if (record.status === 'interim') return applyInterim(tx, record, sessionId, latest, account);
    return applyStop(tx, record, sessionId, latest, account);
  });
}

async function accountOf(ctx: AppContext, record: AccountingRecord): Promise<SessionAccount | null> {
  return accountOfSession(ctx.database.db, {
    pppoeLogin: record.userName,
    mac: macOf(record.callingStationId),
    ip: record.framedIp,
    circuitId: option82Text(record.circuitId),
    remoteId: option82Text(record.remoteId),
  });
}

const startOf = (record: AccountingRecord) =>
  record.sessionSeconds === null ? record.eventAt : new Date(record.eventAt.getTime() - record.sessionSeconds * 1000);

async function openGeneration(
  tx: Db,
  record: AccountingRecord,
  sessionId: string,
  generation: number,
  account: SessionAccount | null,
  how: { startSeen: boolean; closed: boolean },
): Promise<{ id: number }> {
  const startedAt = how.startSeen ? record.eventAt : startOf(record);
  const [inserted] = await rowsOf<{ id: number }>(
    tx,
    sql`insert into nas_sessions (nas, acct_session_id, generation, state, start_seen, started_at, last_event_at,
          ended_at, ended_by, terminate_cause, terminate_cause_words, user_name, calling_station_id, framed_ip,
          framed_ipv6_prefix, delegated_ipv6_prefix, input_bytes, output_bytes, circuit_id, remote_id,
          account_id, subscriber_id)
        values (${record.nas}, ${sessionId}, ${generation}, ${how.closed ? 'closed' : 'open'}, ${how.startSeen},
          ${startedAt}, ${record.eventAt}, ${how.closed ? record.eventAt : null}, ${how.closed ? 'stop' : null},
          ${record.terminateCause?.code ?? null}, ${record.terminateCause?.words ?? null}, ${record.userName},
          ${record.callingStationId}, ${record.framedIp}, ${record.framedIpv6Prefix}, ${record.delegatedIpv6Prefix},
          ${record.inputBytes ?? 0}, ${record.outputBytes ?? 0}, ${option82Text(record.circuitId)},
          ${option82Text(record.remoteId)}, ${account?.accountId ?? null}, ${account?.subscriberId ?? null})
        returning id`,
  );
  if (!inserted) throw new Error('insert returned no row');
  const change = how.startSeen ? 'started' : 'start_not_seen';
  await addChange(tx, inserted.id, startedAt, change, {
    framedIp: record.framedIp,
    matchedBy: account?.matchedBy ?? null,
  });
  if (how.closed) await addChange(tx, inserted.id, record.eventAt, 'stopped', stopDetails(record));
  await wakeCard(tx, account?.subscriberId ?? null);
  return inserted;
}

const stopDetails = (record: AccountingRecord) => ({
  cause: record.terminateCause?.words ?? null,
  inputBytes: record.inputBytes,
  outputBytes: record.outputBytes,
});

async function addChange(tx: Db, sessionId: number, at: Date, change: string, details: Record<string, unknown>) {
  await tx.execute(
    sql`insert into nas_session_changes (session_id, at, change, details)
        values (${sessionId}, ${at}, ${change}, ${JSON.stringify(details)}::jsonb)`,
  );
}

async function applyStart(
  tx: Db,
  record: AccountingRecord,
  sessionId: string,
  latest: SessionRow | undefined,
  account: SessionAccount | null,
): Promise<AccountingOutcome> {
  const [seen] = await rowsOf<{ id: number }>(
    tx,
    sql`select id from nas_sessions where nas = ${record.nas} and acct_session_id = ${sessionId}
          and start_seen and started_at = ${record.eventAt} limit 1`,
  );
  if (seen) return 'repeated';
  if (latest && !latest.start_seen && record.eventAt <= latest.last_event_at) {
    // Its Interim or Stop overtook it on the way: the Start belongs to that session and dates it.
    await tx.execute(
      sql`update nas_sessions set start_seen = true, started_at = ${record.eventAt} where id = ${latest.id}`,
    );
    await addChange(tx, latest.id, record.eventAt, 'started', { late: true });
    await wakeCard(tx, latest.subscriber_id);
    return 'late';
  }
  if (latest && latest.state !== 'closed') {
    // The NAS reused an id whose Stop never came: that session ended when this one began.
    await tx.execute(
      sql`update nas_sessions set state = 'closed', ended_at = ${record.eventAt}, ended_by = 'replaced'
          where id = ${latest.id}`,
    );
    await addChange(tx, latest.id, record.eventAt, 'replaced', {});
    await wakeCard(tx, latest.subscriber_id);
  }
  await openGeneration(tx, record, sessionId, (latest?.generation ?? 0) + 1, account, {
    startSeen: true,
    closed: false,
  });
  return 'applied';
}

async function applyInterim(
  tx: Db,
  record: AccountingRecord,
  sessionId: string,
  latest: SessionRow | undefined,
  account: SessionAccount | null,
): Promise<AccountingOutcome> {
  if (!latest) {
    await openGeneration(tx, record, sessionId, 1, account, { startSeen: false, closed: false });
    return 'applied';
  }
  // A late Interim never reopens a session, nor moves one back in time.
  if (latest.state === 'closed') return 'late';
  if (record.eventAt <= latest.last_event_at)
    return record.eventAt.getTime() === latest.last_event_at.getTime() ? 'repeated' : 'late';
  const addressChanged =
    (record.framedIp !== null && record.framedIp !== latest.framed_ip) ||
    (record.framedIpv6Prefix !== null && record.framedIpv6Prefix !== latest.framed_ipv6_prefix) ||
    (record.delegatedIpv6Prefix !== null && record.delegatedIpv6Prefix !== latest.delegated_ipv6_prefix);
  const matchedNow = latest.account_id === null && account !== null;
  await tx.execute(
    sql`update nas_sessions set state = 'open', last_event_at = ${record.eventAt},
          input_bytes = coalesce(${record.inputBytes}, input_bytes), output_bytes = coalesce(${record.outputBytes}, output_bytes),
          framed_ip = coalesce(${record.framedIp}, framed_ip),
          framed_ipv6_prefix = coalesce(${record.framedIpv6Prefix}, framed_ipv6_prefix),
          delegated_ipv6_prefix = coalesce(${record.delegatedIpv6Prefix}, delegated_ipv6_prefix),
          account_id = coalesce(account_id, ${account?.accountId ?? null}),
          subscriber_id = coalesce(subscriber_id, ${account?.subscriberId ?? null})
        where id = ${latest.id}`,
  );
  // Only changes of state go on the timeline: an Interim that only moves the counters adds nothing.
  if (latest.state === 'stale') await addChange(tx, latest.id, record.eventAt, 'resumed', {});
  if (addressChanged) {
    await addChange(tx, latest.id, record.eventAt, 'address', {
      framedIp: record.framedIp,
      framedIpv6Prefix: record.framedIpv6Prefix,
      delegatedIpv6Prefix: record.delegatedIpv6Prefix,
    });
  }
  if (latest.state === 'stale' || addressChanged || matchedNow) {
    await wakeCard(tx, latest.subscriber_id ?? account?.subscriberId ?? null);
  }
  return 'applied';
}

async function applyStop(
  tx: Db,
  record: AccountingRecord,
  sessionId: string,
  latest: SessionRow | undefined,
  account: SessionAccount | null,
): Promise<AccountingOutcome> {
  if (!latest) {
    await openGeneration(tx, record, sessionId, 1, account, { startSeen: false, closed: true });
    return 'applied';
  }
  if (latest.start_seen && record.eventAt < latest.started_at) return stopOfEarlierGeneration(tx, record, sessionId);
  if (latest.state === 'closed') {
    return latest.ended_by === 'stop' && latest.ended_at?.getTime() === record.eventAt.getTime() ? 'repeated' : 'late';
  }
  await tx.execute(
    sql`update nas_sessions set state = 'closed', ended_at = ${record.eventAt}, ended_by = 'stop',
          last_event_at = greatest(last_event_at, ${record.eventAt}::timestamptz),
          terminate_cause = ${record.terminateCause?.code ?? null},
          terminate_cause_words = ${record.terminateCause?.words ?? null},
          input_bytes = coalesce(${record.inputBytes}, input_bytes), output_bytes = coalesce(${record.outputBytes}, output_bytes),
          framed_ip = coalesce(framed_ip, ${record.framedIp}),
          account_id = coalesce(account_id, ${account?.accountId ?? null}),
          subscriber_id = coalesce(subscriber_id, ${account?.subscriberId ?? null})
        where id = ${latest.id}`,
  );
  await addChange(tx, latest.id, record.eventAt, 'stopped', stopDetails(record));
  await wakeCard(tx, latest.subscriber_id ?? account?.subscriberId ?? null);
  return 'applied';
}

/**
 * A Stop overtaken by the next Start of its id (two instances, or UDP reordering): the earlier
 * generation was closed as replaced when that Start came; the Stop gives it its real end and cause.
 */
async function stopOfEarlierGeneration(
  tx: Db,
  record: AccountingRecord,
  sessionId: string,
): Promise<AccountingOutcome> {
  const [earlier] = await rowsOf<{ id: number; ended_by: string | null; subscriber_id: number | null }>(
    tx,
    sql`select id, ended_by, subscriber_id from nas_sessions
        where nas = ${record.nas} and acct_session_id = ${sessionId} and started_at <= ${record.eventAt}
        order by generation desc limit 1`,
  );
  if (earlier?.ended_by !== 'replaced') return 'late';
  await tx.execute(
    sql`update nas_sessions set ended_at = ${record.eventAt}, ended_by = 'stop',
          terminate_cause = ${record.terminateCause?.code ?? null},
          terminate_cause_words = ${record.terminateCause?.words ?? null},
          input_bytes = coalesce(${record.inputBytes}, input_bytes), output_bytes = coalesce(${record.outputBytes}, output_bytes)
        where id = ${earlier.id}`,
  );
  await addChange(tx, earlier.id, record.eventAt, 'stopped', stopDetails(record));
  await wakeCard(tx, earlier.subscriber_id);
  return 'late';
}

/**
 * Accounting-On/Off (RFC 2866 §5.1): the NAS restarted or stops, so every session of that NAS
 * that began before it is over, whatever Acct-Session-Id the record carries. Other NASes'
 * sessions are untouched; the next Start of a closed id opens a new generation.
 */
async function closeSessionsOfNas(
  ctx: AppContext,
  nas: string,
  status: 'accounting_on' | 'accounting_off',
  eventAt: Date,
): Promise<void> {
  await ctx.database.db.transaction(async (tx) => {
    const closed = await rowsOf<{ id: number; subscriber_id: number | null }>(
      tx,
      sql`update nas_sessions set state = 'closed', ended_at = ${eventAt}, ended_by = ${status}
          where nas = ${nas} and state <> 'closed' and started_at <= ${eventAt}
          returning id, subscriber_id`,
    );
    if (closed.length === 0) return;
    await tx.execute(
      sql`insert into nas_session_changes (session_id, at, change, details)
          select id, ${eventAt}, 'closed_by_nas', ${JSON.stringify({ status })}::jsonb
          from unnest(${sql.raw(`array[${closed.map((row) => Number(row.id)).join(',')}]::bigint[]`)}) as id`,
    );
    for (const subscriberId of new Set(closed.map((row) => row.subscriber_id))) await wakeCard(tx, subscriberId);
  });
}
