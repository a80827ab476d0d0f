import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubscriberList } from '../../common/api/subscribers.js';
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

describe('the subscriber list', () => {
  it('shows surname and initials, street and house, and masks apartment, phone and birth date', async () => {
    const { items, total } = await list('kind=person&limit=20');
    expect(total).toBeGreaterThan(900);
    expect(items).toHaveLength(20);
    for (const item of items) {
      expect(item.name).toMatch(/^[А-ЯЁA-Z][^ ]* ([А-ЯЁ]\. ?){1,2}$/u);
      if (item.phone) expect(item.phone).toMatch(/^\+7 \*\*\* \*\*\*-\*\*-\d\d$/);
      if (item.birthDate) expect(item.birthDate).toBe('****-**-**');
      expect(item.address).not.toMatch(/кв\. \d/);
    }
  });

  it('shows the apartment to field technicians, who need the door', async () => {
    const { items } = await list('kind=person&limit=50', await t.loginAs('tech'));
    expect(items.some((item) => /кв\. \d/.test(item.address))).toBe(true);
  });

  it('leaves balances out for field technicians and refuses them the debt filter, as the card does', async () => {
    const tech = await t.loginAs('tech');
    const { items } = await list('limit=50', tech);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((item) => item.balanceKopecks === undefined)).toBe(true);
    const byDebt = await t.app.inject({ url: '/api/subscribers?inDebt=true', headers: { cookie: tech } });
    expect(byDebt.statusCode).toBe(403);
    expect(byDebt.json()).toMatchObject({ code: 'subscriber.money_hidden' });
    const forL1 = await list('limit=5');
    expect(forL1.items.every((item) => typeof item.balanceKopecks === 'number')).toBe(true);
  });

  it('sorts by name the same way on both engines (ё with е, case-insensitive)', async () => {
    const { items } = await list('kind=person&limit=100');
    const keys = items.map((item) => item.name.toLowerCase().replaceAll('ё', 'е'));
    const sorted = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(keys.map((k) => k.split(' ')[0])).toEqual(sorted.map((k) => k.split(' ')[0]));
  });

  it('filters by surname prefix regardless of case and ё', async () => {
    const [top] = await t.database.rows<{ surname: string }>(
      sql`select surname from subscribers where kind = 'person' group by surname order by count(*) desc limit 1`,
    );
    const surname = top!.surname;
    const { items, total } = await list(
      `kind=person&surname=${encodeURIComponent(surname.toUpperCase().replaceAll('Ё', 'Е'))}`,
    );
    expect(total).toBeGreaterThan(1);
    for (const item of items)
      expect(item.name.replaceAll('ё', 'е'), surname).toMatch(new RegExp(`^${surname.replaceAll('ё', 'е')}`));
  });

  it('filters by street and house, account state, debt and tariff', async () => {
    const [building] = await t.database.rows<{ name: string; house: string; n: number }>(sql`
      select s.name, b.house, count(*)::int as n from contracts c
      join buildings b on b.id = c.building_id join streets s on s.id = b.street_id
      group by s.name, b.house order by count(*) desc limit 1`);
    const byAddress = await list(
      `street=${encodeURIComponent(building!.name)}&house=${encodeURIComponent(building!.house)}`,
    );
    expect(byAddress.total).toBeGreaterThanOrEqual(building!.n);
    const blocked = await list('state=blocked_debt');
    expect(blocked.total).toBeGreaterThan(0);
    expect(blocked.items.every((item) => item.state === 'blocked_debt')).toBe(true);
    const inDebt = await list('inDebt=true');
    expect(inDebt.items.every((item) => item.balanceKopecks !== undefined && item.balanceKopecks < 0)).toBe(true);
    const tariffs = (await t.app.inject({ url: '/api/tariffs', headers: { cookie: l1 } })).json();
    const byTariff = await list(`tariffId=${tariffs[0].id}`);
    expect(byTariff.items.every((item) => item.tariffName === tariffs[0].name)).toBe(true);
  });

  it('pages through results without overlap', async () => {
    const first = await list('limit=10&offset=0');
    const second = await list('limit=10&offset=10');
    const ids = new Set(first.items.map((item) => item.accountId));
    expect(second.items.some((item) => ids.has(item.accountId))).toBe(false);
  });

  it('pages by cursor forwards and back through the same rows as one long page', async () => {
    const whole = await list('kind=person&limit=21');
    expect(whole.previousCursor).toBeNull();
    const pages = [await list('kind=person&limit=7')];
    expect(pages[0]!.previousCursor).toBeNull();
    for (let i = 1; i < 3; i++) {
      pages.push(await list(`kind=person&limit=7&cursor=${pages[i - 1]!.nextCursor}`));
    }
    const accountIds = (page: SubscriberList) => page.items.map((item) => item.accountId);
    expect(pages.flatMap(accountIds)).toEqual(accountIds(whole));
    expect(pages[2]!.total).toBe(whole.total);
    const back = await list(`kind=person&limit=7&cursor=${pages[2]!.previousCursor}`);
    expect(accountIds(back)).toEqual(accountIds(pages[1]!));
    const backToStart = await list(`kind=person&limit=7&cursor=${back.previousCursor}`);
    expect(accountIds(backToStart)).toEqual(accountIds(pages[0]!));
    expect(backToStart.previousCursor).toBeNull();
  });

  it('pages one by one through the several accounts of one subscriber', async () => {
    const [holder] = await t.database.rows<{ sort_key: string; n: number }>(sql`
      select s.sort_key, count(*)::int as n from subscribers s join accounts a on a.subscriber_id = s.id
      group by s.id, s.sort_key having count(*) > 1 order by s.id limit 1`);
    expect(holder, 'the demo has a subscriber with two accounts').toBeDefined();
    const surname = encodeURIComponent(holder!.sort_key);
    const all = await list(`surname=${surname}&limit=100`);
    const seen: number[] = [];
    let page = await list(`surname=${surname}&limit=1`);
    seen.push(...page.items.map((item) => item.accountId));
    while (page.nextCursor) {
      page = await list(`surname=${surname}&limit=1&cursor=${page.nextCursor}`);
      seen.push(...page.items.map((item) => item.accountId));
    }
    expect(seen).toEqual(all.items.map((item) => item.accountId));
    expect(seen.length).toBeGreaterThanOrEqual(holder!.n);
  });

  it('counts exactly up to 1,000 and says "more than 1,000" past it', async () => {
    const broad = await list('limit=1');
    expect(broad).toMatchObject({ total: 1_000, totalIsCapped: true });
    const [row] = await t.database.rows<{ n: number }>(
      sql`select count(*)::int as n from accounts where state = 'blocked_debt'`,
    );
    const blocked = await list('state=blocked_debt&limit=1');
    expect(blocked.total).toBe(Math.min(row!.n, 1_000));
    expect(blocked.totalIsCapped).toBe(row!.n > 1_000);
  });

  it('answers 400 problem+json for a cursor it did not give', async () => {
    const forged = [
      'not*base64',
      Buffer.from('["a","x",1]').toString('base64url'),
      Buffer.from('["z","x",1,1]').toString('base64url'),
      Buffer.from('["a","x",0,1]').toString('base64url'),
      Buffer.from('["a",5,1,1]').toString('base64url'),
      Buffer.from('{"a":1}').toString('base64url'),
      `${Buffer.from('["a","x",1,1]').toString('base64url')}A`,
      Buffer.from([0xff, 0xfe, 0x22]).toString('base64url'),
    ];
    for (const cursor of forged) {
      const response = await t.app.inject({ url: `/api/subscribers?cursor=${cursor}`, headers: { cookie: l1 } });
      expect(response.statusCode, cursor).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(['subscriber.bad_cursor', 'request.invalid']).toContain(response.json().code);
    }
  });

  it("finds a holder under a new name at once: accounts carry the holder's sort key", async () => {
    const [holder] = await t.database.rows<{ id: number; surname: string }>(
      sql`select id, surname from subscribers where kind = 'person' order by id limit 1 offset 7`,
    );
    const renamed = 'Яяяшкина';
    await t.database.rows(sql`update subscribers set surname = ${renamed} where id = ${holder!.id}`);
    try {
      const found = await list(`surname=${encodeURIComponent('яяяшк')}`);
      expect(found.items.map((item) => item.id)).toContain(holder!.id);
      const [drift] = await t.database.rows<{ n: number }>(sql`
        select count(*)::int as n from accounts a join subscribers s on s.id = a.subscriber_id
        where a.sort_key is distinct from s.sort_key`);
      expect(drift!.n).toBe(0);
    } finally {
      await t.database.rows(sql`update subscribers set surname = ${holder!.surname} where id = ${holder!.id}`);
    }
  });

  it('treats LIKE metacharacters in a filter as plain text', async () => {
    const { total } = await list(`surname=${encodeURIComponent('%')}`);
    expect(total).toBe(0);
  });
});
