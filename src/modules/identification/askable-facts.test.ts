import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import { openTestDatabase } from '../../testing/database.js';

/**
 * askable_facts (migration 0009) is a copy kept by triggers: a stale row would make the next
 * question count a namesake under an old name, street or phone. After each kind of change an
 * operator's system makes, the table must equal its defining view.
 */

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

/** Rows of the table missing from the view and of the view missing from the table. */
async function drift(): Promise<{ stale: number; missing: number }> {
  const [row] = await database.rows<{ stale: number; missing: number }>(sql`
    select
      (select count(*)::int from (select * from askable_facts except select * from askable_facts_source) x) as stale,
      (select count(*)::int from (select * from askable_facts_source except select * from askable_facts) x) as missing`);
  return row!;
}

const factsOf = async (accountId: number) =>
  (await database.rows<Record<string, unknown>>(sql`select * from askable_facts where account_id = ${accountId}`))[0];

interface Holder {
  subscriber_id: number;
  account_id: number;
  building_id: number;
}

const aPerson = async (skip = 0): Promise<Holder> => {
  const [row] = await database.rows<Holder>(sql`
    select s.id as subscriber_id, a.id as account_id, c.building_id
    from subscribers s join accounts a on a.subscriber_id = s.id join contracts c on c.account_id = a.id
    where s.kind = 'person' order by s.id offset ${skip} limit 1`);
  return row!;
};

describe('askable facts', () => {
  it('hold one row per account with a contract after the demo load, equal to their definition', async () => {
    const [counts] = await database.rows<{ facts: number; contracts: number }>(sql`
      select (select count(*)::int from askable_facts) as facts, (select count(*)::int from contracts) as contracts`);
    expect(counts!.facts).toBeGreaterThan(900);
    expect(counts!.facts).toBe(counts!.contracts);
    expect(await drift()).toEqual({ stale: 0, missing: 0 });
  });

  it('follow a holder renamed or with a corrected birth date', async () => {
    const person = await aPerson(1);
    await database.db.execute(
      sql`update subscribers set surname = 'Ёжикова', first_name = 'Алёна', birth_date = '1971-03-04' where id = ${person.subscriber_id}`,
    );
    expect(await factsOf(person.account_id)).toMatchObject({
      surname_norm: 'ежикова',
      first_name: 'алена',
      birth_year: '1971',
    });
    expect(await drift()).toEqual({ stale: 0, missing: 0 });
  });

  it('follow phones added, made primary and removed', async () => {
    const person = await aPerson(2);
    await database.db.execute(
      sql`update subscriber_phones set is_primary = 0 where subscriber_id = ${person.subscriber_id}`,
    );
    await database.db.execute(sql`
      insert into subscriber_phones (subscriber_id, phone, kind, is_primary)
      values (${person.subscriber_id}, '+79990001234', 'mobile', 1)`);
    expect((await factsOf(person.account_id))?.phone_last4).toBe('1234');
    await database.db.execute(sql`delete from subscriber_phones where subscriber_id = ${person.subscriber_id}`);
    expect((await factsOf(person.account_id))?.phone_last4).toBeNull();
    expect(await drift()).toEqual({ stale: 0, missing: 0 });
  });

  it('follow a contract moved to another building, and a building put on another street', async () => {
    const person = await aPerson(3);
    const [other] = await database.rows<{ id: number; street_id: number }>(sql`
      select b.id, b.street_id from buildings b
      where b.street_id <> (select street_id from buildings where id = ${person.building_id}) order by b.id limit 1`);
    await database.db.execute(
      sql`update contracts set building_id = ${other!.id} where account_id = ${person.account_id}`,
    );
    expect((await factsOf(person.account_id))?.street_id).toBe(other!.street_id);

    const [street] = await database.rows<{ id: number }>(
      sql`select id from streets where id <> ${other!.street_id} order by id limit 1`,
    );
    await database.db.execute(sql`update buildings set street_id = ${street!.id} where id = ${other!.id}`);
    expect((await factsOf(person.account_id))?.street_id).toBe(street!.id);
    expect(await drift()).toEqual({ stale: 0, missing: 0 });
  });

  it('follow an account handed to another holder, and a new contract, and a contract ended', async () => {
    const from = await aPerson(4);
    const to = await aPerson(5);
    await database.db.execute(
      sql`update accounts set subscriber_id = ${to.subscriber_id} where id = ${from.account_id}`,
    );
    const [holder] = await database.rows<{ surname_norm: string }>(
      sql`select surname_norm from subscribers where id = ${to.subscriber_id}`,
    );
    expect((await factsOf(from.account_id))?.surname_norm).toBe(holder!.surname_norm);

    // A second address for the same holder: account first, then its contract, as a sign-up writes them.
    const [account] = await database.rows<{ id: number }>(sql`
      insert into accounts (number, subscriber_id, tariff_id, opened_on)
      select '99999997', ${to.subscriber_id}, tariff_id, opened_on from accounts where id = ${to.account_id}
      returning id`);
    expect(await factsOf(account!.id)).toBeUndefined();
    await database.db.execute(sql`
      insert into contracts (number, signed_on, holder_id, account_id, building_id, apartment)
      values ('LD-2026-999999', '2026-11-25', ${to.subscriber_id}, ${account!.id}, ${to.building_id}, '1')`);
    expect((await factsOf(account!.id))?.surname_norm).toBe(holder!.surname_norm);

    await database.db.execute(sql`delete from contracts where account_id = ${account!.id}`);
    expect(await factsOf(account!.id)).toBeUndefined();
    await database.db.execute(sql`delete from accounts where id = ${account!.id}`);
    expect(await drift()).toEqual({ stale: 0, missing: 0 });
  });
});
