import { sql } from 'drizzle-orm';
import type { Database } from '../../db/connection.js';

/**
 * Fuzzy matching of what a caller says against the vocabularies of names and streets: a few
 * thousand words held in memory, so a typo costs microseconds, and exact btree lookups fetch the
 * rows afterwards (DESIGN.md, "Measured on this machine").
 */

export type WordKind = 'surname' | 'first_name' | 'patronymic';

export interface WordMatch {
  word: string;
  /** 1 for an exact match, less for a prefix or a typo. */
  quality: number;
  distance: number;
}

/**
 * Optimal string alignment distance (Damerau–Levenshtein without re-editing a substring): a
 * swap of two neighbouring letters ("ивнаов") costs 1, as callers and operators make it, where
 * plain Levenshtein and trigrams charge 2. Stops early once `limit` is exceeded.
 */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (a === b) return 0;
  const rows = a.length + 1;
  const cols = b.length + 1;
  let beforePrevious = new Array<number>(cols).fill(0);
  let previous = Array.from({ length: cols }, (_, j) => j);
  let current = new Array<number>(cols).fill(0);
  for (let i = 1; i < rows; i++) {
    current[0] = i;
    let rowMin = current[0];
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, beforePrevious[j - 2]! + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    [beforePrevious, previous, current] = [previous, current, beforePrevious];
  }
  return previous[cols - 1]!;
}

/** Typos allowed for a word of this length: none for short words (Ли, Ким, Ус), where one is a different name. */
export function typoAllowance(length: number): number {
  if (length <= 3) return 0;
  if (length <= 6) return 1;
  return 2;
}

/**
 * The vocabulary words that `token` may stand for, best first: the exact word alone when there
 * is one; otherwise the words at the smallest edit distance within the allowance, and words the
 * token begins (an operator typing "кузнец" for Кузнецов).
 */
export function matchWord(token: string, words: readonly string[], options: { prefix?: boolean } = {}): WordMatch[] {
  if (token.length === 0) return [];
  const allowance = typoAllowance(token.length);
  let best = Number.POSITIVE_INFINITY;
  const byDistance: WordMatch[] = [];
  const byPrefix: WordMatch[] = [];
  for (const word of words) {
    if (word === token) return [{ word, quality: 1, distance: 0 }];
    if (options.prefix !== false && token.length >= 3 && word.length > token.length && word.startsWith(token)) {
      byPrefix.push({ word, quality: 0.7, distance: 0 });
    }
    if (allowance === 0) continue;
    const distance = editDistance(token, word, Math.min(allowance, best));
    if (distance <= allowance && distance <= best) {
      best = distance;
      byDistance.push({ word, quality: distance === 1 ? 0.8 : 0.6, distance });
    }
  }
  const closest = byDistance.filter((match) => match.distance === best);
  // A prefix that names a few words is useful; one that names hundreds is not a reading.
  const prefixes = byPrefix.length <= 30 ? byPrefix : [];
  const seen = new Set<string>();
  return [...closest, ...prefixes].filter((match) => !seen.has(match.word) && seen.add(match.word));
}

export interface StreetEntry {
  id: number;
  streetType: string;
  /** Folded name: "ленина", "8 марта", "карла маркса". */
  name: string;
}

export interface Vocabulary {
  words: Record<WordKind, string[]>;
  /** Subscribers per word, for telling a common reading from a rare one. */
  counts: Record<WordKind, Map<string, number>>;
  streets: StreetEntry[];
  streetNames: string[];
  /** Street names with digits or spaces, found whole in a query before it is split into words. */
  compoundStreets: string[];
  loadedAt: number;
}

// A vocabulary is at most this old: a new surname is still found at once by its exact row
// lookup; only typos of it wait for the refresh. Documented in docs/identification.md.
const REFRESH_MS = 30_000;
const cache = new WeakMap<Database, { vocabulary?: Vocabulary; loading?: Promise<Vocabulary> }>();

async function loadVocabulary(database: Database): Promise<Vocabulary> {
  const [names, streets] = await Promise.all([
    database.rows<{ kind: WordKind; word: string; subscribers: number }>(
      sql`select kind, word, subscribers from name_vocabulary order by kind, word`,
    ),
    database.rows<{ id: number; street_type: string; name_norm: string }>(
      sql`select id, street_type, name_norm from streets order by name_norm, id`,
    ),
  ]);
  const words: Record<WordKind, string[]> = { surname: [], first_name: [], patronymic: [] };
  const counts: Record<WordKind, Map<string, number>> = {
    surname: new Map(),
    first_name: new Map(),
    patronymic: new Map(),
  };
  for (const row of names) {
    words[row.kind]?.push(row.word);
    counts[row.kind]?.set(row.word, row.subscribers);
  }
  const streetEntries = streets.map((row) => ({ id: row.id, streetType: row.street_type, name: row.name_norm }));
  const streetNames = [...new Set(streetEntries.map((street) => street.name))];
  return {
    words,
    counts,
    streets: streetEntries,
    streetNames,
    compoundStreets: streetNames.filter((name) => /[\d\s]/.test(name)).sort((a, b) => b.length - a.length),
    loadedAt: Date.now(),
  };
}

export async function vocabularyOf(database: Database): Promise<Vocabulary> {
  let entry = cache.get(database);
  if (!entry) {
    entry = {};
    cache.set(database, entry);
  }
  if (entry.vocabulary && Date.now() - entry.vocabulary.loadedAt < REFRESH_MS) return entry.vocabulary;
  if (!entry.loading) {
    const current = entry;
    current.loading = loadVocabulary(database).finally(() => {
      current.loading = undefined;
    });
    current.vocabulary = await current.loading;
    return current.vocabulary;
  }
  // While a refresh runs, the previous vocabulary still answers.
  return entry.vocabulary ?? entry.loading;
}

/** Forgets the cached vocabulary (after demo data is regenerated, and in tests). */
export function forgetVocabulary(database: Database) {
  cache.delete(database);
}
