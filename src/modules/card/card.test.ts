import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignedInStaff } from '../../common/api/staff.js';
import type { Database } from '../../db/connection.js';
import { testContext } from '../../testing/context.js';
import { openTestDatabase } from '../../testing/database.js';
import { TEST_DEMO } from '../../testing/demo.js';
import type { AppContext } from '../core/context.js';
import { Problem } from '../core/problem.js';
import { openSubscriberCard } from './card.js';

let database: Database;
let ctx: AppContext;
let me: SignedInStaff;
beforeAll(async () => {
  database = await openTestDatabase();
  ctx = testContext(database);
  const [l1] = await database.rows<{ id: number }>(sql`select id from staff where login = 'l1'`);
  me = { id: l1!.id, login: 'l1', fullName: 'l1', role: 'l1', sessionId: '00000000-0000-4000-8000-000000000001' };
});
afterAll(async () => database?.close());

const open = (subscriberId: number, accountId?: number, ip = '10.0.0.1') =>
  openSubscriberCard(ctx, me, subscriberId, accountId, ip);

async function one<T>(query: ReturnType<typeof sql>): Promise<T> {
  const [row] = await database.rows<T>(query);
  if (!row) throw new Error('the demo data has no such row');
  return row;
}

const openings = async (subscriberId: number) =>
  database.rows<{ staff_id: number; ip: string; details: { accountId: number } }>(sql`
    select staff_id, ip, details from audit_log
    where action = 'subscriber.card_opened' and target_id = ${String(subscriberId)} order by id`);

async function problemOf(promise: Promise<unknown>): Promise<Problem> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof Problem)) throw new Error(`expected a Problem, got ${String(error)}`);
  return error;
}

describe('opening a subscriber card', () => {
  it('names a person surname first, and an organisation by its name with its ИНН', async () => {
    const person = await one<{ id: number; surname: string; first_name: string; patronymic: string | null }>(
      sql`select s.id, s.surname, s.first_name, s.patronymic from subscribers s
        where s.kind = 'person' and exists (select 1 from accounts a where a.subscriber_id = s.id) order by s.id limit 1`,
    );
    const personCard = await open(person.id);
    expect(personCard.holder.displayName).toBe(
      [person.surname, person.first_name, person.patronymic].filter(Boolean).join(' '),
    );
    const organisation = await one<{ id: number; org_name: string; inn: string }>(
      sql`select s.id, s.org_name, s.inn from subscribers s
        where s.kind = 'organisation' and exists (select 1 from accounts a where a.subscriber_id = s.id) order by s.id limit 1`,
    );
    const organisationCard = await open(organisation.id);
    expect(organisationCard.kind).toBe('organisation');
    expect(organisationCard.holder.displayName).toBe(organisation.org_name);
    expect(organisationCard.holder.inn).toBe(organisation.inn);
  });

  it('shows the balance the ledger adds up to and its last ten ledger entries, newest first', async () => {
    const { account_id: accountId, subscriber_id: subscriberId } = await one<{
      account_id: number;
      subscriber_id: number;
    }>(sql`select a.id as account_id, a.subscriber_id from accounts a
      where (select count(*) from ledger_entries l where l.account_id = a.id) > 10 order by a.id limit 1`);
    const card = await open(subscriberId, accountId);
    const newest = await database.rows<{ id: number }>(sql`
      select id from ledger_entries where account_id = ${accountId} order by occurred_at desc, id desc limit 10`);
    expect(card.lastLedgerEntries?.map((entry) => Number(entry.id))).toEqual(newest.map((row) => Number(row.id)));
    const ledger = await one<{ sum: string }>(
      sql`select coalesce(sum(amount_kopecks), 0)::text as sum from ledger_entries where account_id = ${accountId}`,
    );
    expect(card.account.balanceKopecks).toBe(Number(ledger.sum));
  });

  it('prices the tariff as on the ISP’s today, and lists later prices as announced', async () => {
    const { subscriber_id: subscriberId, tariff_id: tariffId } = await one<{
      subscriber_id: number;
      tariff_id: number;
    }>(sql`select a.subscriber_id, a.tariff_id from accounts a
      where a.id = (select min(id) from accounts b where b.subscriber_id = a.subscriber_id)
        and exists (select 1 from tariff_prices p where p.tariff_id = a.tariff_id and p.effective_from > ${TEST_DEMO.today}::date)
      order by a.id limit 1`);
    const card = await open(subscriberId);
    const inForce = await one<{ fee: number }>(sql`
      select monthly_fee_kopecks as fee from tariff_prices
      where tariff_id = ${tariffId} and effective_from <= ${TEST_DEMO.today}::date order by effective_from desc limit 1`);
    expect(card.tariff.current.monthlyFeeKopecks).toBe(inForce.fee);
    expect(card.tariff.announced.length).toBeGreaterThan(0);
    for (const announced of card.tariff.announced) expect(announced.effectiveFrom > TEST_DEMO.today).toBe(true);
  });

  it('records each opening in the audit log: who, from where, which account', async () => {
    const { subscriber_id: subscriberId, id: accountId } = await one<{ subscriber_id: number; id: number }>(
      sql`select subscriber_id, id from accounts order by id desc limit 1`,
    );
    const before = (await openings(subscriberId)).length;
    await open(subscriberId, accountId, '192.0.2.44');
    const rows = await openings(subscriberId);
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({ staff_id: me.id, ip: '192.0.2.44', details: { accountId } });
  });

  it('refuses a subscriber that does not exist as subscriber.not_found, and audits nothing', async () => {
    const problem = await problemOf(open(99_999_999));
    expect(problem).toMatchObject({ code: 'subscriber.not_found', status: 404 });
    expect(await openings(99_999_999)).toHaveLength(0);
  });

  it('refuses a subscriber with no account as account.not_found, and audits nothing', async () => {
    const { id } = await one<{ id: number }>(sql`
      insert into subscribers (kind, surname, first_name) values ('person', 'Безсчётов', 'Пётр') returning id`);
    const problem = await problemOf(open(id));
    expect(problem).toMatchObject({ code: 'account.not_found', status: 404 });
    expect(await openings(id)).toHaveLength(0);
  });
});
