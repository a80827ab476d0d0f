import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identification, PhoneLookup } from '../../common/api/identification.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { fold } from './caller-query.js';
import { vocabularyOf } from './vocabulary.js';
import { editDistance } from './word-match.js';

let t: TestApp;
let l1: string;
beforeAll(async () => {
  t = await startTestApp();
  l1 = await t.loginAs('l1');
});
afterAll(async () => {
  await t.close();
});

interface Person {
  id: number;
  kind: 'person' | 'organisation';
  surname: string | null;
  first_name: string | null;
  patronymic: string | null;
  org_name: string | null;
  inn: string | null;
  email: string | null;
  account: string;
  contract: string;
  phone: string | null;
  street_type: string;
  street: string;
  house: string;
  korpus: string | null;
  apartment: string | null;
}

const subjects = (where: string) =>
  t.database.rows<Person>(
    sql.raw(`
      select s.id, s.kind, s.surname, s.first_name, s.patronymic, s.org_name, s.inn, s.email,
        a.number as account, c.number as contract, st.street_type, st.name as street, b.house, b.korpus, c.apartment,
        (select p.phone from subscriber_phones p where p.subscriber_id = s.id order by p.is_primary desc, p.id limit 1) as phone
      from subscribers s join accounts a on a.subscriber_id = s.id join contracts c on c.account_id = a.id
      join buildings b on b.id = c.building_id join streets st on st.id = b.street_id
      where ${where} order by s.id limit 20`),
  );

const identify = async (params: Record<string, string>) => {
  const response = await t.app.inject({
    url: `/api/identify?${new URLSearchParams(params).toString()}`,
    headers: { cookie: l1 },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Identification;
};

const ids = (result: Identification) => result.candidates.map((candidate) => candidate.subscriberId);

describe('exact identifiers', () => {
  it('finds the caller by caller ID in any common written form, on its own fast path and in the search box', async () => {
    const [person] = await subjects(
      `s.kind = 'person' and exists (select 1 from subscriber_phones p where p.subscriber_id = s.id)`,
    );
    const digits = person!.phone!.slice(2);
    const forms = [
      `8 ${digits.slice(0, 3)} ${digits.slice(3, 6)}-${digits.slice(6, 8)}-${digits.slice(8)}`,
      `+7 (${digits.slice(0, 3)}) ${digits.slice(3)}`,
      digits,
      `+7${digits}`,
    ];
    for (const form of forms) {
      const response = await t.app.inject({
        url: `/api/identify/phone/${encodeURIComponent(form)}`,
        headers: { cookie: l1 },
      });
      expect(response.statusCode, form).toBe(200);
      const lookup = response.json() as PhoneLookup;
      expect(lookup.phone).toBe(person!.phone);
      expect(lookup.candidates.map((candidate) => candidate.subscriberId)).toContain(person!.id);
      const result = await identify({ q: form });
      expect(result.exact, form).toBe(true);
      expect(ids(result), form).toContain(person!.id);
      expect(result.candidates[0]!.matched).toContain('phone');
    }
    const bad = await t.app.inject({ url: '/api/identify/phone/12345', headers: { cookie: l1 } });
    expect(bad.statusCode).toBe(400);
  });

  it('finds an account with or without a space, first and alone', async () => {
    const [person] = await subjects(`true`);
    for (const q of [person!.account, `${person!.account.slice(0, 4)} ${person!.account.slice(4)}`]) {
      const result = await identify({ q });
      expect(result).toMatchObject({ exact: true, total: 1, nextQuestion: null });
      expect(ids(result)).toEqual([person!.id]);
    }
  });

  it('finds a contract with and without its prefix and year', async () => {
    const [person] = await subjects(`true`);
    const contract = person!.contract;
    for (const q of [contract, contract.toLowerCase(), contract.slice(3), contract.slice(8)]) {
      const result = await identify({ q });
      expect(result.exact, q).toBe(true);
      expect(ids(result)[0], q).toBe(person!.id);
    }
  });

  it('finds by e-mail in any case, and an organisation by its ИНН and by its name', async () => {
    const [withMail] = await subjects(`s.email is not null`);
    expect(ids(await identify({ q: withMail!.email!.toUpperCase() }))[0]).toBe(withMail!.id);
    const [organisation] = await subjects(`s.kind = 'organisation' and s.org_name like '%«%'`);
    expect(ids(await identify({ q: organisation!.inn! }))[0]).toBe(organisation!.id);
    const name = /«([^»]+)»/.exec(organisation!.org_name!)![1]!;
    const byName = await identify({ q: name });
    expect(ids(byName)).toContain(organisation!.id);
    expect(byName.candidates.find((candidate) => candidate.subscriberId === organisation!.id)?.matched).toContain(
      'orgName',
    );
  });
});

describe('names and addresses', () => {
  it('reads a mix of surname, street and house: "Иванов Ленина 5"', async () => {
    const [person] = await subjects(`s.kind = 'person' and st.street_type = 'ул' and st.name ~ '^[А-Яа-яЁё]+$'`);
    const result = await identify({ q: `${person!.surname} ${person!.street} ${person!.house}` });
    expect(ids(result).slice(0, 5)).toContain(person!.id);
    expect(result.reading).toMatchObject({
      surname: person!.surname!.toLowerCase().replaceAll('ё', 'е'),
      house: person!.house.toLowerCase(),
    });
    expect(result.candidates[0]!.matched).toEqual(expect.arrayContaining(['surname', 'street', 'house']));
  });

  it('finds an address with its apartment in the usual spellings', async () => {
    const [person] = await subjects(`c.apartment is not null and b.korpus is null and st.street_type = 'ул'`);
    const { street, house, apartment } = person!;
    for (const q of [
      `${street} ${house} кв ${apartment}`,
      `ул. ${street}, д. ${house}, кв. ${apartment}`,
      `${street} ${house}-${apartment}`,
    ]) {
      const result = await identify({ q });
      expect(ids(result).slice(0, 5), q).toContain(person!.id);
    }
  });

  it('forgives a swapped, missing or doubled letter in a surname, and ё written as е', async () => {
    const [person] = await subjects(`s.kind = 'person' and length(s.surname) >= 7 and s.surname !~ '-'`);
    const surname = person!.surname!;
    const swapped = surname.slice(0, 2) + surname[3] + surname[2] + surname.slice(4);
    const missing = surname.slice(0, 3) + surname.slice(4);
    const doubled = surname.slice(0, 4) + surname[3] + surname.slice(4);
    for (const typo of [swapped, missing, doubled]) {
      const result = await identify({ q: `${typo} ${person!.first_name}` });
      expect(ids(result), typo).toContain(person!.id);
    }
    const [withYo] = await subjects(`s.kind = 'person' and s.surname like '%ё%'`);
    if (withYo) {
      const result = await identify({ q: `${withYo.surname!.replaceAll('ё', 'е')} ${withYo.first_name}` });
      expect(ids(result)).toContain(withYo.id);
    }
  });

  it('finds a short surname (Ли, Ким) exactly, never by a typo', async () => {
    const [short] = await subjects(`s.kind = 'person' and length(s.surname) <= 3`);
    expect(short, 'the demo has short surnames').toBeDefined();
    const result = await identify({ q: short!.surname! });
    expect(ids(result)).toContain(short!.id);
    const folded = short!.surname!.toLowerCase();
    const [{ n }] = (await t.database.rows<{ n: number }>(
      sql`select count(*)::int as n from subscribers where surname_norm = ${folded}`,
    )) as [{ n: number }];
    expect(result.total).toBe(n);
  });
});

describe('narrowing by questions', () => {
  it('suggests the question that splits namesakes best, and each answer narrows the list to the caller', async () => {
    const [common] = await t.database.rows<{ surname: string }>(sql`
      select surname from subscribers where kind = 'person' group by surname order by count(*) desc, surname limit 1`);
    const [target] = await subjects(`s.surname = '${common!.surname.replaceAll("'", "''")}'`);
    const answers: Record<string, string> = { q: common!.surname };
    let result = await identify(answers);
    expect(result.total).toBeGreaterThan(2);
    const totals = [result.total];
    for (let step = 0; step < 3 && result.nextQuestion; step++) {
      const question = result.nextQuestion;
      expect(question.candidates).toBe(result.total);
      expect(question.distinctAnswers).toBeGreaterThan(1);
      const facts: Record<string, string | null> = {
        firstName: target!.first_name,
        patronymic: target!.patronymic,
        street: `${target!.street_type} ${target!.street}`,
        house: target!.house,
        building: target!.korpus,
        apartment: target!.apartment,
      };
      if (!(question.attribute in facts)) break;
      answers[question.attribute] = facts[question.attribute] ?? 'нет';
      result = await identify(answers);
      expect(result.answerMatchedNobody).toBeNull();
      totals.push(result.total);
    }
    expect(ids(result)).toContain(target!.id);
    expect(totals.at(-1)).toBeLessThan(totals[0]!);
    expect(totals.at(-1)).toBeLessThanOrEqual(5);
  });

  it('says when an answer matches nobody and shows the nearest first instead of an empty list', async () => {
    const [common] = await t.database.rows<{ surname: string }>(sql`
      select surname from subscribers where kind = 'person' group by surname order by count(*) desc, surname limit 1`);
    const namesakes = await t.database.rows<{ id: number; first_name: string; year: number | null }>(sql`
      select s.id, s.first_name, extract(year from s.birth_date)::int as year
      from subscribers s join accounts a on a.subscriber_id = s.id join contracts c on c.account_id = a.id
      where s.surname = ${common!.surname}`);
    const shownOf = (result: Identification, measure: (id: number) => number) =>
      result.candidates.map((candidate) => measure(candidate.subscriberId));
    const nearestFirst = (shown: number[], all: number[]) => {
      expect(shown.length).toBeGreaterThan(0);
      // In order of nearness, and no namesake left out is nearer than one shown.
      expect(shown).toEqual([...all].sort((a, b) => a - b).slice(0, shown.length));
    };

    // A year before anyone's: the oldest come first.
    const years = new Map(namesakes.map((namesake) => [namesake.id, namesake.year]));
    const asked = Math.min(...namesakes.map((namesake) => namesake.year ?? 3000)) - 10;
    const gap = (id: number) => Math.abs((years.get(id) ?? Number.POSITIVE_INFINITY) - asked);
    const byYear = await identify({ q: common!.surname, birthYear: String(asked) });
    expect(byYear.answerMatchedNobody).toBe('birthYear');
    expect(byYear.total).toBe(namesakes.length);
    nearestFirst(
      shownOf(byYear, gap),
      namesakes.map((namesake) => gap(namesake.id)),
    );

    // A first name misheard in two letters, beyond the typo allowance of a 5-6 letter name.
    const target = namesakes.find((namesake) => [5, 6].includes(namesake.first_name.length))!;
    const letters = [...fold(target.first_name)];
    letters[1] = 'ъ';
    letters[3] = 'ъ';
    const misheard = letters.join('');
    const names = new Map(namesakes.map((namesake) => [namesake.id, fold(namesake.first_name)]));
    const edits = (id: number) => editDistance(misheard, names.get(id)!, 3);
    const byName = await identify({ q: common!.surname, firstName: misheard });
    expect(byName.answerMatchedNobody).toBe('firstName');
    nearestFirst(
      shownOf(byName, edits),
      namesakes.map((namesake) => edits(namesake.id)),
    );
    expect(edits(byName.candidates[0]!.subscriberId)).toBe(2);
  });

  it('masks the apartment in the list for the hotline', async () => {
    const [person] = await subjects(`c.apartment is not null`);
    const result = await identify({ q: person!.account });
    expect(result.candidates[0]!.address).toMatch(/кв\. \*\*\*/);
  });
});

describe('bad input', () => {
  const raw = (query: string) => t.app.inject({ url: `/api/identify?${query}`, headers: { cookie: l1 } });

  it('answers odd input with a 4xx or an empty result, never a 500', async () => {
    const texts = [
      '',
      '     ',
      '.,;:!?-—',
      '%',
      '_',
      '%_%',
      '.*',
      '(',
      ')(',
      '\\',
      "'; drop table subscribers; --",
      '[а-я]+',
      'Иванов\u0000\u0007\u001b',
      '\u200b\ufeff',
      'Ё'.repeat(200),
      '9'.repeat(200),
      'д. кв. корп. стр.',
    ];
    for (const q of texts) {
      const response = await raw(`q=${encodeURIComponent(q)}`);
      expect(response.statusCode, JSON.stringify(q)).toBeLessThan(500);
      if (response.statusCode === 200) expect(Array.isArray(response.json().candidates)).toBe(true);
    }
    // 10 KB, broken UTF-8 and a lone surrogate: never a 500.
    expect((await raw(`q=${'x'.repeat(10_240)}`)).statusCode).toBe(400);
    for (const broken of ['q=%ED%A0%80', 'q=%FF%FE', 'q=%C3', 'q=%E0%A4%A']) {
      expect((await raw(broken)).statusCode, broken).toBeLessThan(500);
    }
    expect((await raw('q=%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2&birthYear=abc')).statusCode).toBe(400);
    expect((await raw('q=x&unknown=1')).statusCode).toBe(400);
    expect((await raw('')).statusCode).toBe(400);
  });

  it('reads nothing from only spaces, only punctuation or only noise', async () => {
    for (const q of ['   ', '...', ',,,', '- - -', 'и на в']) {
      const result = await identify({ q });
      expect(result, q).toMatchObject({ total: 0, candidates: [], nextQuestion: null });
    }
  });

  it('caps the work: a long query of many words runs a handful of statements', async () => {
    let statements = 0;
    const rows = t.database.rows.bind(t.database);
    t.database.rows = (query) => {
      statements++;
      return rows(query);
    };
    try {
      const words = 'Иванов Петров Сидоров Ленина Мира Малышева Сергей Петрович Анна 5 7 12 кв 3 корп 2'.repeat(3);
      for (const q of [words.slice(0, 200), 'а б в г д е ж з и к л м н о п р с т у ф х ц ч ш щ э ю я'.slice(0, 200)]) {
        statements = 0;
        const started = performance.now();
        await identify({ q });
        expect(statements, q).toBeLessThanOrEqual(8);
        expect(performance.now() - started).toBeLessThan(5_000);
      }
    } finally {
      t.database.rows = rows;
    }
  });
});

describe('the vocabulary in memory', () => {
  it('is read again once a street, a building or a name changes, and not while nothing does', async () => {
    const settled = async () => {
      // A check runs at most every 2 s and in the background: ask, then give it time to finish.
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      await vocabularyOf(t.database);
      await new Promise((resolve) => setTimeout(resolve, 300));
      return vocabularyOf(t.database);
    };
    const before = await vocabularyOf(t.database);
    expect(await settled()).toBe(before);
    await t.database.rows(
      sql`insert into streets (city, street_type, name) values ('Екатеринбург', 'ул', 'Новая Тестовая')`,
    );
    const after = await settled();
    expect(after).not.toBe(before);
    expect(after.streetNames).toContain('новая тестовая');
  });
});
