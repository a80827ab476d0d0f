import { sql } from 'drizzle-orm';
import type { Database } from '../../db/connection.js';
import { fold } from '../core/text.js';
import type { BuildingParts } from './caller-query.js';

/**
 * The vocabularies of names and streets that a caller's words are matched against (word-match.ts):
 * a few thousand words held in memory, so a typo costs microseconds, and exact btree lookups fetch
 * the rows afterwards (docs/benchmarks.md, "Budgets": the floors measured on this machine). The city plan (streets and their
 * buildings) is held beside them, so an address resolves to building ids without a round trip.
 */

export type WordKind = 'surname' | 'first_name' | 'patronymic';

export interface StreetEntry {
  id: number;
  city: string;
  streetType: string;
  /** As written: "Ленина", "8 Марта". */
  display: string;
  /** Folded: "ленина", "8 марта", "карла маркса". */
  name: string;
}

/** A building of the city plan: its house with its korpus, строение or litera. */
export interface BuildingEntry extends BuildingParts {
  id: number;
  streetId: number;
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
