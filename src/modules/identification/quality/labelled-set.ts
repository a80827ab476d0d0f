import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/connection.js';
import { fold } from '../../core/text.js';
import type { AddressParts } from '../../places/address.js';
import {
  addressText,
  casing,
  Draw,
  phoneForms,
  type Said,
  streetText,
  TYPO_MIN_LENGTH,
  typo,
  typoKinds,
  yoToYe,
} from './forms.js';

/**
 * The labelled query set of issue 4 ("Measured quality, not hoped-for quality"): what callers say,
 * built from random subscribers of a demo database in every form (identifiers, names, addresses,
 * typos, ё written as е, abbreviations, mixes, namesakes), each with the subscriber it must find.
 * Whether a query fits one subscriber or many is counted in the data, never assumed, so the
 * "single fit" and "many fit" rules of the issue apply to what the words really say.
 */

/** One account of a subscriber, with everything a query or an answer can be made from. */
export interface SubscriberFacts extends Omit<AddressParts, 'city'> {
  subscriberId: number;
  kind: 'person' | 'organisation';
  surname: string | null;
  firstName: string | null;
  patronymic: string | null;
  orgName: string | null;
  inn: string | null;
  email: string | null;
  birthYear: number | null;
  /** E.164, the primary first. */
  phones: string[];
  accountNumber: string;
  contractNumber: string;
}

export async function loadSubscriberFacts(database: Database): Promise<SubscriberFacts[]> {
  // Two plain reads merged here: a correlated phone subquery per row is slow on PGlite.
  const [accounts, phones] = await Promise.all([
    database.rows<Omit<SubscriberFacts, 'phones'>>(sql`
      select s.id as "subscriberId", s.kind, s.surname, s.first_name as "firstName", s.patronymic,
        s.org_name as "orgName", s.inn, s.email, extract(year from s.birth_date)::int as "birthYear",
        a.number as "accountNumber", c.number as "contractNumber",
        st.street_type as "streetType", st.name as street, b.house, b.korpus, b.stroenie, b.litera, c.apartment
      from subscribers s
      join accounts a on a.subscriber_id = s.id
      join contracts c on c.account_id = a.id
      join buildings b on b.id = c.building_id
      join streets st on st.id = b.street_id
      order by a.id`),
    database.rows<{ subscriber_id: number; phone: string }>(
      sql`select subscriber_id, phone from subscriber_phones order by subscriber_id, is_primary desc, id`,
    ),
  ]);
  const phonesOf = new Map<number, string[]>();
  for (const row of phones) {
    const list = phonesOf.get(row.subscriber_id);
    if (list) list.push(row.phone);
    else phonesOf.set(row.subscriber_id, [row.phone]);
  }
  return accounts.map((row) => ({ ...row, phones: phonesOf.get(row.subscriberId) ?? [] }));
}

/**
 * `first`: an exact identifier must put its subscriber first. `top5`: a query only one subscriber
 * fits must put them in the top 5. `narrows`: a query many fit must leave the subscriber alone or
 * among at most 5 after at most 2 suggested questions answered from their record.
 */
export type Expectation = 'first' | 'top5' | 'narrows';

export interface LabelledQuery {
  category: string;
  q: string;
  expectation: Expectation;
  subscriberId: number;
  /** Subscribers that fit what the words mean (typos undone): 1 makes a text query single-fit. */
  fitting: number;
  /** The record the caller answers questions from. */
  facts: SubscriberFacts;
}

// ---------------------------------------------------------------------------------------------
// Counting who fits what a query means.

interface Meaning {
  surname?: string;
  firstName?: string;
  patronymic?: string;
  street?: string;
  /** One word of the street's name, said alone ("Маркса"). */
  streetWord?: string;
  streetType?: string;
  house?: string;
  /** Korpus, строение or litera as said; absent means any. */
  building?: string;
  apartment?: string;
  orgWord?: string;
}

const same = (a: string | null | undefined, b: string | undefined) => b === undefined || fold(a ?? '') === fold(b);

function fitsMeaning(facts: SubscriberFacts, meaning: Meaning): boolean {
  return (
    same(facts.surname, meaning.surname) &&
    same(facts.firstName, meaning.firstName) &&
    same(facts.patronymic, meaning.patronymic) &&
    same(facts.street, meaning.street) &&
    (meaning.streetWord === undefined ||
      fold(facts.street)
        .split(/[\s-]+/)
        .includes(fold(meaning.streetWord))) &&
    (meaning.streetType === undefined || facts.streetType === meaning.streetType) &&
    same(facts.house, meaning.house) &&
    same(facts.korpus ?? facts.stroenie ?? facts.litera, meaning.building) &&
    same(facts.apartment, meaning.apartment) &&
    (meaning.orgWord === undefined || fold(facts.orgName ?? '').includes(fold(meaning.orgWord)))
  );
}

class Population {
  private readonly bySurname = new Map<string, SubscriberFacts[]>();
  private readonly byStreet = new Map<string, SubscriberFacts[]>();
  private readonly byIdentifier = new Map<string, Set<number>>();

  constructor(readonly all: readonly SubscriberFacts[]) {
    const add = <K>(map: Map<K, SubscriberFacts[]>, key: K, facts: SubscriberFacts) => {
      const list = map.get(key);
      if (list) list.push(facts);
      else map.set(key, [facts]);
    };
    for (const facts of all) {
      if (facts.surname) add(this.bySurname, fold(facts.surname), facts);
      add(this.byStreet, fold(facts.street), facts);
      const identifiers = [facts.email ? fold(facts.email) : null, facts.inn, ...facts.phones];
      for (const identifier of identifiers) {
        if (!identifier) continue;
        const holders = this.byIdentifier.get(identifier) ?? new Set<number>();
        holders.add(facts.subscriberId);
        this.byIdentifier.set(identifier, holders);
      }
    }
  }

  /** Distinct subscribers that fit the meaning. */
  count(meaning: Meaning): number {
    const pool =
      meaning.surname !== undefined
        ? (this.bySurname.get(fold(meaning.surname)) ?? [])
        : meaning.street !== undefined
          ? (this.byStreet.get(fold(meaning.street)) ?? [])
          : this.all;
    return new Set(pool.filter((facts) => fitsMeaning(facts, meaning)).map((facts) => facts.subscriberId)).size;
  }

  holders(identifier: string): number {
    return this.byIdentifier.get(identifier)?.size ?? 0;
  }
}

// ---------------------------------------------------------------------------------------------
// The set.

interface Recipe {
  category: string;
  count: number;
  /** Which records this recipe can be made from. */
  eligible: (facts: SubscriberFacts) => boolean;
  make: (facts: SubscriberFacts, draw: Draw, population: Population) => { q: string; meaning?: Meaning } | null;
  exact?: boolean;
}

const isPerson = (facts: SubscriberFacts) => facts.kind === 'person' && Boolean(facts.surname && facts.firstName);
const hasFlat = (facts: SubscriberFacts) => facts.apartment !== null;
const longSurname = (facts: SubscriberFacts) => isPerson(facts) && [...facts.surname!].length >= TYPO_MIN_LENGTH;
const longStreet = (facts: SubscriberFacts) => /^[А-ЯЁа-яё]{5,}$/.test(facts.street);

function meaningOfAddress(
  facts: SubscriberFacts,
  street: Said,
  parts: { house?: boolean; apartment?: boolean },
): Meaning {
  return {
    street: facts.street,
    streetType: street.typed ? facts.streetType : undefined,
    house: parts.house ? facts.house : undefined,
    building: parts.house ? (facts.korpus ?? facts.stroenie ?? facts.litera ?? undefined) : undefined,
    apartment: parts.apartment ? (facts.apartment ?? undefined) : undefined,
  };
}

const fullName = (facts: SubscriberFacts) =>
  [facts.surname, facts.firstName, facts.patronymic].filter(Boolean).join(' ');

/** Replaces the one word of `text` that is `word` by its typo (double surnames: one part). */
function withTypo(word: string, draw: Draw): string {
  const parts = word.split('-');
  const long = parts.filter((part) => [...part].length >= TYPO_MIN_LENGTH);
  const chosen = long.length ? draw.pick(long) : parts[0]!;
  const changed = typo(chosen, draw.pick(typoKinds), draw);
  return parts.map((part) => (part === chosen ? changed : part)).join('-');
}

const recipes: Recipe[] = [
  // Exact identifiers: the subscriber must come first.
  { category: 'account', count: 60, exact: true, eligible: () => true, make: (f) => ({ q: f.accountNumber }) },
  {
    category: 'account with a space',
    count: 60,
    exact: true,
    eligible: () => true,
    make: (f, d) => ({
      q: d.chance(0.5) ? `${f.accountNumber.slice(0, 4)} ${f.accountNumber.slice(4)}` : `л/с ${f.accountNumber}`,
    }),
  },
  {
    category: 'contract',
    count: 50,
    exact: true,
    eligible: () => true,
    make: (f, d) => ({ q: d.chance(0.7) ? f.contractNumber : f.contractNumber.toLowerCase().replaceAll('-', ' ') }),
  },
  {
    category: 'contract without prefix',
    count: 50,
    exact: true,
    eligible: () => true,
    make: (f) => ({ q: f.contractNumber.slice(3) }),
  },
  {
    category: 'contract serial only',
    count: 50,
    exact: true,
    eligible: () => true,
    make: (f) => ({ q: f.contractNumber.slice(8) }),
  },
  ...[0, 1, 2, 3].map(
    (form): Recipe => ({
      category: `phone ${['8 912 345-67-89', '+7 (912) 3456789', '9123456789', '+79123456789'][form]}`,
      count: 45,
      exact: true,
      eligible: (f) => f.phones.length > 0,
      make: (f, d) => ({ q: phoneForms(d.chance(0.8) ? f.phones[0]! : d.pick(f.phones))[form]! }),
    }),
  ),
  {
    category: 'e-mail',
    count: 50,
    exact: true,
    eligible: (f) => Boolean(f.email),
    make: (f, d) => ({ q: d.chance(0.3) ? f.email!.toUpperCase() : f.email! }),
  },
  { category: 'ИНН', count: 40, exact: true, eligible: (f) => Boolean(f.inn), make: (f) => ({ q: f.inn! }) },

  // A name with an address: usually one subscriber fits.
  {
    category: 'full name, address, flat',
    count: 120,
    eligible: (f) => isPerson(f) && hasFlat(f),
    make: (f, d) => {
      const address = addressText(f, d, true);
      const q = d.chance(0.7) ? `${fullName(f)}, ${address.text}` : `${address.text} ${fullName(f)}`;
      return {
        q,
        meaning: {
          surname: f.surname!,
          firstName: f.firstName!,
          patronymic: f.patronymic ?? undefined,
          ...meaningOfAddress(f, address, { house: true, apartment: true }),
        },
      };
    },
  },
  {
    category: 'full name and address',
    count: 100,
    eligible: isPerson,
    make: (f, d) => {
      const address = addressText(f, d, false);
      return {
        q: `${fullName(f)} ${address.text}`,
        meaning: {
          surname: f.surname!,
          firstName: f.firstName!,
          patronymic: f.patronymic ?? undefined,
          ...meaningOfAddress(f, address, { house: true }),
        },
      };
    },
  },
  {
    category: 'address with flat',
    count: 150,
    eligible: hasFlat,
    make: (f, d) => {
      const address = addressText(f, d, true);
      return { q: address.text, meaning: meaningOfAddress(f, address, { house: true, apartment: true }) };
    },
  },
  {
    category: 'surname, street, house',
    count: 150,
    eligible: isPerson,
    make: (f, d) => {
      const address = addressText(f, d, false);
      return {
        q: `${f.surname} ${address.text}`,
        meaning: { surname: f.surname!, ...meaningOfAddress(f, address, { house: true }) },
      };
    },
  },
  {
    category: 'surname, first name, street',
    count: 80,
    eligible: isPerson,
    make: (f, d) => {
      const street = streetText(f, d);
      return {
        q: d.chance(0.5) ? `${f.surname} ${f.firstName} ${street.text}` : `${f.firstName} ${f.surname}, ${street.text}`,
        meaning: { surname: f.surname!, firstName: f.firstName!, ...meaningOfAddress(f, street, {}) },
      };
    },
  },
  {
    category: 'typo in surname, street, house',
    count: 120,
    eligible: longSurname,
    make: (f, d) => {
      const address = addressText(f, d, false);
      return {
        q: `${withTypo(f.surname!, d)} ${address.text}`,
        meaning: { surname: f.surname!, ...meaningOfAddress(f, address, { house: true }) },
      };
    },
  },
  {
    category: 'typo in street, house, flat',
    count: 100,
    eligible: (f) => hasFlat(f) && longStreet(f),
    make: (f, d) => {
      const street = streetText(f, d, { name: withTypo(f.street, d) });
      const address = addressText(f, d, true, street);
      return { q: address.text, meaning: meaningOfAddress(f, street, { house: true, apartment: true }) };
    },
  },
  {
    category: 'typo in full name',
    count: 80,
    eligible: longSurname,
    make: (f, d) => ({
      q: `${withTypo(f.surname!, d)} ${f.firstName} ${f.patronymic ?? ''}`.trim(),
      meaning: { surname: f.surname!, firstName: f.firstName!, patronymic: f.patronymic ?? undefined },
    }),
  },
  {
    category: 'ё written as е',
    count: 80,
    eligible: (f) => isPerson(f) && /ё/i.test(`${f.surname}${f.firstName}${f.patronymic}${f.street}`),
    make: (f, d) => {
      const address = addressText(f, d, d.chance(0.5));
      const q = yoToYe(`${f.surname} ${d.chance(0.5) ? `${f.firstName} ` : ''}${address.text}`);
      return {
        q,
        meaning: {
          surname: f.surname!,
          firstName: q.includes(yoToYe(f.firstName!)) ? f.firstName! : undefined,
          ...meaningOfAddress(f, address, { house: true, apartment: /кв|-\d+$/.test(address.text) }),
        },
      };
    },
  },
  {
    category: 'street type abbreviations',
    count: 100,
    eligible: (f) => f.streetType !== 'ул',
    make: (f, d) => {
      const street = streetText(f, d, { typed: true });
      const withFlat = hasFlat(f) && d.chance(0.5);
      const address = addressText(f, d, withFlat, street);
      const surname = isPerson(f) && !withFlat;
      return {
        q: surname ? `${f.surname} ${address.text}` : address.text,
        meaning: {
          surname: surname ? f.surname! : undefined,
          ...meaningOfAddress(f, street, { house: true, apartment: withFlat }),
        },
      };
    },
  },
  {
    category: 'mixed order',
    count: 80,
    eligible: (f) => isPerson(f) && hasFlat(f),
    make: (f, d) => {
      const address = addressText(f, d, true);
      const q = d.chance(0.5) ? `${address.text} ${f.surname}` : `${f.firstName} ${f.surname} ${address.text}`;
      return {
        q,
        meaning: {
          surname: f.surname!,
          firstName: q.startsWith(f.firstName!) ? f.firstName! : undefined,
          ...meaningOfAddress(f, address, { house: true, apartment: true }),
        },
      };
    },
  },

  {
    category: 'typo in first name',
    count: 40,
    eligible: (f) => isPerson(f) && [...f.firstName!].length >= TYPO_MIN_LENGTH,
    make: (f, d) => {
      const address = addressText(f, d, false);
      return {
        q: `${f.surname} ${withTypo(f.firstName!, d)} ${address.text}`,
        meaning: { surname: f.surname!, firstName: f.firstName!, ...meaningOfAddress(f, address, { house: true }) },
      };
    },
  },
  {
    category: 'street by one word of its name',
    count: 40,
    eligible: (f) => hasFlat(f) && /^[А-ЯЁа-яё]+ [А-ЯЁа-яё]{4,}$/.test(f.street),
    make: (f, d) => {
      // "Маркса 5 кв 3" for ул. Карла Маркса: callers drop the first name of a person's street.
      const street = { text: f.street.split(' ').at(-1)!, typed: false };
      const address = addressText(f, d, true, street);
      return {
        q: address.text,
        meaning: {
          ...meaningOfAddress(f, street, { house: true, apartment: true }),
          street: undefined,
          streetWord: street.text,
        },
      };
    },
  },

  // What many subscribers fit: the questions must narrow it.
  {
    category: 'surname alone',
    count: 150,
    eligible: isPerson,
    make: (f) => ({ q: f.surname!, meaning: { surname: f.surname! } }),
  },
  {
    category: 'street and house',
    count: 120,
    eligible: () => true,
    make: (f, d) => {
      const address = addressText(f, d, false);
      return { q: address.text, meaning: meaningOfAddress(f, address, { house: true }) };
    },
  },
  {
    category: 'surname and first name',
    count: 80,
    eligible: isPerson,
    make: (f, d) => ({
      q: d.chance(0.7) ? `${f.surname} ${f.firstName}` : `${f.firstName} ${f.surname}`,
      meaning: { surname: f.surname!, firstName: f.firstName! },
    }),
  },
  {
    category: 'typo in surname alone',
    count: 80,
    eligible: longSurname,
    make: (f, d) => ({ q: withTypo(f.surname!, d), meaning: { surname: f.surname! } }),
  },
  {
    category: 'street alone',
    count: 60,
    eligible: () => true,
    make: (f, d) => {
      // Without a house, a bare "Малышева" is the surname; callers say "улица Малышева" (docs).
      const street = streetText(f, d, { typed: true });
      return { q: street.text, meaning: meaningOfAddress(f, street, {}) };
    },
  },
  {
    category: 'namesakes: full name',
    count: 60,
    eligible: isPerson,
    make: (f, _d, population) => {
      const meaning = { surname: f.surname!, firstName: f.firstName!, patronymic: f.patronymic ?? undefined };
      // Only people who share their full name with someone: the hardest namesakes.
      return population.count(meaning) > 1 ? { q: fullName(f), meaning } : null;
    },
  },
  {
    category: 'organisation name',
    count: 40,
    eligible: (f) => f.kind === 'organisation' && /«[^»]+»/.test(f.orgName ?? ''),
    make: (f) => {
      const name = /«([^»]+)»/.exec(f.orgName!)![1]!;
      return { q: name, meaning: { orgWord: name } };
    },
  },
];

/**
 * The labelled set: each recipe draws its subscribers at random (seeded) from those it fits, and
 * says each query in a random case, with ё kept or written as е.
 */
export function generateQualitySet(all: readonly SubscriberFacts[], seed = 4): LabelledQuery[] {
  const population = new Population(all);
  const queries: LabelledQuery[] = [];
  for (const [index, recipe] of recipes.entries()) {
    const draw = new Draw(seed * 1_000 + index);
    const eligible = all.filter(recipe.eligible);
    if (eligible.length === 0) continue;
    let made = 0;
    for (let tries = 0; made < recipe.count && tries < recipe.count * 20; tries++) {
      const facts = draw.pick(eligible);
      const said = recipe.make(facts, draw, population);
      if (!said) continue;
      made++;
      if (recipe.exact) {
        queries.push({
          category: recipe.category,
          q: said.q,
          expectation: 'first',
          subscriberId: facts.subscriberId,
          fitting: 1,
          facts,
        });
        continue;
      }
      let q = casing(said.q, draw);
      if (draw.chance(0.5)) q = yoToYe(q);
      const fitting = population.count(said.meaning ?? {});
      queries.push({
        category: recipe.category,
        q,
        expectation: fitting <= 1 ? 'top5' : 'narrows',
        subscriberId: facts.subscriberId,
        fitting,
        facts,
      });
    }
  }
  return queries;
}

/** Subscribers that carry an exact identifier: a phone shared by a family names them all. */
export function identifierHolders(all: readonly SubscriberFacts[]): (identifier: string) => number {
  const population = new Population(all);
  return (identifier) => population.holders(identifier);
}
