import { type SQL, sql } from 'drizzle-orm';
import type { NasAnswer, NetworkApplication } from '../../common/api/nas-sessions.js';
import type { Db } from '../../db/connection.js';
import type { AppContext } from '../core/context.js';
import { Problem } from '../core/problem.js';
import { type JobHandler, scheduleJob } from '../jobs/service.js';
import { publishLive } from '../live/service.js';
import type { AccountChanged } from '../subscribers/account-change.js';
import { accountProfileOf } from '../subscribers/account-profile.js';
import type { NasRequests, SessionOnNas } from './nas-requests.js';

/**
 * An account's change on its way to the network (issue 14, "Telling the NAS"). Subscribers writes
 * the change and its event (a job) in one transaction; here the event is recorded as an
 * application (`waiting`), and a second job asks the NAS of each open session of the account:
 * Disconnect for a state change (the session logs in again and the authorize endpoint gives it
 * the new state), CoA for a speed change where the NAS changes speed in place. An ACK makes it
 * `applied`; a NAK or no answer `refused`, asked again a few times. Without a session online it is
 * `applied` at once: the next login gets the new state.
 */
export const APPLY_ON_NAS_JOB = 'nas-sessions.apply-on-nas';

/** After the 1st, 2nd… refused try: the next one in 10 s, 30 s, 1 min, 5 min; then it stays refused. */
const RETRY_AFTER_SECONDS = [10, 30, 60, 300];
export const APPLY_TRIES = RETRY_AFTER_SECONDS.length + 1;

const rowsOf = async <T>(db: Db, query: SQL) => ((await db.execute(query)) as unknown as { rows: T[] }).rows;
const wakeCard = (db: Db, subscriberId: number) => publishLive(db, { topic: 'session', data: { subscriberId } });
const applyJobKey = (applicationId: number) => `nas-application:${applicationId}`;

const isWholeNumber = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);

/**
 * The handler of subscribers' `subscribers.account-changed`: records the application and schedules
 * the request to the NAS, once per change (a repeat of the job finds its change number taken).
 */
export async function recordAccountChange(ctx: AppContext, payload: Record<string, unknown>): Promise<void> {
  const event = payload as Partial<AccountChanged>;
  if (
    !isWholeNumber(event.accountId) ||
    !isWholeNumber(event.subscriberId) ||
    !isWholeNumber(event.changeNumber) ||
    (event.reason !== 'account-state' && event.reason !== 'tariff')
  ) {
    throw new Error(`not an account change: ${JSON.stringify(payload)}`);
  }
  const now = ctx.clock();
  await ctx.database.db.transaction(async (tx) => {
    const [recorded] = await rowsOf<{ id: number }>(
      tx,
      sql`insert into nas_applications (change_number, account_id, subscriber_id, reason, state, requested_at, updated_at)
          values (${event.changeNumber}, ${event.accountId}, ${event.subscriberId}, ${event.reason}, 'waiting', ${now}, ${now})
          on conflict (change_number) do nothing returning id`,
    );
    if (!recorded) return;
    const applicationId = Number(recorded.id);
    await scheduleJob(tx, {
      kind: APPLY_ON_NAS_JOB,
      key: applyJobKey(applicationId),
      runAt: now,
      payload: { applicationId },
    });
    await wakeCard(tx, event.subscriberId as number);
  });
}

interface ApplicationRow {
  id: number;
  change_number: string;
  account_id: number;
  subscriber_id: number;
  reason: NetworkApplication['reason'];
  state: NetworkApplication['state'];
  attempts: number;
}

interface SessionRow {
  nas: string;
  acct_session_id: string;
  user_name: string | null;
  framed_ip: string | null;
}

const sessionOnNas = (row: SessionRow): SessionOnNas => ({
  nas: row.nas,
  acctSessionId: row.acct_session_id,
  userName: row.user_name,
  framedIp: row.framed_ip,
});

/**
 * RFC 5176 §3.6's 503 Session Context Not Found: the NAS holds no such session (it ended and its
 * Stop was lost), so its next login gets the account as it is now.
 */
const takesEffect = (answer: NasAnswer) => answer.answer === 'ack' || answer.errorCause === 503;

/**
 * The job that asks the NAS (given by src/server/jobs.ts from the integration). Idempotent: an
 * application already applied, or taken over by a later change of the account, is left alone; a
 * repeated run asks the NAS again, which a NAS takes as one more of the same request.
 */
export function applyOnNasJob(nas: NasRequests): JobHandler {
  return async (ctx, payload) => {
    const applicationId = Number(payload.applicationId);
    const [application] = await ctx.database.rows<ApplicationRow>(
      sql`select id, change_number::text, account_id, subscriber_id, reason, state, attempts
          from nas_applications where id = ${applicationId}`,
    );
    if (!application || application.state === 'applied') return;
    // A later change of the account asks the NAS for everything since the last one applied.
    const [later] = await ctx.database.rows<{ id: number }>(
      sql`select id from nas_applications where account_id = ${application.account_id}
          and change_number > ${application.change_number}::bigint limit 1`,
    );
    if (later) return;
    const sessions = await ctx.database.rows<SessionRow>(
      sql`select nas, acct_session_id, user_name, framed_ip from nas_sessions
          where account_id = ${application.account_id} and state <> 'closed' order by started_at, id`,
    );
    const answers: NasAnswer[] = [];
    if (sessions.length > 0) {
      const [stateChange] = await ctx.database.rows<{ id: number }>(
        sql`select id from nas_applications where account_id = ${application.account_id}
            and change_number <= ${application.change_number}::bigint and state <> 'applied'
            and reason = 'account-state' limit 1`,
      );
      const profile = await accountProfileOf(ctx, application.account_id);
      if (!profile) throw new Error(`account ${application.account_id} is gone`);
      const service = { state: profile.state, downloadMbps: profile.downloadMbps };
      for (const row of sessions) {
        const session = sessionOnNas(row);
        const reauthenticate =
          stateChange !== undefined || service.state === 'closed' || !(await nas.changesSpeedInPlace(session.nas));
        answers.push(
          await (reauthenticate ? nas.disconnect(session) : nas.changeOfAuthorization(session, service)).catch(
            (error: Error): NasAnswer => ({
              request: reauthenticate ? 'disconnect' : 'coa',
              nas: session.nas,
              acctSessionId: session.acctSessionId,
              answer: 'no-answer',
              errorCause: null,
              errorCauseWords: error.message,
              answeredAt: ctx.clock().toISOString(),
            }),
          ),
        );
      }
    }
    const applied = answers.every(takesEffect);
    const lastAnswer = answers.find((answer) => !takesEffect(answer)) ?? answers.at(-1) ?? null;
    const attempts = application.attempts + 1;
    const now = ctx.clock();
    ctx.log.info(
      { applicationId, accountId: application.account_id, attempts, applied, answers: answers.map((a) => a.answer) },
      'account change asked of the NAS',
    );
    await ctx.database.db.transaction(async (tx) => {
      const settled = await rowsOf<{ id: number }>(
        tx,
        sql`update nas_applications set state = ${applied ? 'applied' : 'refused'}, attempts = ${attempts},
              last_answer = ${lastAnswer === null ? null : JSON.stringify(lastAnswer)}::jsonb, updated_at = ${now}
            where id = ${applicationId} and state <> 'applied' returning id`,
      );
      if (settled.length === 0) return;
      if (applied) {
        // The earlier changes still waiting were asked for with this one.
        await tx.execute(
          sql`update nas_applications set state = 'applied', updated_at = ${now}
              where account_id = ${application.account_id} and change_number < ${application.change_number}::bigint
                and state <> 'applied'`,
        );
      } else if (attempts < APPLY_TRIES) {
        const delay = RETRY_AFTER_SECONDS[attempts - 1] ?? 300;
        await scheduleJob(tx, {
          kind: APPLY_ON_NAS_JOB,
          key: applyJobKey(applicationId),
          runAt: new Date(now.getTime() + delay * 1000),
          payload: { applicationId },
        });
      }
      await wakeCard(tx, application.subscriber_id);
    });
  };
}

/** The account's latest change on its way to the network, for the card's session panel. */
export async function latestApplication(
  ctx: AppContext,
  subscriberId: number,
  accountId?: number,
): Promise<NetworkApplication | null> {
  const [row] = await ctx.database.rows<{
    reason: NetworkApplication['reason'];
    state: NetworkApplication['state'];
    requested_at: Date | string;
    last_answer: NasAnswer | string | null;
  }>(
    sql`select reason, state, requested_at, last_answer from nas_applications
        where subscriber_id = ${subscriberId} ${accountId === undefined ? sql`` : sql`and account_id = ${accountId}`}
        order by change_number desc limit 1`,
  );
  if (!row) return null;
  return {
    reason: row.reason,
    state: row.state,
    requestedAt: new Date(row.requested_at).toISOString(),
    lastAnswer: typeof row.last_answer === 'string' ? JSON.parse(row.last_answer) : row.last_answer,
  };
}

export type SessionAction = 'disconnect' | 'reapply';

/**
 * An agent's request to the NAS about the subscriber's current session (online, or not heard of
 * lately: the NAS knows better): `disconnect` ends it, `reapply` sends the account's service
 * again by CoA (a closed account's session is disconnected). 409 without a session. A Disconnect
 * the NAS acknowledged also applies the account's changes still waiting: the session logs in
 * again with the account as it is.
 */
export async function actOnCurrentSession(
  ctx: AppContext,
  nas: NasRequests,
  subscriberId: number,
  action: SessionAction,
  accountId?: number,
): Promise<NasAnswer> {
  const [current] = await ctx.database.rows<SessionRow & { account_id: number | null }>(
    sql`select nas, acct_session_id, user_name, framed_ip, account_id from nas_sessions
        where subscriber_id = ${subscriberId} and state <> 'closed'
          ${accountId === undefined ? sql`` : sql`and account_id = ${accountId}`}
        order by started_at desc, id desc limit 1`,
  );
  if (!current) {
    throw new Problem(
      'nas-sessions.no-session-online',
      409,
      'No session of this subscriber is online',
      'The NAS has reported no open session: there is nothing to disconnect or change.',
    );
  }
  const session = sessionOnNas(current);
  const profile = current.account_id === null ? null : await accountProfileOf(ctx, current.account_id);
  const answer =
    action === 'reapply' && profile && profile.state !== 'closed'
      ? await nas.changeOfAuthorization(session, { state: profile.state, downloadMbps: profile.downloadMbps })
      : await nas.disconnect(session);
  if (answer.request === 'disconnect' && answer.answer === 'ack' && current.account_id !== null) {
    const accountId = current.account_id;
    await ctx.database.db.transaction(async (tx) => {
      const applied = await rowsOf<{ id: number }>(
        tx,
        sql`update nas_applications set state = 'applied', last_answer = ${JSON.stringify(answer)}::jsonb,
              updated_at = ${ctx.clock()}
            where account_id = ${accountId} and state <> 'applied' returning id`,
      );
      if (applied.length > 0) await wakeCard(tx, subscriberId);
    });
  }
  return answer;
}
