import { type CallerQuery, MAX_WORDS } from './caller-query.js';
import type { StreetEntry, Vocabulary } from './vocabulary.js';
import { isVocabularyWord, matchWord, type WordMatch } from './word-match.js';

/**
 * The readings of a caller's words (docs/identification.md, section 2): which word is the surname,
 * the first name, the patronymic, the street, each tried against the vocabularies in memory and
 * ranked by how well the words fit before any row is read.
 */

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
/** Readings whose prior is this much below the best one are not tried ("Ленина" as a typo of Левина). */
export const READING_MARGIN = 0.75;
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
  const found = vocabulary.streets.filter((street) => byName.has(street.name));
  const ofType = (street: StreetEntry) =>
    streetType === 'пр'
      ? street.streetType === 'пр-кт' || street.streetType === 'проезд'
      : street.streetType === streetType;
  if (streetType !== null && !found.some(ofType)) {
    // A street type that was said outranks a nearer name of another type: "ул. Московской" is
    // ул. Московская (two letters off), not ш. Московское (one). Only the streets of that type are
    // matched again, a few hundred names at most, and only when the nearest names have another type.
    const typedNames = [...new Set(vocabulary.streets.filter(ofType).map((street) => street.name))];
    const typedMatches = matchWord(token, typedNames);
    if (typedMatches.length) {
      const quality = new Map(typedMatches.map((match) => [match.word, match.quality]));
      return vocabulary.streets
        .filter((street) => ofType(street) && quality.has(street.name))
        .map((entry) => ({ entry, quality: quality.get(entry.name)! }));
    }
  }
  if (byName.size === 0) return [];
  // "пр" is either a проспект or a проезд; other types narrow when the city has that type.
  const typed = streetType === null ? found : found.filter(ofType);
  return (typed.length ? typed : found).map((entry) => ({ entry, quality: byName.get(entry.name)! }));
}

/**
 * Whether a Cyrillic spelling of a Latin word (caller-query.ts reads "Ivanov" and "Bdfyjd") is a
 * name or a street: 2 a vocabulary word, 1 within a typo of one, 0 neither. Passed to the reading
 * of the text, so the words read from Latin are matched against the same vocabularies.
 */
export function knownSpelling(vocabulary: Vocabulary): (word: string) => 0 | 1 | 2 {
  const lists = [
    vocabulary.words.surname,
    vocabulary.words.first_name,
    vocabulary.words.patronymic,
    vocabulary.streetNames,
    vocabulary.streetNamePartWords,
  ];
  return (word) => {
    if (vocabulary.cities.has(word)) return 2;
    if (lists.some((list) => isVocabularyWord(word, list))) return 2;
    return lists.some((list) => matchWord(word, list, { prefix: false }).length) ? 1 : 0;
  };
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
