import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubscriberCard, SubscriberList } from '../../common/api/subscribers.js';
import { TEST_DEMO } from '../../testing/demo.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
let l1: string;
beforeAll(async () => {
  t = await startTestApp();
  l1 = await t.loginAs('l1');
});
afterAll(async () => {
  await t.close();
});

const list = async (query: string, cookie = l1) => {
  const response = await t.app.inject({ url: `/api/subscribers?${query}`, headers: { cookie } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as SubscriberList;
};

describe('the subscriber card', () => {
  it('shows holder, contract, account, tariff, equipment, address and connection in full', async () => {
    const { items } = await list('kind=person&limit=1');
    const response = await t.app.inject({ url: `/api/subscribers/${items[0]!.id}`, headers: { cookie: l1 } });
    expect(response.statusCode).toBe(200);
    const card = response.json() as SubscriberCard;
    expect(card.holder.surname).toBeTruthy();
    expect(card.account.number).toMatch(/^\d{8}$/);
    expect(card.contract.number).toMatch(/^LD-\d{4}-\d{6}$/);
    expect(card.tariff.current.monthlyFeeKopecks).toBeGreaterThan(0);
    expect(card.address.text).toContain('д.');
    expect(card.connection).not.toBeNull();
    expect(card.lastLedgerEntries?.length).toBeGreaterThan(0);
    const [ledger] = await t.database.rows<{ sum: number }>(
      sql`select coalesce(sum(amount_kopecks), 0)::bigint as sum from ledger_entries where account_id = ${card.account.id}`,
    );
    expect(card.account.balanceKopecks).toBe(Number(ledger!.sum));
  });

  it('writes every opening to the audit log with who and from where', async () => {
    const { items } = await list('kind=person&limit=1&offset=5');
    const id = items[0]!.id;
    await t.app.inject({ url: `/api/subscribers/${id}`, headers: { cookie: l1 }, remoteAddress: '10.20.30.40' });
    const rows = await t.database.rows<{ staff_id: number; ip: string }>(sql`
      select a.staff_id, a.ip from audit_log a
      where a.action = 'subscriber.card_opened' and a.target_id = ${String(id)}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.ip).toBe('10.20.30.40');
  });

  it('shows an announced price increase of the tariff', async () => {
    const [row] = await t.database.rows<{ id: number }>(sql`
      select a.subscriber_id as id from accounts a
      join tariff_prices p on p.tariff_id = a.tariff_id and p.effective_from > ${TEST_DEMO.today}::date limit 1`);
    const card = (await t.app.inject({ url: `/api/subscribers/${row!.id}`, headers: { cookie: l1 } })).json();
    expect(card.tariff.announced.length).toBeGreaterThan(0);
    expect(card.tariff.announced[0].monthlyFeeKopecks).toBeGreaterThan(card.tariff.current.monthlyFeeKopecks);
  });

  it('switches to another account of the same subscriber and lists the rest', async () => {
    const [owner] = await t.database.rows<{ id: number; second: number }>(sql`
      select subscriber_id as id, max(id) as second from accounts
      group by subscriber_id having count(*) > 1 order by subscriber_id limit 1`);
    const open = async (query = '') =>
      (
        await t.app.inject({ url: `/api/subscribers/${owner!.id}${query}`, headers: { cookie: l1 } })
      ).json() as SubscriberCard;
    const first = await open();
    const second = await open(`?accountId=${owner!.second}`);
    expect(second.account.id).toBe(owner!.second);
    expect(first.account.id).not.toBe(owner!.second);
    expect(first.otherAccounts.map((other) => other.id)).toContain(owner!.second);
    expect(second.otherAccounts.map((other) => other.id)).toContain(first.account.id);
    expect(second.contract.number).not.toBe(first.contract.number);
    const [contract] = await t.database.rows<{ number: string }>(
      sql`select number from contracts where account_id = ${owner!.second}`,
    );
    expect(second.contract.number).toBe(contract!.number);
  });

  it("refuses another subscriber's account with 404 and writes no audit row", async () => {
    const [pair] = await t.database.rows<{ subscriber: number; foreign: number }>(sql`
      select a.subscriber_id as subscriber, b.id as foreign from accounts a
      join accounts b on b.subscriber_id <> a.subscriber_id order by a.id, b.id limit 1`);
    const openings = async () =>
      (
        await t.database.rows(sql`
          select 1 from audit_log where action = 'subscriber.card_opened' and target_id = ${String(pair!.subscriber)}`)
      ).length;
    const before = await openings();
    const response = await t.app.inject({
      url: `/api/subscribers/${pair!.subscriber}?accountId=${pair!.foreign}`,
      headers: { cookie: l1 },
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('account.not_found');
    expect(await openings()).toBe(before);
  });

  it('answers 404 problem+json for a subscriber that does not exist', async () => {
    const response = await t.app.inject({ url: '/api/subscribers/999999', headers: { cookie: l1 } });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('subscriber.not_found');
  });

  it('gives a field technician what a visit needs and no balance, payments or birth date', async () => {
    const tech = await t.loginAs('tech');
    const [person] = await t.database.rows<{ id: number }>(sql`
      select s.id from subscribers s
      where s.kind = 'person' and s.birth_date is not null
        and exists (select 1 from subscriber_phones p where p.subscriber_id = s.id)
        and exists (select 1 from accounts a join ledger_entries l on l.account_id = a.id where a.subscriber_id = s.id)
        and exists (select 1 from accounts a join equipment e on e.account_id = a.id where a.subscriber_id = s.id)
      order by s.id limit 1`);
    const open = async (cookie: string) => {
      const response = await t.app.inject({ url: `/api/subscribers/${person!.id}`, headers: { cookie } });
      expect(response.statusCode, response.body).toBe(200);
      return JSON.parse(response.body) as Record<string, unknown> & SubscriberCard;
    };
    const full = await open(l1);
    const visit = await open(tech);

    expect(full.holder.birthDate).toBeTruthy();
    expect(full.account.balanceKopecks).toBeTypeOf('number');
    expect(full.lastLedgerEntries?.length).toBeGreaterThan(0);

    expect(visit).not.toHaveProperty('lastLedgerEntries');
    expect(visit.account).not.toHaveProperty('balanceKopecks');
    expect(visit.holder).not.toHaveProperty('birthDate');
    expect(visit.address).toEqual(full.address);
    expect(visit.connection).toEqual(full.connection);
    expect(visit.equipment).toEqual(full.equipment);
    expect(visit.equipment.length).toBeGreaterThan(0);
    expect(visit.holder.phones).toEqual(full.holder.phones);
    expect(visit.holder.phones.length).toBeGreaterThan(0);
    expect(visit.holder.displayName).toBe(full.holder.displayName);
  });
});
