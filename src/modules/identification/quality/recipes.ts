import type { IdentifyQuery } from '../../../common/api/identification.js';
import {
  addressText,
  type Draw,
  inLatin,
  inWrongLayout,
  latinStyles,
  localPhoneText,
  phoneForms,
  type Said,
  streetText,
  TYPO_MIN_LENGTH,
  typo,
  typoKinds,
  yoToYe,
} from './forms.js';
import type { Meaning, Population } from './population.js';
import type { SubscriberFacts } from './subscriber-facts.js';

/**
 * The recipes of the labelled query set (labelled-set.ts): for each category, which subscribers
 * it can be made from, what the caller says, and what those words mean (to count who fits them).
 */

export interface Recipe {
  category: string;
  count: number;
  /** Which records this recipe can be made from. */
  eligible: (facts: SubscriberFacts) => boolean;
  make: (
    facts: SubscriberFacts,
    draw: Draw,
    population: Population,
  ) => { q: string; meaning?: Meaning; answers?: Omit<IdentifyQuery, 'q'> } | null;
  exact?: boolean;
}

/** The demo city's area code, as ISP_AREA_CODE defaults to. */
const AREA_CODE = '343';

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

export const recipes: Recipe[] = [
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

  // Said as real callers also say it (issue 10); last, so the earlier recipes draw the same queries.
  {
    category: 'local number without the area code',
    count: 40,
    exact: true,
    eligible: (f) => f.phones.some((phone) => phone.startsWith(`+7${AREA_CODE}`)),
    make: (f, d) => {
      const local = localPhoneText(f.phones.find((phone) => phone.startsWith(`+7${AREA_CODE}`))!, AREA_CODE)!;
      return { q: d.chance(0.7) ? local : local.replaceAll('-', '') };
    },
  },
  {
    category: 'contract serial without zeros',
    count: 40,
    exact: true,
    eligible: () => true,
    make: (f, d) => {
      const [, year, serial] = f.contractNumber.split('-');
      const short = String(Number(serial));
      return { q: d.pick([`договор ${short}`, `договор № ${short}`, `LD-${year}-${short}`, `ld ${short}`]) };
    },
  },
  {
    category: 'street with digits, house, flat',
    count: 60,
    eligible: (f) => hasFlat(f) && /\d/.test(f.street),
    make: (f, d) => {
      // Half the time with a typo in a word of the name ("8 ммарта", "1905 гда").
      const words = f.street.split(' ');
      const long = words.filter((word) => /^[А-ЯЁа-яё]{5,}$/.test(word));
      const name =
        long.length && d.chance(0.5)
          ? words.map((word) => (word === long[0] ? withTypo(word, d) : word)).join(' ')
          : f.street;
      const street = streetText(f, d, { name });
      const address = addressText(f, d, true, street);
      return { q: address.text, meaning: meaningOfAddress(f, street, { house: true, apartment: true }) };
    },
  },
  {
    category: 'street corrected by an answer',
    count: 60,
    eligible: (f) => isPerson(f) && /^[А-ЯЁа-яё]{5,}$/.test(f.street),
    make: (f, d, population) => {
      // The query names another street (misheard or misread); the caller's answer gives the right one.
      const other = d.pick(population.all).street;
      if (other === f.street || /\d/.test(other)) return null;
      const street = { text: other, typed: false };
      const address = addressText(f, d, false, street);
      return {
        q: `${f.surname} ${address.text}`,
        answers: { street: `${f.streetType} ${f.street}` },
        meaning: { surname: f.surname!, ...meaningOfAddress(f, { text: f.street, typed: true }, { house: true }) },
      };
    },
  },
  {
    category: 'Latin letters',
    count: 90,
    eligible: (f) => isPerson(f) && /^[А-ЯЁа-яё -]+$/.test(f.street),
    make: (f, d) => {
      const style = d.pick(latinStyles);
      const address = addressText(f, d, false, { text: f.street, typed: false });
      const withFirstName = d.chance(0.5);
      const said = `${f.surname}${withFirstName ? ` ${f.firstName}` : ''} ${address.text}`;
      return {
        q: inLatin(said, style),
        meaning: {
          surname: f.surname!,
          firstName: withFirstName ? f.firstName! : undefined,
          ...meaningOfAddress(f, { text: f.street, typed: false }, { house: true }),
        },
      };
    },
  },
  {
    category: 'wrong keyboard layout',
    count: 80,
    eligible: (f) => isPerson(f) && /^[А-ЯЁа-яё -]+$/.test(f.street),
    make: (f, d) => {
      const address = addressText(f, d, d.chance(0.5) && hasFlat(f), streetText(f, d));
      const said = d.chance(0.5) ? `${f.surname} ${address.text}` : `${f.surname} ${f.firstName}`;
      const named = said.includes(f.firstName!) && !said.includes(address.text);
      return {
        q: inWrongLayout(said),
        meaning: named
          ? { surname: f.surname!, firstName: f.firstName! }
          : {
              surname: f.surname!,
              ...meaningOfAddress(f, address, { house: true, apartment: /кв|-\d+$/.test(address.text) }),
            },
      };
    },
  },
];
