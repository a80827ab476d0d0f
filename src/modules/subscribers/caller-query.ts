import { isValidAccountNumber, parseContractNumber } from './identifiers.js';
import { normalisePhone } from './phone.js';

/**
 * What the caller said, read every way it can be read: exact identifiers (account, contract,
 * phone, e-mail, ИНН) and the words and numbers of a name and an address. Pure: no database.
 */
export interface CallerQuery {
  accountNumbers: string[];
  contracts: { year: number | null; serial: number }[];
  phones: string[];
  emails: string[];
  inns: string[];
  /** Folded words (lower case, ё → е) that may be a surname, first name, patronymic or street. */
  words: string[];
  /** Words the caller marked as a street ("ул. Ленина"), with the type they used. */
  streetWords: string[];
  streetType: string | null;
  house: string | null;
  korpus: string | null;
  stroenie: string | null;
  litera: string | null;
  apartment: string | null;
}

/** Lower case with ё folded to е: the form every name, street and vocabulary word is kept in. */
export function fold(text: string): string {
  return text.toLowerCase().replaceAll('ё', 'е');
}

// Street types as callers and forms write them, to the canonical types the database keeps.
const streetTypeWords: Record<string, string> = {
  ул: 'ул',
  улица: 'ул',
  'пр-кт': 'пр-кт',
  'пр-т': 'пр-кт',
  просп: 'пр-кт',
  проспект: 'пр-кт',
  пр: 'пр',
  пер: 'пер',
  переулок: 'пер',
  'б-р': 'б-р',
  бул: 'б-р',
  бульвар: 'б-р',
  ш: 'ш',
  шоссе: 'ш',
  наб: 'наб',
  набережная: 'наб',
  пл: 'пл',
  площадь: 'пл',
  мкр: 'мкр',
  'мкр-н': 'мкр',
  микрорайон: 'мкр',
  проезд: 'проезд',
  'пр-д': 'проезд',
  туп: 'туп',
  тупик: 'туп',
};

const markerWords: Record<string, 'house' | 'korpus' | 'stroenie' | 'apartment' | 'litera' | 'city'> = {
  д: 'house',
  дом: 'house',
  к: 'korpus',
  корп: 'korpus',
  корпус: 'korpus',
  стр: 'stroenie',
  строение: 'stroenie',
  кв: 'apartment',
  квартира: 'apartment',
  'кв-ра': 'apartment',
  лит: 'litera',
  литера: 'litera',
  г: 'city',
  город: 'city',
};

// Small words that carry no identity ("на", "и") are dropped rather than matched as names.
const noiseWords = new Set(['на', 'в', 'и', 'по', 'от', 'у', 'это', 'я']);

const MAX_QUERY_LENGTH = 200;
const MAX_TOKENS = 12;

const emptyQuery = (): CallerQuery => ({
  accountNumbers: [],
  contracts: [],
  phones: [],
  emails: [],
  inns: [],
  words: [],
  streetWords: [],
  streetType: null,
  house: null,
  korpus: null,
  stroenie: null,
  litera: null,
  apartment: null,
});

const isInn = (digits: string) => digits.length === 10 || digits.length === 12;

/** The readings of a string of digits (and phone punctuation) as exact identifiers. */
function readIdentifier(text: string, query: CallerQuery): boolean {
  const contract = parseContractNumber(text);
  const digits = text.replace(/[\s\-()+.]/g, '');
  const phone = normalisePhone(text);
  let read = false;
  if (/^\d+$/.test(digits)) {
    if (isValidAccountNumber(digits)) {
      query.accountNumbers.push(digits);
      read = true;
    }
    if (phone) {
      query.phones.push(phone);
      read = true;
    }
    if (isInn(digits)) {
      query.inns.push(digits);
      read = true;
    }
  }
  // A bare 6-7 digit serial is read as a contract only when nothing else fits, e.g. "012345".
  if (contract && (!read || contract.year !== null)) {
    query.contracts.push(contract);
    read = true;
  }
  return read;
}

/**
 * Splits "Ленина 5к2", "5-12", "д.5", "кв.12" into tokens: numbers with their letter and
 * fraction stay whole ("5а", "5/2"), a korpus glued to the house is split off.
 */
function tokenise(text: string): string[] {
  return fold(text)
    .replace(/№/g, ' ')
    .replace(/(\d)\s*к(?:орп(?:ус)?)?\.?\s*(\d)/g, '$1 к $2')
    .replace(/(\d)\s*стр\.?\s*(\d)/g, '$1 стр $2')
    .replace(/(^|[\s,.])(д|дом|к|корп|корпус|кв|стр|лит|ул|пер|пл|ш|наб|мкр|просп|г)\.(?=\S)/g, '$1$2 ')
    .replace(/(\d)\s*([а-я])(?![а-я])/g, '$1$2')
    .split(/[\s,;:]+/)
    .map((token) => token.replace(/^[.\-'"«»()]+|[.'"«»()]+$/g, ''))
    .filter(Boolean)
    .slice(0, MAX_TOKENS);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Reads what the caller said; an empty or meaningless query reads as an empty CallerQuery.
 * `compoundStreets` are folded street names with digits or several words ("8 марта", "карла
 * маркса"): found whole in the text first, so "8 Марта 5" is a street and a house, not house 8.
 */
export function parseCallerQuery(input: string, compoundStreets: readonly string[] = []): CallerQuery {
  const query = emptyQuery();
  const text = input.normalize('NFC').slice(0, MAX_QUERY_LENGTH).trim();
  if (!text) return query;

  // The whole query as one identifier: "8 912 345-67-89", "LD-2019-012345", "1000 0073".
  if (/^[\d\s\-()+.]+$/.test(text) || parseContractNumber(text)) {
    if (readIdentifier(text, query)) return query;
  }

  let remaining = fold(text);
  for (const street of compoundStreets) {
    const pattern = new RegExp(`(^|[\\s,.])${escapeRegExp(street)}(?=$|[\\s,.])`, 'u');
    if (pattern.test(remaining)) {
      query.streetWords.push(street);
      remaining = remaining.replace(pattern, '$1 ');
    }
  }
  for (const email of remaining.match(/[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+/g) ?? []) {
    query.emails.push(fold(email));
    remaining = remaining.replace(email, ' ');
  }

  const tokens = tokenise(remaining);
  let expecting: 'house' | 'korpus' | 'stroenie' | 'apartment' | 'litera' | 'street' | 'city' | null = null;
  let lastWasWord = false;
  for (const token of tokens) {
    const streetType = streetTypeWords[token];
    if (streetType) {
      query.streetType = streetType;
      expecting = 'street';
      lastWasWord = false;
      continue;
    }
    const marker = markerWords[token];
    if (marker) {
      expecting = marker;
      lastWasWord = false;
      continue;
    }
    // House with apartment: "5-12", "5а-12", "5/2-12".
    const houseApartment = /^(\d+[а-я]?(?:\/\d+[а-я]?)?)-(\d+)$/.exec(token);
    if (houseApartment && !query.house) {
      query.house = houseApartment[1]!;
      query.apartment = houseApartment[2]!;
      expecting = null;
      continue;
    }
    if (/^\d+[а-я]?(?:\/\d+[а-я]?)?$/.test(token)) {
      if (/^\d{6,}$/.test(token) && readIdentifier(token, query)) {
        expecting = null;
        continue;
      }
      if (expecting === 'korpus') query.korpus = token;
      else if (expecting === 'stroenie') query.stroenie = token;
      else if (expecting === 'apartment') query.apartment = token;
      else if (expecting === 'litera') query.litera = token;
      else if (expecting === 'house' || !query.house) query.house = token;
      else if (!query.apartment) query.apartment = token;
      expecting = null;
      lastWasWord = false;
      continue;
    }
    if (expecting === 'litera' && /^[а-я]$/.test(token)) {
      query.litera = token;
      expecting = null;
      continue;
    }
    if (/^[а-яa-z]+(?:-[а-яa-z]+)*$/.test(token)) {
      if (expecting === 'city') {
        expecting = null;
        continue;
      }
      if (noiseWords.has(token)) continue;
      // "8 Марта", "1905 года": a number before a street word belongs to the street's name.
      if (expecting === 'street' || (query.streetWords.length > 0 && lastWasWord && query.house === null)) {
        query.streetWords.push(token);
      } else {
        query.words.push(token);
      }
      expecting = expecting === 'street' ? 'street' : null;
      lastWasWord = true;
      continue;
    }
    if (/[\d]/.test(token) && readIdentifier(token, query)) continue;
  }
  return query;
}

/** True when the query holds nothing to search by. */
export function isEmptyQuery(query: CallerQuery): boolean {
  return (
    query.accountNumbers.length +
      query.contracts.length +
      query.phones.length +
      query.emails.length +
      query.inns.length +
      query.words.length +
      query.streetWords.length ===
      0 && query.house === null
  );
}

/** The exact identifiers in the query, which win outright when they find someone. */
export function hasExactIdentifier(query: CallerQuery): boolean {
  return (
    query.accountNumbers.length +
      query.contracts.length +
      query.phones.length +
      query.emails.length +
      query.inns.length >
    0
  );
}
