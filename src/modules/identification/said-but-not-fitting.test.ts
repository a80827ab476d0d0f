import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentifyQuery } from '../../common/api/identification.js';
import type { Database } from '../../db/connection.js';
import { testContext } from '../../testing/context.js';
import { openTestDatabase } from '../../testing/database.js';
import type { AppContext } from '../core/context.js';
import { parseCallerQuery } from './caller-query.js';
import { identifyCaller } from './identify.js';
import { streetMatches } from './readings.js';
import { buildVocabulary } from './vocabulary.js';
import { isTypoOf } from './word-match.js';

// Issue 10: identification says what it did not understand, and the caller's answers correct it.

describe('streets whose name begins with a number', () => {
  const streets = ['8 марта', '1905 года', '40-летия октября', '22-го партсъезда'];
  const read = (text: string) => parseCallerQuery(text, streets, isTypoOf);

  it('are read as streets with a typo in their words, and their number is not the house', () => {
    expect(read('Коротких 8 ммарта 34')).toMatchObject({ streetWords: ['8 марта'], house: '34', words: ['коротких'] });
    expect(read('пл. 1905 гда 3')).toMatchObject({ streetWords: ['1905 года'], house: '3' });
    expect(read('40 лет Октября 5-7')).toMatchObject({ streetWords: ['40-летия октября'], house: '5', apartment: '7' });
    expect(read('22 партсъездаа 1')).toMatchObject({ streetWords: ['22-го партсъезда'], house: '1' });
  });

  it('leave a number before an unrelated word alone', () => {
    expect(read('Марков 8 Мира')).toMatchObject({ streetWords: [], house: '8', words: ['марков', 'мира'] });
  });
});

describe('a street type that was said', () => {
  const vocabulary = buildVocabulary(
    [],
    [
      { id: 1, city: 'Екатеринбург', street_type: 'ш', name: 'Московское' },
      { id: 2, city: 'Екатеринбург', street_type: 'ул', name: 'Московская' },
    ],
  );
  it('outranks a nearer name of another type', () => {
    expect(streetMatches('московской', vocabulary, 'ул').map((match) => match.entry.id)).toEqual([2]);
    expect(streetMatches('московской', vocabulary, null).map((match) => match.entry.id)).toEqual([1]);
  });
});

let database: Database;
let ctx: AppContext;
beforeAll(async () => {
  database = await openTestDatabase();
  ctx = testContext(database);
});
afterAll(() => database?.close());

const identify = (input: IdentifyQuery) => identifyCaller(ctx, 'l1', input);

interface Resident {
  subscriber_id: number;
  surname: string;
  first_name: string;
  patronymic: string | null;
  street: string;
  street_id: number;
  house: string;
  apartment: string | null;
}
const residents = (where: string) =>
  database.rows<Resident>(
    sql.raw(`select s.id as subscriber_id, s.surname, s.first_name, s.patronymic, st.name as street, st.id as street_id,
      b.house, c.apartment
      from subscribers s join accounts a on a.subscriber_id = s.id join contracts c on c.account_id = a.id
      join buildings b on b.id = c.building_id join streets st on st.id = b.street_id
      where s.kind = 'person' and b.korpus is null and b.stroenie is null and b.litera is null and ${where}
      order by s.id`),
  );

describe('said but fitting nobody', () => {
  it('names a house the street does not have, with the nearest houses, and asks for the house', async () => {
    const [someone] = await residents('true');
    const houses = await database.rows<{ house: string }>(
      sql`select house from buildings where street_id = ${someone!.street_id}::int`,
    );
    const missing = String(Math.max(...houses.map((row) => Number.parseInt(row.house, 10) || 0)) + 40);
    const result = await identify({ q: `${someone!.street} ${missing}` });
    const house = result.notFitting.find((part) => part.part === 'house');
    expect(house?.said).toBe(missing);
    expect(house?.nearest.length).toBeGreaterThan(0);
    for (const near of house!.nearest) expect(houses.map((row) => row.house)).toContain(near);
    expect(result.nextQuestion?.attribute ?? 'house').toBe('house');
  });

  it('says that nobody lives in the flat said in that house', async () => {
    const [someone] = await residents(`c.apartment is not null`);
    const result = await identify({ q: `${someone!.street} ${someone!.house}-9999` });
    expect(result.notFitting).toEqual([{ part: 'apartment', said: '9999', nearest: [] }]);
  });

  it('shows a word that names nothing as not understood, never swapped for a far match', async () => {
    const result = await identify({ q: 'Пупкин Несуществующая 99' });
    expect(result.notFitting.map((part) => part.said)).toContain('несуществующая');
  });

  it('marks a surname nobody at the address has, so a list of the address is a partial fit', async () => {
    const [someone] = await residents('true');
    const result = await identify({ q: `Ъхъхъхов ${someone!.street} ${someone!.house}` });
    expect(result.notFitting.length).toBeGreaterThan(0);
    const plain = await identify({ q: `${someone!.surname} ${someone!.street} ${someone!.house}` });
    expect(plain.notFitting).toEqual([]);
  });
});

describe('answers', () => {
  it('keep offering the questions that split the list when an answer fits nobody', async () => {
    const [pair] = await database.rows<{ surname: string }>(sql`
      select surname from subscribers where kind = 'person' group by surname having count(*) between 2 and 5
      order by count(*) desc, surname limit 1`);
    const result = await identify({ q: pair!.surname, firstName: 'Ъхъхъ' });
    expect(result.answerMatchedNobody).toBe('firstName');
    expect(result.total).toBeGreaterThan(1);
    expect(result.nextQuestion).not.toBeNull();
    expect(result.nextQuestion?.attribute).not.toBe('firstName');
  });

  it('replace the street read from the query with the street answered', async () => {
    const [someone] = await residents(`c.apartment is not null`);
    const [other] = await residents(`st.id <> ${someone!.street_id} and st.name !~ ' '`);
    const misread = await identify({ q: `${other!.street} ${someone!.house} кв ${someone!.apartment}` });
    expect(misread.reading.street).toBe(other!.street);
    const corrected = await identify({
      q: `${other!.street} ${someone!.house} кв ${someone!.apartment}`,
      street: someone!.street,
    });
    expect(corrected.reading.street).toBe(someone!.street);
    expect(corrected.candidates.map((candidate) => candidate.subscriberId)).toContain(someone!.subscriber_id);
  });
});
