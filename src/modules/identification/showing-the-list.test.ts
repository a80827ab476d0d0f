import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identification } from '../../common/api/identification.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { SHOWN, SHOWN_MAX } from './limits.js';

/** What the operator sees of a list (issue 10): more than the first 20, what each candidate fits, identifiers by kind. */

let t: TestApp;
let l1: string;
beforeAll(async () => {
  t = await startTestApp();
  l1 = await t.loginAs('l1');
});
afterAll(async () => {
  await t.close();
});

const get = (params: Record<string, string>) =>
  t.app.inject({ url: `/api/identify?${new URLSearchParams(params).toString()}`, headers: { cookie: l1 } });
const identify = async (params: Record<string, string>) => {
  const response = await get(params);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Identification;
};

// The commonest surname and the longest street of the demo: lists well over 20.
const commonest = async () => {
  const [row] = await t.database.rows<{ surname: string; street: string }>(sql`
    select (select surname from subscribers where kind = 'person' group by surname order by count(*) desc, surname limit 1) as surname,
      (select st.name from streets st join buildings b on b.street_id = st.id join contracts c on c.building_id = b.id
        group by st.id, st.name order by count(*) desc limit 1) as street`);
  return row!;
};

describe('the list of candidates', () => {
  it('shows more than the first 20 when asked, the same first 20 first, and never more than 200', async () => {
    const { surname, street } = await commonest();
    let paged = 0;
    for (const q of [surname, `ул. ${street}`, `${surname} ${street}`]) {
      const first = await identify({ q });
      if (first.total <= SHOWN) continue;
      paged++;
      expect(first.candidates, q).toHaveLength(SHOWN);
      const more = await identify({ q, limit: String(SHOWN * 2) });
      expect(more.candidates.length, q).toBe(Math.min(first.total, SHOWN * 2));
      expect(more.candidates.slice(0, SHOWN).map((c) => c.accountId)).toEqual(first.candidates.map((c) => c.accountId));
      expect(new Set(more.candidates.map((c) => c.accountId)).size).toBe(more.candidates.length);
      expect(more.total).toBe(first.total);
    }
    // The test base is small: the street alone pages; the surname alone (counted in SQL) when it has more than 20.
    expect(paged).toBeGreaterThanOrEqual(1);
    const widest = await identify({ q: `ул. ${street}`, limit: String(SHOWN_MAX) });
    expect(widest.candidates.length).toBe(Math.min(widest.total, SHOWN_MAX));
    expect((await get({ q: street, limit: String(SHOWN_MAX + 1) })).statusCode).toBe(400);
  });

  it('says for every candidate what in it fits the words said', async () => {
    const { surname, street } = await commonest();
    const result = await identify({ q: `${surname} ${street} 1` });
    expect(result.candidates.length).toBeGreaterThan(0);
    for (const candidate of result.candidates) {
      expect(candidate.matched.length, candidate.name).toBeGreaterThan(0);
      expect(
        candidate.matched.every((field) => !['account', 'contract', 'phone', 'email', 'inn'].includes(field)),
      ).toBe(true);
    }
  });

  it('labels each identifier read by its kind, so an e-mail is never shown as a number', async () => {
    const [person] = await t.database.rows<{ email: string; contract: string; account: string }>(sql`
      select s.email, c.number as contract, a.number as account from subscribers s
      join accounts a on a.subscriber_id = s.id join contracts c on c.account_id = a.id
      where s.email is not null order by s.id limit 1`);
    expect((await identify({ q: person!.email })).reading.identifiers).toEqual([
      { kind: 'email', value: person!.email.toLowerCase() },
    ]);
    expect((await identify({ q: person!.contract })).reading.identifiers).toEqual([
      { kind: 'contract', value: person!.contract },
    ]);
    expect((await identify({ q: person!.account })).reading.identifiers).toContainEqual({
      kind: 'account',
      value: person!.account,
    });
  });
});
