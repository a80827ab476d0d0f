import { isValidAccountNumber, isValidInn, parseContractNumber } from './identifiers.js';
import { normalisePhone } from './phone.js';
import {
  type BuildingEntry,
  fold,
  matchWord,
  type StreetEntry,
  type Vocabulary,
  type WordMatch,
} from './vocabulary.js';

export { fold };

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
  /** Folded words (lower case, ё → е) that may be a surname, first name, patronymic, street or organisation. */
  words: string[];
  /** Index in `words` of the word said right before the house number ("Ленина 5"): most likely its street. */
  wordBeforeHouse: number | null;
  /** Words the caller marked as a street ("ул. Ленина", "Карла Маркса"), in order. */
  streetWords: string[];
  /** The canonical street type the caller used: ул, пр-кт, пр (проспект or проезд), пер, б-р, ш, наб, пл, мкр, проезд, туп. */
  streetType: string | null;
  /** Folded as said: "5", "5а", "5/2". */
  house: string | null;
  korpus: string | null;
  stroenie: string | null;
  litera: string | null;
  apartment: string | null;
  /** The caller named an organisation form (ООО, АО, ИП). */
  organisation: boolean;
}

// Street types as callers and forms write them, to the canonical types the database keeps.
const streetTypeWords: Record<string, string> = {
  ул: 'ул',
  улица: 'ул',
  'пр-кт': 'пр-кт',
  'пр-т': 'пр-кт',
  прт: 'пр-кт',
  просп: 'пр-кт',
  проспект: 'пр-кт',
  пр: 'пр',
  пер: 'пер',
  переулок: 'пер',
  'б-р': 'б-р',
  бр: 'б-р',
  бул: 'б-р',
  бульв: 'б-р',
  бульвар: 'б-р',
  ш: 'ш',
  шоссе: 'ш',
  наб: 'наб',
  набережная: 'наб',
  пл: 'пл',
  площадь: 'пл',
  мкр: 'мкр',
  'мкр-н': 'мкр',
  мкрн: 'мкр',
  микрорайон: 'мкр',
  проезд: 'проезд',
  'пр-д': 'проезд',
  туп: 'туп',
  тупик: 'туп',
};

type Marker = 'house' | 'korpus' | 'stroenie' | 'apartment' | 'litera' | 'city';

const markerWords: Record<string, Marker> = {
  д: 'house',
  дом: 'house',
  к: 'korpus',
  корп: 'korpus',
  корпус: 'korpus',
  с: 'stroenie',
  стр: 'stroenie',
  строение: 'stroenie',
  кв: 'apartment',
  квартира: 'apartment',
  'кв-ра': 'apartment',
  лит: 'litera',
  литер: 'litera',
  литера: 'litera',
  г: 'city',
  город: 'city',
};

// Small words that carry no identity ("на", "и"), and the organisation forms.
const noiseWords = new Set(['на', 'в', 'и', 'по', 'от', 'у', 'это', 'я', 'мой', 'моя', 'адрес', 'фамилия']);
const organisationWords = new Set(['ооо', 'ао', 'зао', 'оао', 'пао', 'ип', 'нко', 'тсж']);

const MAX_QUERY_LENGTH = 200;
const MAX_TOKENS = 16;
/** At most this many words are read as names or streets; the rest of a long query is ignored. */
export const MAX_WORDS = 6;

export const emptyCallerQuery = (): CallerQuery => ({
  accountNumbers: [],
  contracts: [],
  phones: [],
  emails: [],
  inns: [],
  words: [],
  wordBeforeHouse: null,
  streetWords: [],
  streetType: null,
  house: null,
  korpus: null,
  stroenie: null,
  litera: null,
  apartment: null,
  organisation: false,
});

const pushUnique = <T>(list: T[], value: T, same: (a: T, b: T) => boolean = (a, b) => a === b) => {
  if (!list.some((known) => same(known, value))) list.push(value);
};

/** The readings of a string of digits (with phone or contract punctuation) as exact identifiers. */
function readIdentifier(text: string, query: CallerQuery): boolean {
  const contract = parseContractNumber(text);
  const digits = text.replace(/[\s\-()+.]/g, '');
  const phone = normalisePhone(text);
  let read = false;
  if (/^\d+$/.test(digits)) {
    if (isValidAccountNumber(digits)) {
      pushUnique(query.accountNumbers, digits);
      read = true;
    }
    if (phone) {
      pushUnique(query.phones, phone);
      read = true;
    }
    if (isValidInn(digits)) {
      pushUnique(query.inns, digits);
      read = true;
    }
  }
  // A bare 6-7 digit serial is read as a contract only when nothing else fits, e.g. "012345".
  if (contract && (!read || contract.year !== null)) {
    pushUnique(query.contracts, contract, (a, b) => a.year === b.year && a.serial === b.serial);
    read = true;
  }
  return read;
}

/** Control characters, lone surrogates and other debris become spaces; the text stays otherwise as typed. */
function clean(input: string): string {
  return input
    .slice(0, MAX_QUERY_LENGTH * 2)
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]/g, ' ')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, ' ')
    .normalize('NFC')
    .slice(0, MAX_QUERY_LENGTH)
    .trim();
}

// Identifiers said in the middle of other words: "Иванов +7 912 345-67-89", "LD-2019-012345 Ленина".
const phoneSpan = /(?<![\d+])(?:\+7|8|7)?[\s-]*\(?\d{3}\)?[\s-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}(?!\d)/g;
const contractSpan = /(?<![a-zа-я\d])(?:ld|дв|лд)[\s\-_./№#]*(?:\d{4}[\s\-_./]*)?\d{6,7}(?!\d)/giu;
const accountSpan = /(?<!\d)\d{4}[\s-]\d{4}(?!\d)/g;

/**
 * Splits "Ленина 5к2", "5-12", "д.5", "кв.12" into tokens: numbers keep their letter and fraction
 * ("5а", "5/2"); a korpus or строение glued to the house is split off ("5к2" → 5 к 2); a comma is a
 * token of its own, because it ends a street name.
 */
function tokenise(text: string): string[] {
  return (
    fold(text)
      .replace(/[№#]/g, ' ')
      .replace(/[«»"“”„()[\]{}]/g, ' ')
      // "5 а", "5-а" → "5а"; not "5 к", "5 с" (markers) and not "5 и 7".
      .replace(/(\d)[\s-]?([абвгде])(?![а-яa-z])/g, '$1$2')
      // "5к2", "5 корп.2", "5а к 2" → "5 к 2"; "5с1", "5 стр. 1" → "5 стр 1".
      .replace(/(\d[а-я]?)\s*(?:корпус|корп|к)\.?\s*(?=\d)/g, '$1 к ')
      .replace(/(\d[а-я]?)\s*(?:строение|стр|с)\.?\s*(?=\d)/g, '$1 стр ')
      // Markers glued to a number or a name: "д.5", "кв12", "корп.2", "ул.Ленина".
      .replace(
        /(^|[^а-яa-z])(дом|д|кв|квартира|корпус|корп|строение|стр|литер|лит|ул|пер|пл|наб|мкр|просп|бул|ш|г)\.?(?=\d|[а-я]{2})/g,
        (whole, before: string, marker: string, offset: number, all: string) => {
          // "д.5" and "кв12" split; "ул.Ленина" splits only where a dot marked the abbreviation.
          const dotted = all[offset + whole.length - 1] === '.' || /\d/.test(all[offset + whole.length] ?? '');
          return dotted ? `${before}${marker} ` : whole;
        },
      )
      .split(/\s+|(?=,)|(?<=,)|;|:/)
      .map((token) => token.replace(/^[.\-'`]+|[.\-'`]+$/g, ''))
      .filter((token) => token === ',' || (token.length > 0 && !/^[.,\-'`]+$/.test(token)))
      .slice(0, MAX_TOKENS)
  );
}

const houseToken = /^\d{1,4}[а-я]?(?:\/\d{1,4}[а-я]?)?$/;
const houseApartmentToken = /^(\d{1,4}[а-я]?(?:\/\d{1,4}[а-я]?)?)-(\d{1,4})$/;
const wordToken = /^[а-яa-z]+(?:[-'][а-яa-z]+)*$/;

/**
 * Reads what the caller said; an empty or meaningless query reads as an empty CallerQuery. Never
 * throws. `compoundStreets` are folded street names with digits or several words ("8 марта",
 * "карла маркса"): found whole in the text first, so "8 Марта 5" is a street and a house, not house 8.
 */
export function parseCallerQuery(input: string, compoundStreets: readonly string[] = []): CallerQuery {
  const query = emptyCallerQuery();
  const text = clean(typeof input === 'string' ? input : '');
  if (!text) return query;

  // The whole query as one identifier: "8 912 345-67-89", "LD-2019-012345", "1000 0073".
  if (/^[\d\s\-()+.]+$/.test(text) || parseContractNumber(text)) {
    if (readIdentifier(text, query)) return query;
  }

  let remaining = text;
  for (const email of remaining.match(/[^\s@,;<>]+@[^\s@,;<>]+\.[^\s@,;<>]+/g) ?? []) {
    pushUnique(query.emails, fold(email.replace(/^[.'"]+|[.'"]+$/g, '')));
    remaining = remaining.replace(email, ' ');
  }
  for (const pattern of [contractSpan, phoneSpan, accountSpan]) {
    remaining = remaining.replace(pattern, (span) => (readIdentifier(span.trim(), query) ? ' , ' : span));
  }

  remaining = fold(remaining);
  for (const street of compoundStreets) {
    if (!remaining.includes(street)) continue;
    const at = new RegExp(`(^|[\\s,.])${street.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=$|[\\s,.])`, 'u');
    if (at.test(remaining)) {
      query.streetWords.push(street);
      remaining = remaining.replace(at, '$1 , ');
    }
  }

  readTokens(tokenise(remaining), query);
  return query;
}

function readTokens(tokens: string[], query: CallerQuery) {
  let expecting: Marker | 'street' | null = null;
  // The previous token was a word of a name or street (and which list it went to).
  let lastWord: 'words' | 'street' | null = null;
  const setNumber = (token: string) => {
    if (expecting === 'korpus') query.korpus = token;
    else if (expecting === 'stroenie') query.stroenie = token;
    else if (expecting === 'apartment') query.apartment = token;
    else if (expecting === 'litera') query.litera = token;
    else if (expecting === 'house' || query.house === null) {
      if (query.house === null && lastWord === 'words') query.wordBeforeHouse = query.words.length - 1;
      query.house = token;
    } else if (query.apartment === null) query.apartment = token;
    expecting = null;
    lastWord = null;
  };
  for (const [index, token] of tokens.entries()) {
    if (token === ',') {
      // A comma ends a street name, but "Малышева, 1" is still the street before its house.
      if (expecting === 'street') expecting = null;
      continue;
    }
    const streetType = streetTypeWords[token];
    // "пр" and "ш" are types only where a type can stand; "с" and "к" likewise are markers only before a number.
    if (streetType) {
      query.streetType = streetType;
      const next = tokens[index + 1];
      if (next !== undefined && wordToken.test(next) && !markerWords[next]) expecting = 'street';
      else if (lastWord === 'words' && query.streetWords.length === 0) {
        // "Ленина ул." or "Ленина пр-кт 5": the type after the name.
        query.streetWords.push(query.words.pop()!);
        if (query.wordBeforeHouse !== null && query.wordBeforeHouse >= query.words.length) query.wordBeforeHouse = null;
        expecting = null;
      }
      lastWord = null;
      continue;
    }
    const marker = markerWords[token];
    if (marker) {
      expecting = marker;
      // "Ленина д. 5": the street word still stands right before its house.
      if (marker !== 'house') lastWord = null;
      continue;
    }
    const houseApartment = houseApartmentToken.exec(token);
    if (houseApartment) {
      if (expecting === 'korpus' || expecting === 'stroenie') {
        setNumber(houseApartment[1]!);
        query.apartment ??= houseApartment[2]!;
      } else if (query.house === null) {
        setNumber(houseApartment[1]!);
        query.apartment = houseApartment[2]!;
      }
      expecting = null;
      continue;
    }
    if (houseToken.test(token)) {
      setNumber(token);
      continue;
    }
    if (/\d/.test(token)) {
      readIdentifier(token, query);
      expecting = null;
      lastWord = null;
      continue;
    }
    if (expecting === 'litera' && /^[а-я]$/.test(token)) {
      query.litera = token;
      expecting = null;
      continue;
    }
    if (!wordToken.test(token)) continue;
    if (expecting === 'city') {
      expecting = null;
      continue;
    }
    if (organisationWords.has(token)) {
      query.organisation = true;
      lastWord = null;
      continue;
    }
    if (noiseWords.has(token)) continue;
    if (expecting === 'street') {
      query.streetWords.push(token);
      lastWord = 'street';
      continue;
    }
    if (query.words.length < MAX_WORDS) query.words.push(token);
    lastWord = 'words';
  }
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
    0
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

// ---------------------------------------------------------------------------------------------
// A building against what the caller said of it.

/** A building's korpus, строение or litera as one comparable fact: "к2", "с1", "лб". */
export const buildingFact = (building: Pick<BuildingEntry, 'korpus' | 'stroenie' | 'litera'>) =>
  building.korpus
    ? `к${fold(building.korpus)}`
    : building.stroenie
      ? `с${fold(building.stroenie)}`
      : building.litera
        ? `л${fold(building.litera)}`
        : null;

export const houseNumber = (text: string) => /^\d+/.exec(text)?.[0];

/** "5", "5а", "5/2" as the caller said it, against a building's house and litera: 1 exact, 0.5 the same number. */
export function houseFit(queryHouse: string, building: Pick<BuildingEntry, 'house' | 'litera'>): number {
  const house = fold(building.house);
  if (house === queryHouse) return 1;
  if (building.litera && `${house}${fold(building.litera)}` === queryHouse) return 1;
  return houseNumber(house) === houseNumber(queryHouse) ? 0.5 : 0;
}

/** The korpus, строение or litera the caller said, in the form of buildingFact. */
export function wantedBuilding(query: Pick<CallerQuery, 'korpus' | 'stroenie' | 'litera'>): string | null {
  if (query.korpus) return `к${query.korpus}`;
  if (query.stroenie) return `с${query.stroenie}`;
  if (query.litera) return `л${query.litera}`;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Readings: which word is the surname, the first name, the patronymic, the street.

/**
 * How much each part of a query weighs when it fits: a surname says more than a first name, a
 * house only counts on its street. A typo or a prefix scales the weight by its quality (0.6-0.8).
 * docs/identification.md explains the choice.
 */
export const fitWeights = {
  surname: 3,
  orgName: 3,
  firstName: 2,
  patronymic: 1.5,
  street: 2,
  house: 2,
  building: 1,
  apartment: 2,
} as const;

export interface StreetMatch {
  entry: StreetEntry;
  quality: number;
}

export interface Reading {
  surname: WordMatch[];
  surnameToken: string | null;
  firstName: WordMatch[];
  firstNameToken: string | null;
  patronymic: WordMatch[];
  patronymicToken: string | null;
  streets: StreetMatch[];
  streetToken: string | null;
  /** Words that fit no name or street: searched in organisations' names. */
  otherWords: string[];
  /** How well the words fit the vocabularies, before any row is read: the order readings are tried in. */
  prior: number;
}

type WordRole = 'surname' | 'firstName' | 'patronymic' | 'street';

/** At most this many readings are tried against the rows. */
export const MAX_READINGS = 3;
const MAX_ASSIGNMENTS = 5_000;
const EXACT_WORD_BONUS = 1;

/** The streets a word or words may name: whole names, or one word of a longer name ("Маркса"). */
export function streetMatches(token: string, vocabulary: Vocabulary, streetType: string | null): StreetMatch[] {
  const byName = new Map<string, number>();
  const keep = (name: string, quality: number) => byName.set(name, Math.max(byName.get(name) ?? 0, quality));
  const whole = matchWord(token, vocabulary.streetNames);
  for (const match of whole) keep(match.word, match.quality);
  if (!whole.some((match) => match.quality === 1) && !token.includes(' ')) {
    for (const match of matchWord(token, vocabulary.streetNamePartWords, { prefix: false })) {
      for (const name of vocabulary.streetNameParts.get(match.word) ?? []) keep(name, match.quality * 0.9);
    }
  }
  if (byName.size === 0) return [];
  const found = vocabulary.streets.filter((street) => byName.has(street.name));
  // "пр" is either a проспект or a проезд; other types narrow when the city has that type.
  const typed =
    streetType === null
      ? found
      : found.filter((street) =>
          streetType === 'пр'
            ? street.streetType === 'пр-кт' || street.streetType === 'проезд'
            : street.streetType === streetType,
        );
  return (typed.length ? typed : found).map((entry) => ({ entry, quality: byName.get(entry.name)! }));
}

/** "Петров Водкин" → "петров-водкин" when that double surname exists. */
function joinDoubleSurnames(words: string[], vocabulary: Vocabulary): string[] {
  const joined: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const pair = `${words[i]}-${words[i + 1]}`;
    if (i + 1 < words.length && vocabulary.counts.surname.has(pair)) {
      joined.push(pair);
      i++;
    } else joined.push(words[i]!);
  }
  return joined;
}

/**
 * The words the caller marked as a street ("ул. Карла Маркса"): the longest run of them that
 * names a street; the words after it go back to the name words ("ул. Ленина Иванов").
 */
function explicitStreet(query: CallerQuery, vocabulary: Vocabulary) {
  const words = query.streetWords;
  for (let count = words.length; count >= 1; count--) {
    const token = words.slice(0, count).join(' ');
    const streets = streetMatches(token, vocabulary, query.streetType);
    if (streets.length) return { token, streets, leftover: words.slice(count) };
  }
  return words.length ? { token: words.join(' '), streets: [], leftover: [] } : null;
}

const bestQuality = (matches: readonly { quality: number }[]) =>
  matches.reduce((best, match) => Math.max(best, match.quality), 0);

/**
 * Tries every assignment of the words to surname, first name, patronymic and street (each role
 * once; a handful of words, so at most a few hundred assignments) and ranks them by how well the
 * words fit, with a nudge for the usual order "surname first", for the word just before a house
 * number being its street, and against a house number left without a street.
 */
export function readWords(query: CallerQuery, vocabulary: Vocabulary): Reading[] {
  const explicit = explicitStreet(query, vocabulary);
  const beforeHouse = query.wordBeforeHouse === null ? null : query.words[query.wordBeforeHouse];
  const words = joinDoubleSurnames(
    [...query.words, ...(explicit?.leftover ?? [])].filter((word) => !vocabulary.cities.has(word)),
    vocabulary,
  ).slice(0, MAX_WORDS);
  const options = words.map((token) => ({
    token,
    surname: matchWord(token, vocabulary.words.surname),
    firstName: matchWord(token, vocabulary.words.first_name, { prefix: false }),
    patronymic: matchWord(token, vocabulary.words.patronymic, { prefix: false }),
    street: explicit ? [] : streetMatches(token, vocabulary, query.streetType),
  }));
  const roles: (WordRole | null)[] = ['surname', 'firstName', 'patronymic', 'street', null];
  const results: Reading[] = [];
  const build = (chosen: (WordRole | null)[]): Reading => {
    const reading: Reading = {
      surname: [],
      surnameToken: null,
      firstName: [],
      firstNameToken: null,
      patronymic: [],
      patronymicToken: null,
      streets: explicit?.streets ?? [],
      streetToken: explicit?.token ?? null,
      otherWords: [],
      prior: explicit ? fitWeights.street * bestQuality(explicit.streets) + EXACT_WORD_BONUS : 0,
    };
    chosen.forEach((role, index) => {
      const option = options[index]!;
      if (role === null) {
        reading.otherWords.push(option.token);
        return;
      }
      const quality = bestQuality(option[role]);
      // A word that is exactly a word of one vocabulary is that word far more often than a typo
      // of another ("Ленина" is the street, not the surname Левина).
      if (quality === 1) reading.prior += EXACT_WORD_BONUS;
      if (role === 'street') {
        reading.streets = option.street;
        reading.streetToken = option.token;
        reading.prior += fitWeights.street * quality;
        if (query.house !== null && option.token === beforeHouse) reading.prior += 0.5;
      } else {
        reading[role] = option[role];
        reading[`${role}Token`] = option.token;
        reading.prior += fitWeights[role] * quality;
        if (role === 'surname' && index === 0) reading.prior += 0.1;
      }
    });
    if (query.house !== null && reading.streets.length === 0) reading.prior -= 1;
    return reading;
  };
  const assign = (index: number, chosen: (WordRole | null)[]) => {
    if (results.length >= MAX_ASSIGNMENTS) return;
    if (index === words.length) {
      results.push(build(chosen));
      return;
    }
    for (const role of roles) {
      if (role !== null && (chosen.includes(role) || options[index]![role].length === 0)) continue;
      assign(index + 1, [...chosen, role]);
    }
  };
  assign(0, []);
  results.sort((a, b) => b.prior - a.prior);
  // Readings that would fetch the same rows are one reading.
  const seen = new Set<string>();
  return results.filter((reading) => {
    const key = [
      reading.surname.map((match) => match.word).join(','),
      reading.streets.map((street) => street.entry.id).join(','),
      reading.firstName.map((match) => match.word).join(','),
      reading.patronymic.map((match) => match.word).join(','),
      reading.otherWords.join(','),
    ].join('|');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
