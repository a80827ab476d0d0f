import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../common/api/staff.js';
import type { AccountChangeResult, SubscriberCard } from '../../common/api/subscribers.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { ACCOUNT_CHANGED_JOB } from './account-change.js';

let t: TestApp;
let admin: string;
let subscriberId: number;
let accountId: number;
let otherTariff: { id: number; name: string };
let archivedTariffId: number;
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.loginAs('admin');
  const [account] = await t.database.rows<{ id: number; subscriber_id: number; tariff_id: number }>(sql`
    select id, subscriber_id, tariff_id from accounts where state = 'active'
      and subscriber_id in (select subscriber_id from accounts group by 1 having count(*) = 1)
    order by id limit 1`);
  subscriberId = account?.subscriber_id ?? 0;
  accountId = account?.id ?? 0;
  const offered = await t.database.rows<{ id: number; name: string }>(
    sql`select id, name from tariffs where is_archived = 0 and id <> ${account?.tariff_id ?? 0} order by id`,
  );
  otherTariff = offered[0] ?? { id: 0, name: '' };
  archivedTariffId = offered[1]?.id ?? 0;
  await t.database.db.execute(sql`update tariffs set is_archived = 1 where id = ${archivedTariffId}`);
});
afterAll(() => t?.close());

const patch = (payload: object, cookie = admin, id = subscriberId) =>
  t.app.inject({ method: 'PATCH', url: `/api/subscribers/${id}/account`, headers: { cookie }, payload });

const account = async () => {
  const [row] = await t.database.rows<{ state: string; tariff_id: number }>(
    sql`select state, tariff_id from accounts where id = ${accountId}`,
  );
  return row;
};

const eventsOf = () =>
  t.database.rows<{ payload: Record<string, unknown> }>(
    sql`select payload from jobs where kind = ${ACCOUNT_CHANGED_JOB} and payload->>'accountId' = ${String(accountId)} order by id`,
  );

const auditRows = () =>
  t.database.rows<{ staff_id: number; details: { accountId: number; reason: string; changes: unknown[] } }>(
    sql`select staff_id, details from audit_log where action = 'subscribers.account-changed'
        and target_id = ${String(subscriberId)} order by id`,
  );

describe('PATCH /api/subscribers/:id/account', () => {
  it('an administrator blocks an account for debt: the card says so, the audit log says who and why, and the network is told', async () => {
    const response = await patch({ state: 'blocked_debt', reason: 'Debt of 1 200 ₽ since October' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ accountId, state: 'blocked_debt' });
    const card = await t.app.inject({ url: `/api/subscribers/${subscriberId}`, headers: { cookie: admin } });
    expect((card.json() as SubscriberCard).account.state).toBe('blocked_debt');
    const [audit] = await auditRows();
    expect(audit?.details).toEqual({
      accountId,
      reason: 'Debt of 1 200 ₽ since October',
      changes: [{ field: 'state', from: 'active', to: 'blocked_debt' }],
    });
    const [event] = await eventsOf();
    expect(event?.payload).toMatchObject({ accountId, subscriberId, reason: 'account-state' });
  });

  it('a tariff change moves the tariff history on and asks for a speed change, not a state change', async () => {
    const response = await patch({ tariffId: otherTariff.id, reason: 'Subscriber asked for a faster tariff' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json() as AccountChangeResult).toEqual({
      accountId,
      state: 'blocked_debt',
      tariffId: otherTariff.id,
      tariffName: otherTariff.name,
    });
    const history = await t.database.rows<{ tariff_id: number; valid_to: string | null }>(
      sql`select tariff_id, valid_to::text from account_tariffs where account_id = ${accountId} order by id desc limit 2`,
    );
    expect(history[0]).toEqual({ tariff_id: otherTariff.id, valid_to: null });
    expect(history[1]?.valid_to).not.toBeNull();
    const events = await eventsOf();
    expect(events.at(-1)?.payload).toMatchObject({ reason: 'tariff' });
    // Each change has its own number, the later one higher.
    expect(Number(events.at(-1)?.payload.changeNumber)).toBeGreaterThan(Number(events.at(-2)?.payload.changeNumber));
  });

  it.each<Role>(['l1', 'l2', 'l3', 'supervisor', 'tech'])(
    'refuses %s: only an administrator sets an account by hand, and nothing changes',
    async (role) => {
      const before = await account();
      const response = await patch({ state: 'active', reason: 'Trying' }, await t.loginAs(role));
      expect(response.statusCode).toBe(403);
      expect(await account()).toEqual(before);
    },
  );

  it('refuses bad input with 400 and changes nothing: no reason, a blank one, an unknown state or field', async () => {
    const before = await account();
    const jobs = (await eventsOf()).length;
    for (const payload of [
      { state: 'active' },
      { state: 'active', reason: '   ' },
      { state: 'frozen', reason: 'x' },
      { state: 'active', reason: 'x', balanceKopecks: 0 },
      { tariffId: 'fast', reason: 'x' },
      { state: 'active', reason: 'x'.repeat(501) },
    ]) {
      const response = await patch(payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    expect(await account()).toEqual(before);
    expect(await eventsOf()).toHaveLength(jobs);
  });

  it('404 for a subscriber that does not exist or an account not theirs', async () => {
    expect((await patch({ state: 'active', reason: 'x' }, admin, 2_000_000_000)).statusCode).toBe(404);
    const [foreign] = await t.database.rows<{ id: number }>(
      sql`select id from accounts where subscriber_id <> ${subscriberId} limit 1`,
    );
    expect((await patch({ accountId: foreign?.id, state: 'active', reason: 'x' })).statusCode).toBe(404);
  });

  it('409 for a tariff not offered, and for a change that changes nothing; neither is audited', async () => {
    const audited = (await auditRows()).length;
    const archived = await patch({ tariffId: archivedTariffId, reason: 'Old tariff' });
    expect(archived.statusCode).toBe(409);
    expect(archived.json()).toMatchObject({ code: 'account.tariff_not_offered' });
    const unknown = await patch({ tariffId: 2_000_000_000, reason: 'No such tariff' });
    expect(unknown.statusCode).toBe(409);
    const same = await patch({ state: 'blocked_debt', tariffId: otherTariff.id, reason: 'Again' });
    expect(same.statusCode).toBe(409);
    expect(same.json()).toMatchObject({ code: 'account.nothing_to_change' });
    expect(await auditRows()).toHaveLength(audited);
  });
});
