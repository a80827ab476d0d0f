import { sql } from 'drizzle-orm';
import type { Askable, Identification, IdentifyQuery } from '../../common/api/identification.js';
import type { Database } from '../../db/connection.js';
import type { AddressParts } from './address.js';
import { fold } from './vocabulary.js';

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
// Deterministic randomness (mulberry32): the set is the same for the same data and seed.

class Draw {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(probability: number): boolean {
    return this.next() < probability;
  }
}

// ---------------------------------------------------------------------------------------------
// Ways of saying things.

const LETTERS = 'абвгдежзийклмнопрстуфхцчшщыэюя';
export type TypoKind = 'wrong' | 'missing' | 'doubled' | 'swapped';
export const typoKinds: readonly TypoKind[] = ['wrong', 'missing', 'doubled', 'swapped'];

/** One typo of the kind asked, never at the first letter (callers spell the start right most often). */
export function typo(word: string, kind: TypoKind, draw: { int(max: number): number }): string {
  const letters = [...word];
  if (letters.length < 3) return word;
  const at = 1 + draw.int(letters.length - 1);
  switch (kind) {
    case 'wrong': {
      const current = letters[at]!.toLowerCase();
      const options = [...LETTERS].filter((letter) => letter !== current);
      letters[at] = options[draw.int(options.length)]!;
      break;
    }
    case 'missing':
      letters.splice(at, 1);
      break;
    case 'doubled':
      letters.splice(at, 0, letters[at]!);
      break;
    case 'swapped': {
      let i = Math.min(at, letters.length - 2);
      for (let tries = 0; tries < letters.length && letters[i] === letters[i + 1]; tries++) {
        i = 1 + ((i - 1 + 1) % (letters.length - 2));
      }
      [letters[i], letters[i + 1]] = [letters[i + 1]!, letters[i]!];
      break;
    }
  }
  return letters.join('');
}

/** Typos only in words of 5 letters and more: a 3-letter name with a typo is another name (docs). */
const TYPO_MIN_LENGTH = 5;

const typeForms: Record<string, string[]> = {
  ул: ['', '', 'ул.', 'ул', 'улица'],
  'пр-кт': ['', 'пр-кт', 'просп.', 'проспект', 'пр.'],
  пер: ['', 'пер.', 'переулок'],
  'б-р': ['', 'б-р', 'бульвар', 'бул.'],
  ш: ['', 'ш.', 'шоссе'],
  наб: ['', 'наб.', 'набережная'],
  пл: ['', 'пл.', 'площадь'],
  мкр: ['', 'мкр.', 'мкр', 'микрорайон', 'мкрн'],
  проезд: ['', 'проезд', 'пр-д'],
};

interface Said {
  text: string;
  /** The caller named the street's type, so only that type fits. */
  typed: boolean;
}

function streetText(facts: SubscriberFacts, draw: Draw, options: { typed?: boolean; name?: string } = {}): Said {
  const forms = typeForms[facts.streetType] ?? [''];
  const named = forms.filter(Boolean);
  const form = options.typed ? draw.pick(named.length ? named : forms) : draw.pick(forms);
  const name = options.name ?? facts.street;
  if (!form) return { text: name, typed: false };
  return { text: draw.chance(0.2) ? `${name} ${form}` : `${form} ${name}`, typed: true };
}

/** The house with its korpus, строение or litera in one of the ways people write them. */
function houseText(facts: SubscriberFacts, draw: Draw, withPrefix = draw.chance(0.3)): string {
  const house = facts.house;
  let text = house;
  if (facts.korpus) {
    text = draw.pick([
      `${house}к${facts.korpus}`,
      `${house} к${facts.korpus}`,
      `${house} корп. ${facts.korpus}`,
      `${house}, корп. ${facts.korpus}`,
      `${house} корпус ${facts.korpus}`,
    ]);
  } else if (facts.stroenie) {
    text = draw.pick([
      `${house} стр. ${facts.stroenie}`,
      `${house}с${facts.stroenie}`,
      `${house} строение ${facts.stroenie}`,
    ]);
  } else if (facts.litera) {
    text = draw.pick([
      `${house}${facts.litera}`,
      `${house} лит. ${facts.litera}`,
      `${house}${facts.litera.toLowerCase()}`,
    ]);
  }
  return withPrefix ? `${draw.pick(['д.', 'д', 'дом'])} ${text}` : text;
}

function addressText(facts: SubscriberFacts, draw: Draw, apartment: boolean, street = streetText(facts, draw)): Said {
  const house = houseText(facts, draw);
  if (!apartment || !facts.apartment)
    return { text: `${street.text}${draw.chance(0.3) ? ',' : ''} ${house}`, typed: street.typed };
  const simpleHouse = !/\s|к|с|лит/.test(house);
  const form = draw.int(simpleHouse ? 5 : 4);
  const text =
    form === 0
      ? `${street.text} ${house} кв ${facts.apartment}`
      : form === 1
        ? `${street.text}, ${house}, кв. ${facts.apartment}`
        : form === 2
          ? `${street.text} ${house} квартира ${facts.apartment}`
          : form === 3
            ? `${street.text} ${house} кв.${facts.apartment}`
            : `${street.text} ${house}-${facts.apartment}`;
  return { text, typed: street.typed };
}

const phoneForms = (e164: string) => {
  const d = e164.slice(2);
  return [
    `8 ${d.slice(0, 3)} ${d.slice(3, 6)}-${d.slice(6, 8)}-${d.slice(8)}`,
    `+7 (${d.slice(0, 3)}) ${d.slice(3)}`,
    d,
    e164,
  ];
};

function casing(text: string, draw: Draw): string {
  const roll = draw.next();
  if (roll < 0.4) return text.toLowerCase();
  if (roll < 0.5) return text.toUpperCase();
  return text;
}

const yoToYe = (text: string) => text.replaceAll('ё', 'е').replaceAll('Ё', 'Е');

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

// ---------------------------------------------------------------------------------------------
// Measuring.

/** The answer the caller gives from their own record. */
export function answerFrom(facts: SubscriberFacts, attribute: Askable): string | number | undefined {
  // "Нет" is an answer too: no apartment in a private house, no korpus, no patronymic.
  switch (attribute) {
    case 'firstName':
      return facts.firstName ?? 'нет';
    case 'patronymic':
      return facts.patronymic ?? 'нет';
    case 'street':
      return `${facts.streetType} ${facts.street}`;
    case 'house':
      return `${facts.house}${facts.litera ?? ''}`;
    case 'building':
      return facts.korpus ?? facts.stroenie ?? facts.litera ?? 'нет';
    case 'apartment':
      return facts.apartment ?? 'нет';
    case 'birthYear':
      return facts.birthYear ?? undefined;
    case 'phoneLast4':
      return facts.phones[0]?.slice(-4);
  }
}

export interface QueryOutcome {
  query: LabelledQuery;
  passed: boolean;
  /** Place of the subscriber in the first answer (1-based), or null when not shown. */
  rank: number | null;
  /** Questions answered before the list held the subscriber among at most 5 (narrows). */
  questions: number;
  asked: Askable[];
  /** Candidates in play at the end. */
  listSize: number;
  millis: number;
}

/** The list is short enough to read out: at most this many candidates in play. */
export const SHORT_LIST = 5;
export const MAX_QUESTIONS = 2;

export async function measureQuery(
  identify: (input: IdentifyQuery) => Promise<Identification>,
  query: LabelledQuery,
  holders: (identifier: string) => number,
): Promise<QueryOutcome> {
  const started = performance.now();
  const input: IdentifyQuery = { q: query.q };
  const asked: Askable[] = [];
  let result = await identify(input);
  const place = (answer: Identification) => {
    const index = answer.candidates.findIndex((candidate) => candidate.subscriberId === query.subscriberId);
    return index < 0 ? null : index + 1;
  };
  const rank = place(result);
  const outcome = (passed: boolean): QueryOutcome => ({
    query,
    passed,
    rank,
    questions: asked.length,
    asked,
    listSize: result.total,
    millis: performance.now() - started,
  });
  if (query.expectation === 'first') {
    if (!result.exact || rank === null) return outcome(false);
    if (rank === 1) return outcome(true);
    // A phone or e-mail shared by several subscribers names them all equally: first among equals.
    const top = result.candidates[0]!.score;
    const identifier = result.reading.identifiers.find((value) => holders(value) > 1);
    return outcome(identifier !== undefined && result.candidates[rank - 1]!.score === top);
  }
  if (query.expectation === 'top5') return outcome(rank !== null && rank <= SHORT_LIST);
  for (;;) {
    const shown = place(result) !== null;
    if (shown && !result.totalIsCapped && result.total <= SHORT_LIST) return outcome(true);
    const question = result.nextQuestion;
    if (asked.length >= MAX_QUESTIONS || !question) return outcome(false);
    const answer = answerFrom(query.facts, question.attribute);
    if (answer === undefined) return outcome(false);
    asked.push(question.attribute);
    (input as Record<string, unknown>)[question.attribute] = answer;
    result = await identify(input);
  }
}

export interface CategoryFigures {
  category: string;
  expectation: Expectation | 'mixed';
  queries: number;
  singleFit: number;
  manyFit: number;
  passed: number;
  /** Share passed, 0..1. */
  rate: number;
  top1: number;
  meanQuestions: number;
  meanMillis: number;
}

export function figuresByCategory(outcomes: readonly QueryOutcome[]): CategoryFigures[] {
  const groups = new Map<string, QueryOutcome[]>();
  for (const outcome of outcomes)
    groups.set(outcome.query.category, [...(groups.get(outcome.query.category) ?? []), outcome]);
  return [...groups.entries()].map(([category, list]) => {
    const expectations = new Set(list.map((outcome) => outcome.query.expectation));
    const narrows = list.filter((outcome) => outcome.query.expectation === 'narrows');
    return {
      category,
      expectation: expectations.size === 1 ? [...expectations][0]! : 'mixed',
      queries: list.length,
      singleFit: list.filter((outcome) => outcome.query.expectation === 'top5').length,
      manyFit: narrows.length,
      passed: list.filter((outcome) => outcome.passed).length,
      rate: list.filter((outcome) => outcome.passed).length / list.length,
      top1: list.filter((outcome) => outcome.rank === 1).length,
      meanQuestions: narrows.length ? narrows.reduce((sum, outcome) => sum + outcome.questions, 0) / narrows.length : 0,
      meanMillis: list.reduce((sum, outcome) => sum + outcome.millis, 0) / list.length,
    };
  });
}

/** Pass rates of the three rules of the issue, over all categories. */
export function figuresByRule(outcomes: readonly QueryOutcome[]) {
  const rule = (expectation: Expectation) => {
    const list = outcomes.filter((outcome) => outcome.query.expectation === expectation);
    const passed = list.filter((outcome) => outcome.passed).length;
    return { queries: list.length, passed, rate: list.length ? passed / list.length : 1 };
  };
  return { first: rule('first'), top5: rule('top5'), narrows: rule('narrows') };
}

export function formatFigures(outcomes: readonly QueryOutcome[]): string {
  const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
  const lines = [
    '| category | queries | single fit | many fit | passed | top 1 | mean questions (many fit) | mean ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of figuresByCategory(outcomes)) {
    lines.push(
      `| ${row.category} | ${row.queries} | ${row.singleFit} | ${row.manyFit} | ${percent(row.rate)} | ${row.top1} | ${row.manyFit ? row.meanQuestions.toFixed(2) : '–'} | ${row.meanMillis.toFixed(1)} |`,
    );
  }
  const rules = figuresByRule(outcomes);
  lines.push(
    '',
    `exact identifier first: ${rules.first.passed}/${rules.first.queries} (${percent(rules.first.rate)}); ` +
      `single fit in top 5: ${rules.top5.passed}/${rules.top5.queries} (${percent(rules.top5.rate)}); ` +
      `many fit narrowed to ≤ ${SHORT_LIST} in ≤ ${MAX_QUESTIONS} questions: ${rules.narrows.passed}/${rules.narrows.queries} (${percent(rules.narrows.rate)})`,
  );
  return lines.join('\n');
}
