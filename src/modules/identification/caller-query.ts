import type { Askable } from '../../common/api/identification.js';
import { fold } from '../core/text.js';
import type { AddressParts } from '../places/address.js';
import { isValidAccountNumber, isValidInn, parseContractNumber } from '../subscribers/identifiers.js';
import { normaliseLocalPhone, normalisePhone } from '../subscribers/phone.js';
import { cyrillicCandidates } from './latin-words.js';

export { fold };

/** The caller's answers to suggested questions, as typed by the operator. */
export type Answers = Partial<Record<Askable, string>>;

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

/**
 * How a query is read beyond its text: the ISP's area code (a local number said without it), and
 * the check from the word matching stage that tells which Cyrillic spelling of a Latin word is a
 * name or a street (2: a vocabulary word, 1: within a typo of one, 0: neither).
 */
export interface ReadingAids {
  areaCode?: string;
  knownSpelling?: (word: string) => 0 | 1 | 2;
}

/** The readings of a string of digits (with phone or contract punctuation) as exact identifiers. */
function readIdentifier(text: string, query: CallerQuery, aids: ReadingAids = {}, named = false): boolean {
  const contract = parseContractNumber(text, { named });
  const digits = text.replace(/[\s\-()+.]/g, '');
  const phone = normalisePhone(text);
  const localPhone = aids.areaCode && !named ? normaliseLocalPhone(text, aids.areaCode) : null;
  if (localPhone) pushUnique(query.phones, localPhone);
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
  // A bare 6-7 digit serial is read as a contract only when nothing else fits, e.g. "012345"; a
  // 7-digit one is also a local phone number, and both are looked up.
  if (contract && (!read || contract.year !== null || named)) {
    pushUnique(query.contracts, contract, (a, b) => a.year === b.year && a.serial === b.serial);
    read = true;
  }
  return read || localPhone !== null;
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
// A local number: "990-05-93", "99 05 93" (the digits are checked against the area code's length).
const localPhoneSpan = /(?<![\d+\-/])\d{1,3}(?:[\s-]\d{2}){2}(?![\d\-/])/g;
// "договор 5625", "по договору № 2019-5625": the caller named a contract, so its serial may lack the zeros.
const namedContractSpan =
  /(?<![а-яa-z])(?:договор[а-я]*|дог\.?)\s*(?:№\s*)?((?:ld|дв|лд)?[\s\-_./№#]*(?:\d{4}[\s\-_./]+)?\d{1,7})(?![\d\-/])/giu;
// A word with Latin letters, with the punctuation keys that are letters in the Russian layout inside it.
// A leading "," or "." is the б or ю key when it starts a word (",fhfyjdf" is Баранова).
const latinWord = /(?<![a-z[\];'`,./])(?:(?<=^|\s)[,.])?[a-z[\];'`/]*[a-z](?:[a-z[\];'`,./]*[a-z[\];'`/])?[.,]?/giu;

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
export function parseCallerQuery(
  input: string,
  compoundStreets: readonly string[] = [],
  isTypoOf?: (said: string, name: string) => boolean,
  aids: ReadingAids = {},
): CallerQuery {
  const query = emptyCallerQuery();
  const text = clean(typeof input === 'string' ? input : '');
  if (!text) return query;

  // The whole query as one identifier: "8 912 345-67-89", "LD-2019-012345", "1000 0073", "990-05-93".
  if (/^[\d\s\-()+.]+$/.test(text) || parseContractNumber(text)) {
    if (readIdentifier(text, query, aids)) return query;
  }

  let remaining = text;
  for (const email of remaining.match(/[^\s@,;<>]+@[^\s@,;<>]+\.[^\s@,;<>]+/g) ?? []) {
    pushUnique(query.emails, fold(email.replace(/^[.'"]+|[.'"]+$/g, '')));
    remaining = remaining.replace(email, ' ');
  }
  remaining = remaining.replace(namedContractSpan, (span, serial: string) =>
    readIdentifier(serial.trim(), query, aids, true) ? ' , ' : span,
  );
  for (const pattern of [contractSpan, phoneSpan, accountSpan, localPhoneSpan]) {
    remaining = remaining.replace(pattern, (span) => (readIdentifier(span.trim(), query, aids) ? ' , ' : span));
  }
  if (aids.knownSpelling) remaining = readLatinWords(remaining, aids.knownSpelling);

  // "40 лет Октября" is how the street 40-летия Октября is said.
  remaining = fold(remaining).replace(/(?<![\d])(\d{1,4})\s*-?\s*(?:лет|летие|летия)(?![а-я])/g, '$1-летия');
  for (const street of compoundStreets) {
    if (!remaining.includes(street)) continue;
    const at = new RegExp(`(^|[\\s,.])${street.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=$|[\\s,.])`, 'u');
    if (at.test(remaining)) {
      query.streetWords.push(street);
      remaining = remaining.replace(at, '$1 , ');
    }
  }

  if (isTypoOf) remaining = findNumberedStreets(remaining, compoundStreets, isTypoOf, query);

  readTokens(tokenise(remaining), query, aids);
  return query;
}

// Words that the reading of the text knows itself, so a Latin word may stand for them too ("ek/" is "ул.").
const knownHere = (word: string) => {
  const bare = word.replace(/\.$/, '');
  return bare in streetTypeWords || bare in markerWords || noiseWords.has(bare) || organisationWords.has(bare);
};

/**
 * Latin words as the Cyrillic they stand for (latin-words.ts): the first candidate that is a
 * vocabulary word or a word this stage knows (a street type, a marker), else the first within a
 * typo of a vocabulary word; a word that is neither stays as typed (an organisation's Latin name).
 * Single letters are left alone: "5a" is a house whoever typed it, and "d" may be anything.
 */
function readLatinWords(text: string, knownSpelling: (word: string) => 0 | 1 | 2): string {
  return text.replace(latinWord, (said) => {
    const lower = said.toLowerCase();
    const trailing = /[.,]$/.test(lower) && !/[.,]/.test(lower.slice(0, -1)) ? lower.slice(-1) : '';
    const bare = trailing ? lower.slice(0, -1) : lower;
    if (bare.replace(/[^a-z]/g, '').length < 2 && !/[[\];'`,./]/.test(bare)) return said;
    const candidates = [
      ...cyrillicCandidates(lower).map((word) => ({ word, tail: '' })),
      ...(trailing ? cyrillicCandidates(bare).map((word) => ({ word, tail: trailing })) : []),
    ].filter((candidate) => /^[а-яё]+(?:[-'][а-яё]+)*\.?$/.test(candidate.word));
    const exact = candidates.find((candidate) => knownHere(candidate.word) || knownSpelling(candidate.word) === 2);
    // Typos are looked for only in the likeliest few spellings: each costs a vocabulary scan.
    const near = exact ?? candidates.slice(0, 4).find((candidate) => knownSpelling(candidate.word) === 1);
    return near ? ` ${near.word}${near.tail} ` : said;
  });
}

/**
 * Street names that begin with a number ("8 марта", "1905 года", "40-летия октября") said with a
 * typo in their words ("8 ммарта"): the number must be said as it is, each word may be a typo
 * (`isTypoOf`, from the word matching stage). Found before the numbers are read, so the street's
 * number is never taken for the house.
 */
function findNumberedStreets(
  text: string,
  compoundStreets: readonly string[],
  isTypoOf: (said: string, name: string) => boolean,
  query: CallerQuery,
): string {
  const tokens = text.split(/\s+/);
  for (const street of compoundStreets) {
    const [number, ...words] = street.split(' ');
    if (!number || !/^\d/.test(number) || words.length === 0) continue;
    const at = tokens.findIndex(
      (token, index) =>
        token.replace(/-го$/, '') === number.replace(/-го$/, '') &&
        words.every((word, offset) => {
          const said = tokens[index + 1 + offset]?.replace(/[.,]+$/, '');
          return said !== undefined && said.length >= 3 && (said === word || isTypoOf(said, word));
        }),
    );
    if (at < 0) continue;
    query.streetWords.push(street);
    tokens.splice(at, words.length + 1, ',');
  }
  return tokens.join(' ');
}

function readTokens(tokens: string[], query: CallerQuery, aids: ReadingAids) {
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
      readIdentifier(token, query, aids);
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

/** A building as the caller names it: the house with its korpus, строение or litera. */
export type BuildingParts = Pick<AddressParts, 'house' | 'korpus' | 'stroenie' | 'litera'>;

/** A building's korpus, строение or litera as one comparable fact: "к2", "с1", "лб". */
export const buildingFact = (building: Omit<BuildingParts, 'house'>) =>
  building.korpus
    ? `к${fold(building.korpus)}`
    : building.stroenie
      ? `с${fold(building.stroenie)}`
      : building.litera
        ? `л${fold(building.litera)}`
        : null;

export const houseNumber = (text: string) => /^\d+/.exec(text)?.[0];

/** "5", "5а", "5/2" as the caller said it, against a building's house and litera: 1 exact, 0.5 the same number. */
export function houseFit(queryHouse: string, building: Pick<BuildingParts, 'house' | 'litera'>): number {
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
