import { sql } from 'drizzle-orm';
import type { Database } from '../../db/connection.js';
import { fold } from '../core/text.js';

/**
 * Fuzzy matching of what a caller says against the vocabularies of names and streets: a few
 * thousand words held in memory, so a typo costs microseconds, and exact btree lookups fetch the
 * rows afterwards (DESIGN.md, "Measured on this machine"). The city plan (streets and their
 * buildings) is held beside them, so an address resolves to building ids without a round trip.
 */

export type WordKind = 'surname' | 'first_name' | 'patronymic';

export interface WordMatch {
  word: string;
  /** 1 for an exact match, less for a prefix or a typo. */
  quality: number;
  distance: number;
}

// Rows of the distance table, reused: matching a query runs it against thousands of words.
let rows = [new Int32Array(32), new Int32Array(32), new Int32Array(32)];

/**
 * Optimal string alignment distance (Damerau–Levenshtein without re-editing a substring): a
 * swap of two neighbouring letters ("ивнаов") costs 1, as callers and operators make it, where
 * plain Levenshtein and trigrams charge 2. Stops early once `limit` is exceeded and then returns
 * `limit + 1`.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (a === b) return 0;
  const cols = b.length + 1;
  if (rows[0]!.length < cols) rows = [new Int32Array(cols * 2), new Int32Array(cols * 2), new Int32Array(cols * 2)];
  let [beforePrevious, previous, current] = rows as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j < cols; j++) previous[j] = j;
  // Only cells within `limit` of the diagonal can stay within the limit: the rest count as beyond it.
  const band = Number.isFinite(limit) ? limit : a.length + cols;
  const beyond = cols + a.length + 1;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - band);
    const to = Math.min(cols - 1, i + band);
    current[0] = i;
    if (from > 1) current[from - 1] = beyond;
    let rowMin = from === 1 ? i : beyond;
    const letter = a.charCodeAt(i - 1);
    for (let j = from; j <= to; j++) {
      const cost = letter === b.charCodeAt(j - 1) ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && letter === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        value = Math.min(value, beforePrevious[j - 2]! + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (to < cols - 1) current[to + 1] = beyond;
    if (rowMin > limit) return limit + 1;
    [beforePrevious, previous, current] = [previous, current, beforePrevious];
  }
  const distance = previous[cols - 1]!;
  return distance > limit ? limit + 1 : distance;
}

/**
 * Typos allowed for a word of this length: none for short words (Ли, Ким, Ус), where one letter
 * is a different name; one up to six letters; two from seven.
 */
export function typoAllowance(length: number): number {
  if (length <= 3) return 0;
  if (length <= 6) return 1;
  return 2;
}

const qualityOfDistance = (distance: number) => (distance === 0 ? 1 : distance === 1 ? 0.8 : 0.6);
/** A prefix that names a few words is a reading ("кузнец" → Кузнецов, Кузнецова); one that names hundreds is not. */
const MAX_PREFIX_WORDS = 30;

export interface MatchOptions {
  /** Also words the token begins, from 3 letters (an operator typing "кузнец"). Default true. */
  prefix?: boolean;
  /**
   * Also the words within the typo allowance when the token is itself a word: "Ларин" said for
   * Лапин. Used only when the exact reading found nobody.
   */
  neighbours?: boolean;
}

/**
 * The vocabulary words that `token` may stand for, best first: the exact word alone when there
 * is one; otherwise the words at the smallest edit distance within the allowance, and the words
 * the token begins.
 */
export function matchWord(token: string, words: readonly string[], options: MatchOptions = {}): WordMatch[] {
  if (token.length === 0) return [];
  const index = indexOfWords(words);
  const exact = index.known.has(token);
  if (exact && !options.neighbours) return [{ word: token, quality: 1, distance: 0 }];
  const allowance = typoAllowance(token.length);
  // Words are visited shortest first but reported in vocabulary order, as a plain scan would.
  const byPrefix: { match: WordMatch; at: number }[] = [];
  if (options.prefix !== false && token.length >= 3) {
    for (let length = token.length + 1; length < index.byLength.length; length++) {
      for (const at of index.byLength[length] ?? []) {
        if (words[at]!.startsWith(token)) byPrefix.push({ match: { word: words[at]!, quality: 0.7, distance: 0 }, at });
      }
    }
  }
  let best = allowance;
  let byDistance: { match: WordMatch; at: number }[] = [];
  if (allowance > 0) {
    const longest = Math.min(index.byLength.length - 1, token.length + allowance);
    for (let length = Math.max(1, token.length - allowance); length <= longest; length++) {
      for (const at of index.byLength[length] ?? []) {
        const word = words[at]!;
        if (word === token) continue;
        const limit = options.neighbours ? allowance : best;
        const distance = editDistance(token, word, limit);
        if (distance > limit) continue;
        if (!options.neighbours && distance < best) {
          best = distance;
          byDistance = byDistance.filter((found) => found.match.distance <= distance);
        }
        byDistance.push({ match: { word, quality: qualityOfDistance(distance), distance }, at });
      }
    }
  }
  const inOrder = (found: { match: WordMatch; at: number }[]) =>
    found.sort((a, b) => a.match.distance - b.match.distance || a.at - b.at).map((entry) => entry.match);
  const closest = inOrder(
    options.neighbours ? byDistance : byDistance.filter((found) => found.match.distance === best),
  );
  const prefixes = byPrefix.length <= MAX_PREFIX_WORDS ? inOrder(byPrefix) : [];
  const matches: WordMatch[] = exact ? [{ word: token, quality: 1, distance: 0 }] : [];
  const seen = new Set(matches.map((match) => match.word));
  for (const match of [...closest, ...prefixes]) {
    if (!seen.has(match.word)) {
      seen.add(match.word);
      matches.push(match);
    }
  }
  return matches;
}

interface WordIndex {
  known: Set<string>;
  /** Positions in the word list by word length: a typo changes the length by at most the allowance. */
  byLength: number[][];
}

// Built once per word list: the vocabulary's lists are replaced, never changed in place.
const wordIndexes = new WeakMap<readonly string[], WordIndex>();

function indexOfWords(words: readonly string[]): WordIndex {
  let index = wordIndexes.get(words);
  if (!index) {
    const byLength: number[][] = [];
    words.forEach((word, at) => {
      const sameLength = byLength[word.length];
      if (sameLength) sameLength.push(at);
      else byLength[word.length] = [at];
    });
    index = { known: new Set(words), byLength };
    wordIndexes.set(words, index);
  }
  return index;
}

export interface StreetEntry {
  id: number;
  city: string;
  streetType: string;
  /** As written: "Ленина", "8 Марта". */
  display: string;
  /** Folded: "ленина", "8 марта", "карла маркса". */
  name: string;
}

export interface BuildingEntry {
  id: number;
  streetId: number;
  house: string;
  korpus: string | null;
  stroenie: string | null;
  litera: string | null;
}

export interface Vocabulary {
  words: Record<WordKind, string[]>;
  /** Subscribers per word: tells a common reading from a rare one, and a huge list before fetching it. */
  counts: Record<WordKind, Map<string, number>>;
  streets: StreetEntry[];
  streetById: Map<number, StreetEntry>;
  streetNames: string[];
  /** Street names with digits or spaces, found whole in a query before it is split into words. */
  compoundStreets: string[];
  /** The cities of the streets, folded: a caller who names the city has not said a name. */
  cities: Set<string>;
  /** Each word of a several-word street name → those names: "маркса" → "карла маркса". */
  streetNameParts: Map<string, string[]>;
  streetNamePartWords: string[];
  /**
   * The buildings of the streets read so far (buildingsOfStreets): at 1,000,000 subscribers the
   * city has 66,554 buildings, and a query names one or two streets.
   */
  buildingsByStreet: Map<number, BuildingEntry[]>;
  /** identification_version when this copy was read (migration 0006). */
  version: number;
}

// How often a server asks whether the vocabulary changed (one-row primary-key SELECT). A new
// surname is found at once by its exact row lookup; only typos of it, and addresses of a new
// street or building, wait up to this long. Requests never wait for the check or the reload,
// except the very first. Documented in docs/identification.md.
const CHECK_MS = 2_000;

interface CacheEntry {
  vocabulary?: Vocabulary;
  loading?: Promise<Vocabulary>;
  checking?: Promise<void>;
  checkedAt: number;
}
const cache = new WeakMap<Database, CacheEntry>();

// Words in street names that say nothing about which street it is ("40-летия Октября").
const streetFillerWords = new Set(['года', 'летия', 'и', 'де', 'го']);

export function buildVocabulary(
  names: readonly { kind: WordKind; word: string; subscribers: number }[],
  streets: readonly { id: number; city: string; street_type: string; name: string }[],
  buildings: readonly BuildingRow[] = [],
  version = 0,
): Vocabulary {
  const words: Record<WordKind, string[]> = { surname: [], first_name: [], patronymic: [] };
  const counts: Record<WordKind, Map<string, number>> = {
    surname: new Map(),
    first_name: new Map(),
    patronymic: new Map(),
  };
  for (const row of names) {
    if (!words[row.kind]) continue;
    words[row.kind].push(row.word);
    counts[row.kind].set(row.word, row.subscribers);
  }
  const streetEntries: StreetEntry[] = streets.map((row) => ({
    id: row.id,
    city: row.city,
    streetType: row.street_type,
    display: row.name,
    name: fold(row.name),
  }));
  const streetNames = [...new Set(streetEntries.map((street) => street.name))];
  const streetNameParts = new Map<string, string[]>();
  for (const name of streetNames) {
    const parts = name.split(/[\s-]+/).filter((part) => part.length >= 3 && !/\d/.test(part));
    if (parts.length < 2) continue;
    for (const part of parts) {
      if (streetFillerWords.has(part)) continue;
      streetNameParts.set(part, [...(streetNameParts.get(part) ?? []), name]);
    }
  }
  const buildingsByStreet = new Map<number, BuildingEntry[]>();
  addBuildings(buildingsByStreet, buildings);
  return {
    words,
    counts,
    streets: streetEntries,
    streetById: new Map(streetEntries.map((street) => [street.id, street])),
    streetNames,
    compoundStreets: streetNames.filter((name) => /[\d\s]/.test(name)).sort((a, b) => b.length - a.length),
    cities: new Set(streetEntries.map((street) => fold(street.city))),
    streetNameParts,
    streetNamePartWords: [...streetNameParts.keys()],
    buildingsByStreet,
    version,
  };
}

interface BuildingRow {
  id: number;
  street_id: number;
  house: string;
  korpus: string | null;
  stroenie: string | null;
  litera: string | null;
}

function addBuildings(byStreet: Map<number, BuildingEntry[]>, rows: readonly BuildingRow[]) {
  for (const row of rows) {
    const entry: BuildingEntry = {
      id: row.id,
      streetId: row.street_id,
      house: row.house,
      korpus: row.korpus,
      stroenie: row.stroenie,
      litera: row.litera,
    };
    const list = byStreet.get(entry.streetId);
    if (list) list.push(entry);
    else byStreet.set(entry.streetId, [entry]);
  }
}

async function loadVocabulary(database: Database): Promise<Vocabulary> {
  // One statement, so the version and the words come from one snapshot.
  const [row] = await database.named<{ version: number; names: unknown; streets: unknown }>(
    'identification_vocabulary',
    sql`
    select
      (select version from identification_version where id = 1)::int as version,
      (select coalesce(json_agg(json_build_array(kind, word, subscribers)), '[]') from name_vocabulary)::text as names,
      (select coalesce(json_agg(json_build_array(id, city, street_type, name)), '[]') from streets)::text as streets`,
  );
  const parse = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value) as unknown[][];
  return buildVocabulary(
    parse(row?.names).map(([kind, word, subscribers]) => ({
      kind: kind as WordKind,
      word: word as string,
      subscribers: subscribers as number,
    })),
    parse(row?.streets).map(([id, city, street_type, name]) => ({
      id: id as number,
      city: city as string,
      street_type: street_type as string,
      name: name as string,
    })),
    [],
    row?.version ?? 0,
  );
}

function startLoading(database: Database, entry: CacheEntry): Promise<Vocabulary> {
  if (!entry.loading) {
    entry.checkedAt = Date.now();
    entry.loading = loadVocabulary(database)
      .then((vocabulary) => {
        entry.vocabulary = vocabulary;
        return vocabulary;
      })
      .finally(() => {
        entry.loading = undefined;
      });
  }
  return entry.loading;
}

/** Reloads the vocabulary when identification_version has moved since it was read. */
function checkVersion(database: Database, entry: CacheEntry, current: Vocabulary) {
  if (entry.checking || entry.loading) return;
  entry.checkedAt = Date.now();
  entry.checking = database
    .named<{ version: number }>(
      'identification_version',
      sql`select version::int as version from identification_version where id = 1`,
    )
    .then(async ([row]) => {
      if (row && row.version !== current.version) await startLoading(database, entry);
    })
    // A failed check or reload is retried at the next check; the current copy keeps answering.
    .catch(() => {})
    .finally(() => {
      entry.checking = undefined;
    });
}

/** The vocabularies and streets of this database: loaded once, then reloaded when they change. */
export async function vocabularyOf(database: Database): Promise<Vocabulary> {
  let entry = cache.get(database);
  if (!entry) {
    entry = { checkedAt: 0 };
    cache.set(database, entry);
  }
  const current = entry.vocabulary;
  if (!current) return startLoading(database, entry);
  if (Date.now() - entry.checkedAt >= CHECK_MS) checkVersion(database, entry, current);
  return current;
}

/** Forgets the cached vocabulary (after demo data is regenerated, and in tests). */
export function forgetVocabulary(database: Database) {
  cache.delete(database);
}

/**
 * The buildings of these streets, read from the database the first time a query names the street
 * and kept with this copy of the vocabulary (a changed building bumps the version, and the next
 * copy starts empty).
 */
export async function buildingsOfStreets(
  database: Database,
  vocabulary: Vocabulary,
  streetIds: Iterable<number>,
): Promise<BuildingEntry[]> {
  const ids = [...new Set(streetIds)];
  const missing = ids.filter((id) => !vocabulary.buildingsByStreet.has(id));
  if (missing.length) {
    const rows = await database.named<BuildingRow>(
      'identification_street_buildings',
      sql`select id, street_id, house, korpus, stroenie, litera from buildings
        where street_id = any(${sql.param(missing)}::int[]) order by id`,
    );
    const byStreet = new Map<number, BuildingEntry[]>(missing.map((id) => [id, []]));
    addBuildings(byStreet, rows);
    for (const [id, list] of byStreet) vocabulary.buildingsByStreet.set(id, list);
  }
  return ids.flatMap((id) => vocabulary.buildingsByStreet.get(id) ?? []);
}

/**
 * Streets that a candidate row points at but the copy in memory does not know yet (added since
 * it was read): read them once and keep them.
 */
export async function ensureStreets(database: Database, vocabulary: Vocabulary, ids: Iterable<number>) {
  const missing = [...new Set(ids)].filter((id) => !vocabulary.streetById.has(id));
  if (missing.length === 0) return;
  const rows = await database.rows<{ id: number; city: string; street_type: string; name: string }>(
    sql`select id, city, street_type, name from streets where id = any(${sql.param(missing)}::int[])`,
  );
  for (const row of rows) {
    vocabulary.streetById.set(row.id, {
      id: row.id,
      city: row.city,
      streetType: row.street_type,
      display: row.name,
      name: fold(row.name),
    });
  }
}
