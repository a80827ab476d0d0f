import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identification } from '../../common/api/identification.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { inLatin, inWrongLayout, latinStyles, localPhoneText } from './quality/forms.js';

/**
 * What real callers say besides the plain form (issue 10): Latin letters, the wrong keyboard
 * layout, a local number without the area code, a contract serial without its zeros. Each must
 * find the same subscriber as the plain form.
 */

let t: TestApp;
let l1: string;
beforeAll(async () => {
  t = await startTestApp();
  l1 = await t.loginAs('l1');
});
afterAll(async () => {
  await t.close();
});

const identify = async (q: string) => {
  const response = await t.app.inject({
    url: `/api/identify?${new URLSearchParams({ q }).toString()}`,
    headers: { cookie: l1 },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Identification;
};
const ids = (result: Identification) => result.candidates.map((candidate) => candidate.subscriberId);

interface Person {
  id: number;
  surname: string;
  first_name: string;
  street: string;
  house: string;
  contract: string;
  email: string | null;
  phone: string | null;
}

// People whose surname, first name and street are plain Cyrillic words (no ь: a passport drops it).
const people = () =>
  t.database.rows<Person>(sql`
    select s.id, s.surname, s.first_name, st.name as street, b.house, c.number as contract, s.email,
      (select p.phone from subscriber_phones p where p.subscriber_id = s.id and p.phone like '+7343%' limit 1) as phone
    from subscribers s join accounts a on a.subscriber_id = s.id join contracts c on c.account_id = a.id
    join buildings b on b.id = c.building_id join streets st on st.id = b.street_id
    where s.kind = 'person' and s.surname ~ '^[А-Яа-я]{6,}$' and s.surname !~ '[ьъЬЪёЁ]' and s.first_name !~ '[ьъёЁ]'
      and st.name ~ '^[А-Яа-я]{5,}$' and st.name !~ '[ьъёЁ]' and b.korpus is null and b.litera is null and b.stroenie is null
    order by s.id limit 8`);

describe('words said in Latin letters or in the wrong keyboard layout', () => {
  it('finds the same subscriber from a transliterated surname, first name and street as from the Cyrillic', async () => {
    for (const [at, person] of (await people()).slice(0, 6).entries()) {
      const plain = `${person.surname} ${person.first_name} ${person.street} ${person.house}`;
      const style = latinStyles[at % latinStyles.length]!;
      const latin = await identify(inLatin(plain, style));
      expect(ids(latin), `${inLatin(plain, style)} (${style})`).toContain(person.id);
      expect(ids(latin).slice(0, 1)).toEqual(ids(await identify(plain)).slice(0, 1));
    }
  });

  it('reads "Martynova Yuliya"-style names in the passport, ГОСТ and common spellings of Юлия', async () => {
    const [person] = await t.database.rows<Person>(sql`
      select s.id, s.surname from subscribers s where s.first_name = 'Юлия' and s.surname !~ '[ьъёЁ]' order by s.id limit 1`);
    const plain = await identify(`${person!.surname} Юлия`);
    for (const name of ['Yuliya', 'Iuliia', 'Yulia', 'Julia']) {
      const latin = await identify(`${inLatin(person!.surname, 'common')} ${name}`);
      expect(latin.reading.firstName, name).toBe('юлия');
      expect(latin.total, name).toBe(plain.total);
      expect(ids(latin), name).toContain(person!.id);
    }
  });

  it('finds the same subscriber from text typed with the QWERTY layout on ("Bdfyjd" for Иванов)', async () => {
    for (const person of (await people()).slice(0, 4)) {
      const plain = `${person.surname} ${person.street} ${person.house}`;
      const typed = inWrongLayout(plain);
      expect(ids(await identify(typed)), typed).toContain(person.id);
      expect(ids(await identify(typed)), `${typed} ${JSON.stringify((await identify(typed)).reading)}`).toEqual(
        ids(await identify(plain)),
      );
    }
    expect((await identify('Bdfyjd')).reading.surname).toBe('иванов');
  });

  it('still reads an e-mail, an account and a contract among Latin words as themselves', async () => {
    const [person] = await t.database.rows<Person & { account: string }>(sql`
      select s.id, s.email, a.number as account, c.number as contract from subscribers s
      join accounts a on a.subscriber_id = s.id join contracts c on c.account_id = a.id
      where s.email is not null order by s.id limit 1`);
    for (const q of [
      person!.email!,
      `Ivanov ${person!.account}`,
      `${person!.contract} Lenina`,
      `${person!.email} Ivanov`,
    ]) {
      const found = await identify(q);
      expect(found.exact, q).toBe(true);
      expect(ids(found), q).toContain(person!.id);
    }
  });
});

describe('numbers said the short way', () => {
  it('finds the caller by a local 7-digit number with the configured area code (343)', async () => {
    const person = (await people()).find((candidate) => candidate.phone);
    const [withPhone] = person
      ? [person]
      : await t.database.rows<Person>(sql`
          select subscriber_id as id, phone from subscriber_phones where phone like '+7343%' order by id limit 1`);
    const local = localPhoneText(withPhone!.phone!, '343')!;
    for (const q of [local, local.replaceAll('-', ''), `${local} Иванов`]) {
      const found = await identify(q);
      expect(found.exact, q).toBe(true);
      expect(ids(found), q).toContain(withPhone!.id);
    }
  });

  it('finds a contract by its serial without the leading zeros when "договор" or the prefix is said', async () => {
    const [person] = await t.database.rows<Person>(sql`
      select s.id, c.number as contract from subscribers s join accounts a on a.subscriber_id = s.id
      join contracts c on c.account_id = a.id where c.number like 'LD-____-00%' order by s.id limit 1`);
    const [, year, serial] = person!.contract.split('-');
    const short = String(Number(serial));
    for (const q of [
      `договор ${short}`,
      `по договору № ${short}`,
      `LD-${year}-${short}`,
      `ld ${short}`,
      `договор ${year}-${short}`,
    ]) {
      const found = await identify(q);
      expect(found.exact, q).toBe(true);
      expect(ids(found), q).toContain(person!.id);
    }
    // Said without "договор", 4 digits stay a house number.
    expect((await identify(`Ленина ${short}`)).exact).toBe(false);
  });
});
