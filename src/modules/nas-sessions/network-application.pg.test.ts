import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NasAnswer } from '../../common/api/nas-sessions.js';
import { startSecondInstance, startTestApp, type TestApp } from '../../testing/test-app.js';
import { runDueJobs } from '../jobs/service.js';
import { ACCOUNT_CHANGED_JOB } from '../subscribers/account-change.js';
import { sessionJobs } from './jobs.js';
import type { NasRequests, SessionOnNas } from './nas-requests.js';
import { recordAccountChange } from './network-application.js';
import { sessionPanel } from './panel.js';
import { accountingRecord, recordAccounting } from './service.js';

// PostgreSQL only: two administrators on two instances changing one account at the same moment,
// and the jobs that carry the change to the NAS run by both instances at once.
let first: TestApp;
let second: TestApp;
let cookies: [string, string];
const asked: string[] = [];
const ack = (request: NasAnswer['request'], session: SessionOnNas): NasAnswer => ({
  request,
  nas: session.nas,
  acctSessionId: session.acctSessionId,
  answer: 'ack',
  errorCause: null,
  errorCauseWords: null,
  answeredAt: new Date().toISOString(),
});
const nas: NasRequests = {
  disconnect: async (session) => {
    asked.push(`disconnect ${session.acctSessionId}`);
    return ack('disconnect', session);
  },
  changeOfAuthorization: async (session) => {
    asked.push(`coa ${session.acctSessionId}`);
    return ack('coa', session);
  },
  changesSpeedInPlace: async () => true,
};

let accounts: { accountId: number; subscriberId: number; login: string }[];
let tariffs: { id: number; name: string }[];
beforeAll(async () => {
  first = await startTestApp();
  second = await startSecondInstance(first);
  cookies = [await first.loginAs('admin'), await second.loginAs('admin')];
  accounts = (
    await first.database.rows<{ account_id: number; subscriber_id: number; login: string }>(sql`
      select a.id as account_id, a.subscriber_id, sc.pppoe_login as login from service_connections sc
      join accounts a on a.id = sc.account_id
      where sc.method = 'pppoe' and a.state = 'active'
        and a.subscriber_id in (select subscriber_id from accounts group by 1 having count(*) = 1)
      order by sc.id limit 20`)
  ).map((row) => ({ accountId: row.account_id, subscriberId: row.subscriber_id, login: row.login }));
  tariffs = await first.database.rows(sql`select id, name from tariffs where is_archived = 0 order by id`);
  for (const [i, account] of accounts.entries()) {
    await recordAccounting(
      first.ctx,
      accountingRecord({
        nas: 'bras-1',
        status: 'start',
        sessionId: `race-${i}`,
        eventAt: new Date(first.ctx.clock().getTime() - 60_000),
        userName: account.login,
      }),
    );
  }
});
afterAll(async () => {
  await second?.close();
  await first?.close();
});

const patch = (instance: TestApp, cookie: string, subscriberId: number, payload: object) =>
  instance.app.inject({
    method: 'PATCH',
    url: `/api/subscribers/${subscriberId}/account`,
    headers: { cookie },
    payload,
  });

async function drainJobsOnBoth() {
  const handlers = sessionJobs(nas);
  for (;;) {
    const [a, b] = await Promise.all([runDueJobs(first.ctx, handlers), runDueJobs(second.ctx, handlers)]);
    if (a + b === 0) return;
  }
}

describe('two administrators changing one account at once', () => {
  it('a state and a tariff at once: both apply and are audited, no event is lost, and the card shows the later commit', async () => {
    for (let round = 0; round < 8; round++) {
      const account = accounts[round];
      if (!account) throw new Error('no account');
      const [current] = await first.database.rows<{ tariff_id: number }>(
        sql`select tariff_id from accounts where id = ${account.accountId}`,
      );
      const tariff = tariffs.find((offered) => offered.id !== current?.tariff_id);
      const responses = await Promise.all([
        patch(first, cookies[0], account.subscriberId, { state: 'blocked_debt', reason: `round ${round}: debt` }),
        patch(second, cookies[1], account.subscriberId, { tariffId: tariff?.id, reason: `round ${round}: tariff` }),
      ]);
      expect(responses.map((response) => response.statusCode)).toEqual([200, 200]);
      const [after] = await first.database.rows<{ state: string; tariff_id: number }>(
        sql`select state, tariff_id from accounts where id = ${account.accountId}`,
      );
      expect(after).toEqual({ state: 'blocked_debt', tariff_id: tariff?.id });

      const audit = await first.database.rows<{ reason: string }>(
        sql`select details->>'reason' as reason from audit_log where action = 'subscribers.account-changed'
            and target_id = ${String(account.subscriberId)} order by id`,
      );
      expect(audit.map((row) => row.reason).sort()).toEqual([`round ${round}: debt`, `round ${round}: tariff`]);
      const events = await first.database.rows<{ id: number }>(
        sql`select id from jobs where kind = ${ACCOUNT_CHANGED_JOB} and payload->>'accountId' = ${String(account.accountId)}`,
      );
      expect(events).toHaveLength(2);

      await drainJobsOnBoth();
      const lastCommitted = audit.at(-1)?.reason.endsWith('debt') ? 'account-state' : 'tariff';
      const panel = await sessionPanel(first.ctx, account.subscriberId);
      expect(panel.application).toMatchObject({ reason: lastCommitted, state: 'applied' });
      const applications = await first.database.rows<{ reason: string; state: string }>(
        sql`select reason, state from nas_applications where account_id = ${account.accountId} order by change_number`,
      );
      expect(applications.map((row) => row.reason)).toEqual(
        lastCommitted === 'tariff' ? ['account-state', 'tariff'] : ['tariff', 'account-state'],
      );
      expect(applications.every((row) => row.state === 'applied')).toBe(true);
      // The block reached the NAS as a Disconnect, whichever commit came last.
      expect(asked).toContain(`disconnect race-${round}`);
    }
  });

  it('the same change twice at once: one applies and is audited, the other is told nothing changed', async () => {
    for (let round = 8; round < 14; round++) {
      const account = accounts[round];
      if (!account) throw new Error('no account');
      const responses = await Promise.all([
        patch(first, cookies[0], account.subscriberId, { state: 'suspended', reason: 'first' }),
        patch(second, cookies[1], account.subscriberId, { state: 'suspended', reason: 'second' }),
      ]);
      expect(responses.map((response) => response.statusCode).sort()).toEqual([200, 409]);
      const [audited] = await first.database.rows<{ n: number }>(
        sql`select count(*)::int as n from audit_log where action = 'subscribers.account-changed'
            and target_id = ${String(account.subscriberId)}`,
      );
      expect(audited?.n).toBe(1);
    }
  });

  it('the event handled by both instances at once records one application', async () => {
    const account = accounts[14];
    if (!account) throw new Error('no account');
    expect((await patch(first, cookies[0], account.subscriberId, { state: 'suspended', reason: 'x' })).statusCode).toBe(
      200,
    );
    const [event] = await first.database.rows<{ payload: Record<string, unknown> }>(
      sql`select payload from jobs where kind = ${ACCOUNT_CHANGED_JOB} and payload->>'accountId' = ${String(account.accountId)}`,
    );
    await Promise.all([
      recordAccountChange(first.ctx, event?.payload ?? {}),
      recordAccountChange(second.ctx, event?.payload ?? {}),
    ]);
    const [rows] = await first.database.rows<{ n: number; jobs: number }>(
      sql`select count(*)::int as n,
            (select count(*)::int from jobs where key = 'nas-application:' || min(a.id)) as jobs
          from nas_applications a where a.account_id = ${account.accountId}`,
    );
    expect(rows).toEqual({ n: 1, jobs: 1 });
  });
});
