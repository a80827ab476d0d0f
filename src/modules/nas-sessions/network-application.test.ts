import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NasAnswer } from '../../common/api/nas-sessions.js';
import type { AccountChangeRequest } from '../../common/api/subscribers.js';
import type { Database } from '../../db/connection.js';
import { testContext } from '../../testing/context.js';
import { openTestDatabase } from '../../testing/database.js';
import type { AppContext } from '../core/context.js';
import { runDueJobs } from '../jobs/service.js';
import { ACCOUNT_CHANGED_JOB, changeAccount } from '../subscribers/account-change.js';
import { sessionJobs } from './jobs.js';
import type { AccountService, NasRequests, SessionOnNas } from './nas-requests.js';
import { APPLY_ON_NAS_JOB, APPLY_TRIES, recordAccountChange } from './network-application.js';
import { sessionPanel } from './panel.js';
import { accountingRecord, recordAccounting } from './service.js';

/** The NAS as nas-sessions sees it (its own interface): what it was asked, and how it answers. */
function fakeNas() {
  const asked: { request: 'disconnect' | 'coa'; session: SessionOnNas; service?: AccountService }[] = [];
  const fake = {
    asked,
    answer: 'ack' as NasAnswer['answer'],
    errorCause: null as number | null,
    failWith: null as Error | null,
    speedInPlace: new Set(['bras-coa']),
  };
  const reply = (request: 'disconnect' | 'coa', session: SessionOnNas): NasAnswer => {
    if (fake.failWith) throw fake.failWith;
    return {
      request,
      nas: session.nas,
      acctSessionId: session.acctSessionId,
      answer: fake.answer,
      errorCause: fake.errorCause,
      errorCauseWords: fake.errorCause === null ? null : `cause ${fake.errorCause}`,
      answeredAt: now.toISOString(),
    };
  };
  const nas: NasRequests = {
    disconnect: async (session) => {
      asked.push({ request: 'disconnect', session });
      return reply('disconnect', session);
    },
    changeOfAuthorization: async (session, service) => {
      asked.push({ request: 'coa', session, service });
      return reply('coa', session);
    },
    changesSpeedInPlace: async (name) => fake.speedInPlace.has(name),
  };
  return { fake, nas };
}

let database: Database;
let ctx: AppContext;
let now = new Date('2026-11-25T12:00:00Z');
let adminId: number;
let accounts: { accountId: number; subscriberId: number; login: string }[];
let offeredTariffs: { id: number; download_mbps: number }[];
beforeAll(async () => {
  database = await openTestDatabase();
  ctx = testContext(database, { clock: () => now });
  const [admin] = await database.rows<{ id: number }>(sql`select id from staff where role = 'admin' limit 1`);
  adminId = admin?.id ?? 0;
  accounts = (
    await database.rows<{ account_id: number; subscriber_id: number; login: string }>(sql`
      select a.id as account_id, a.subscriber_id, sc.pppoe_login as login from service_connections sc
      join accounts a on a.id = sc.account_id
      where sc.method = 'pppoe' and a.state = 'active'
        and a.subscriber_id in (select subscriber_id from accounts group by 1 having count(*) = 1)
      order by sc.id limit 10`)
  ).map((row) => ({ accountId: row.account_id, subscriberId: row.subscriber_id, login: row.login }));
  offeredTariffs = await database.rows(sql`select id, download_mbps from tariffs where is_archived = 0 order by id`);
});
afterAll(() => database?.close());

let sessionCount = 0;
async function online(index: number, nas = 'bras-1') {
  const account = accounts[index];
  if (!account) throw new Error(`no account ${index}`);
  const sessionId = `app-${++sessionCount}`;
  await recordAccounting(
    ctx,
    accountingRecord({
      nas,
      status: 'start',
      sessionId,
      eventAt: new Date(now.getTime() - 600_000),
      userName: account.login,
      framedIp: `100.64.9.${sessionCount}`,
    }),
  );
  return { ...account, sessionId };
}

const change = (account: { subscriberId: number; accountId: number }, request: Omit<AccountChangeRequest, 'reason'>) =>
  changeAccount(ctx, { id: adminId }, account.subscriberId, { reason: 'test', ...request }, null);

const anotherTariff = async (accountId: number) => {
  const [row] = await database.rows<{ tariff_id: number }>(sql`select tariff_id from accounts where id = ${accountId}`);
  const tariff = offeredTariffs.find((offered) => offered.id !== row?.tariff_id);
  if (!tariff) throw new Error('no other tariff');
  return tariff;
};

/** Runs every job due now, as the job runner would, until none is left. */
async function runJobs(nas: NasRequests) {
  const handlers = sessionJobs(nas);
  while ((await runDueJobs(ctx, handlers)) > 0) {}
}

const application = async (subscriberId: number) => (await sessionPanel(ctx, subscriberId)).application;

describe('an account change on its way to the network', () => {
  it('a block with the session online: "waiting" on the card, a Disconnect to the NAS, "applied" on its ACK', async () => {
    const { fake, nas } = fakeNas();
    const account = await online(0);
    await change(account, { state: 'blocked_debt' });
    await runDueJobs(ctx, { [ACCOUNT_CHANGED_JOB]: recordAccountChange });
    expect(await application(account.subscriberId)).toMatchObject({
      reason: 'account-state',
      state: 'waiting',
      lastAnswer: null,
    });
    const [wake] = await database.rows<{ data: { subscriberId: number } }>(
      sql`select data from live_events where topic = 'session' order by id desc limit 1`,
    );
    expect(wake?.data).toEqual({ subscriberId: account.subscriberId });
    await runJobs(nas);
    expect(fake.asked).toEqual([
      {
        request: 'disconnect',
        session: {
          nas: 'bras-1',
          acctSessionId: account.sessionId,
          userName: account.login,
          framedIp: expect.any(String),
        },
      },
    ]);
    expect(await application(account.subscriberId)).toMatchObject({
      state: 'applied',
      lastAnswer: { request: 'disconnect', answer: 'ack', acctSessionId: account.sessionId },
    });
  });

  it('a tariff change on a NAS that changes speed in place is a CoA with the new speed', async () => {
    const { fake, nas } = fakeNas();
    const account = await online(1, 'bras-coa');
    const tariff = await anotherTariff(account.accountId);
    await change(account, { tariffId: tariff.id });
    await runJobs(nas);
    expect(fake.asked).toMatchObject([
      { request: 'coa', service: { state: 'active', downloadMbps: tariff.download_mbps } },
    ]);
    expect(await application(account.subscriberId)).toMatchObject({ reason: 'tariff', state: 'applied' });
  });

  it('a tariff change on a NAS that cannot is a Disconnect: the next login gets the speed', async () => {
    const { fake, nas } = fakeNas();
    const account = await online(2, 'bras-old');
    await change(account, { tariffId: (await anotherTariff(account.accountId)).id });
    await runJobs(nas);
    expect(fake.asked.map((asked) => asked.request)).toEqual(['disconnect']);
  });

  it('without a session online it is applied at once, and no NAS is asked', async () => {
    const { fake, nas } = fakeNas();
    const account = accounts[3];
    if (!account) throw new Error('no account');
    await change(account, { state: 'suspended' });
    await runJobs(nas);
    expect(fake.asked).toEqual([]);
    expect(await application(account.subscriberId)).toMatchObject({ state: 'applied', lastAnswer: null });
  });

  it('a NAK is "refused" and asked again later, a few times, until the NAS takes it', async () => {
    const { fake, nas } = fakeNas();
    const account = await online(4);
    fake.answer = 'nak';
    fake.errorCause = 506;
    await change(account, { state: 'blocked_debt' });
    await runJobs(nas);
    expect(await application(account.subscriberId)).toMatchObject({
      state: 'refused',
      lastAnswer: { answer: 'nak', errorCause: 506 },
    });
    expect(fake.asked).toHaveLength(1);
    // Not before its time…
    await runJobs(nas);
    expect(fake.asked).toHaveLength(1);
    // …then again, and an ACK applies it.
    now = new Date(now.getTime() + 10_000);
    fake.answer = 'ack';
    fake.errorCause = null;
    await runJobs(nas);
    expect(fake.asked).toHaveLength(2);
    expect(await application(account.subscriberId)).toMatchObject({ state: 'applied' });
  });

  it('a NAS that never answers is asked a few times, then the change stays "refused" with no job left', async () => {
    const { fake, nas } = fakeNas();
    const account = await online(5);
    fake.answer = 'no-answer';
    await change(account, { state: 'blocked_debt' });
    for (let i = 0; i < 10; i++) {
      await runJobs(nas);
      now = new Date(now.getTime() + 600_000);
    }
    expect(fake.asked).toHaveLength(APPLY_TRIES);
    expect(await application(account.subscriberId)).toMatchObject({ state: 'refused' });
    const [pending] = await database.rows<{ n: number }>(
      sql`select count(*)::int as n from jobs where kind = ${APPLY_ON_NAS_JOB} and state = 'pending'`,
    );
    expect(pending?.n).toBe(0);
  });

  it('a NAS no longer listed is "refused" with the reason in words', async () => {
    const { fake, nas } = fakeNas();
    const account = await online(6);
    fake.failWith = new Error('NAS bras-1 is not in the NAS list');
    await change(account, { state: 'blocked_debt' });
    await runJobs(nas);
    expect(await application(account.subscriberId)).toMatchObject({
      state: 'refused',
      lastAnswer: { answer: 'no-answer', errorCauseWords: 'NAS bras-1 is not in the NAS list' },
    });
  });

  it('a NAS that no longer holds the session (503 Session Context Not Found) applies it: the next login gets it', async () => {
    const { fake, nas } = fakeNas();
    const account = await online(7);
    fake.answer = 'nak';
    fake.errorCause = 503;
    await change(account, { state: 'blocked_debt' });
    await runJobs(nas);
    expect(await application(account.subscriberId)).toMatchObject({ state: 'applied' });
  });

  it('a block then a tariff change before the NAS was asked: one Disconnect for both, both applied', async () => {
    const { fake, nas } = fakeNas();
    const account = await online(8, 'bras-coa');
    await change(account, { state: 'blocked_debt' });
    await change(account, { tariffId: (await anotherTariff(account.accountId)).id });
    await runJobs(nas);
    // The tariff alone would be a CoA on this NAS; the block still waiting makes it a Disconnect.
    expect(fake.asked.map((asked) => asked.request)).toEqual(['disconnect']);
    const states = await database.rows<{ reason: string; state: string }>(
      sql`select reason, state from nas_applications where account_id = ${account.accountId} order by change_number`,
    );
    expect(states).toEqual([
      { reason: 'account-state', state: 'applied' },
      { reason: 'tariff', state: 'applied' },
    ]);
    expect(await application(account.subscriberId)).toMatchObject({ reason: 'tariff', state: 'applied' });
  });

  it('each handler run twice does it once: one application, one request to the NAS', async () => {
    const { fake, nas } = fakeNas();
    const account = await online(9);
    await change(account, { state: 'blocked_debt' });
    const [event] = await database.rows<{ payload: Record<string, unknown> }>(
      sql`select payload from jobs where kind = ${ACCOUNT_CHANGED_JOB} and payload->>'accountId' = ${String(account.accountId)}`,
    );
    if (!event) throw new Error('no event');
    await recordAccountChange(ctx, event.payload);
    await recordAccountChange(ctx, event.payload);
    await runJobs(nas);
    const rows = await database.rows<{ id: number }>(
      sql`select id from nas_applications where account_id = ${account.accountId}`,
    );
    expect(rows).toHaveLength(1);
    expect(fake.asked).toHaveLength(1);
    const apply = sessionJobs(nas)[APPLY_ON_NAS_JOB];
    await apply?.(ctx, { applicationId: rows[0]?.id });
    await apply?.(ctx, { applicationId: rows[0]?.id });
    expect(fake.asked).toHaveLength(1);
  });
});
