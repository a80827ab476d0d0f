import { type SQL, sql } from 'drizzle-orm';
import { escapeLike } from '../core/text.js';
import { buildingFact, type CallerQuery, houseFit, parseCallerQuery, wantedBuilding } from './caller-query.js';
import { askedParts, narrow, type Scored, scoreRow, type Wanted } from './candidate-fit.js';
import {
  anyOf,
  canAfford,
  countInBuildings,
  type Fetched,
  fetchCandidates,
  type Search,
  SHOWN,
  STATEMENT_BUDGET,
} from './candidates.js';
import { fetchNamesakes } from './namesakes.js';
import { type AnswerSplits, type Answers, QUESTION_CANDIDATE_CAP } from './next-question.js';
import { MAX_READINGS, type Reading, readWords, type StreetMatch, streetMatches } from './readings.js';
import { type BuildingEntry, buildingsOfStreets, matchWord, type Vocabulary, type WordMatch } from './vocabulary.js';

/**
 * Identification by words (docs/identification.md, sections 2-3): each reading of the words as a
 * name and an address fetches its candidates by exact indexed values, in steps that stop at the
 * first that finds someone, and is judged by how well its best candidate fits.
 */

/** Organisations found by a word of their name: a handful is a reading, hundreds are not. */
const ORGANISATION_CAP = 200;
/** Readings whose prior is this much below the best one are not tried ("Ленина" as a typo of Левина). */
const READING_MARGIN = 0.75;

function buildingsOn(search: Search, streets: readonly StreetMatch[]): Promise<BuildingEntry[]> {
  return buildingsOfStreets(
    search.ctx.database,
    search.vocabulary,
    streets.map((street) => street.entry.id),
  );
}

/** The buildings a house number names on these streets: exact fits, else the same number. */
function buildingsAt(buildings: readonly BuildingEntry[], house: string): BuildingEntry[] {
  const exact = buildings.filter((building) => houseFit(house, building) === 1);
  return exact.length ? exact : buildings.filter((building) => houseFit(house, building) > 0);
}

/** The buildings of the address said: the house on its street when it exists, else the whole street. */
async function addressBuildings(search: Search, wanted: Wanted): Promise<number[]> {
  const street = await buildingsOn(search, wanted.streets);
  const house = wanted.house === null ? [] : buildingsAt(street, wanted.house);
  return (house.length ? house : street).map((building) => building.id);
}

// Conditions on a candidate's askable facts (f) and contract (c), lists as array parameters.
const surnamesIn = (matches: readonly WordMatch[]) =>
  sql`f.surname_norm = ${anyOf(
    matches.map((match) => match.word),
    'text',
  )}`;
/** A surname's namesakes in these buildings: filtered within the surname's range of the facts. */
const namesakesIn = (ids: number[]) => sql`f.building_id = ${anyOf(ids, 'int')}`;
/** Everyone in these buildings: from the buildings' contracts. */
const inBuildings = (ids: number[]) => sql`c.building_id = ${anyOf(ids, 'int')}`;

/** First names and patronymics the caller said or answered. */
export interface SaidNames {
  firstNames: string[];
  patronymics: string[];
}

/** The names said (their readings, typos included) as a filter on the rows of a surname. */
function namesFilter(wanted: Wanted, names: SaidNames): SQL | null {
  const firstNames = [...wanted.reading.firstName.map((match) => match.word), ...names.firstNames];
  const patronymics = [...wanted.reading.patronymic.map((match) => match.word), ...names.patronymics];
  const parts: SQL[] = [];
  if (firstNames.length) parts.push(sql`f.first_name = ${anyOf(firstNames, 'text')}`);
  if (patronymics.length) parts.push(sql`f.patronymic = ${anyOf(patronymics, 'text')}`);
  return parts.length ? sql.join(parts, sql` and `) : null;
}

interface Retrieved {
  rows: Fetched[];
  /** More than the cap fit: the rows are the first of them by name, and the questions start from the address. */
  overflow: boolean;
  /** Surnames that were fetched instead of the said one ("Ларин" said, Лапин lives there). */
  neighbours: WordMatch[];
  /** The rows are only the 20 shown of `total` namesakes, whose answers split as counted (namesakes.ts). */
  namesakes?: { total: number; splits: AnswerSplits };
}

async function retrieve(search: Search, wanted: Wanted, names: SaidNames): Promise<Retrieved> {
  const { vocabulary } = search;
  const onStreets = await buildingsOn(search, wanted.streets);
  const streetBuildings = onStreets.map((building) => building.id);
  const houseBuildings =
    wanted.house === null ? null : buildingsAt(onStreets, wanted.house).map((building) => building.id);
  const bySurname = wanted.surnames.length ? surnamesIn(wanted.surnames) : null;
  const byOrganisation = wanted.orgWords.length
    ? sql`s.kind = 'organisation' and (${sql.join(
        wanted.orgWords.map((word) => sql`s.org_name_norm like ${`%${escapeLike(word)}%`}`),
        sql` or `,
      )})`
    : null;
  const withOrganisations = async (found: Retrieved): Promise<Retrieved> => {
    if (!byOrganisation || !canAfford(search)) return found;
    const organisations = await fetchCandidates(search, [byOrganisation], ORGANISATION_CAP, { prepared: false });
    return { ...found, rows: [...found.rows, ...organisations] };
  };
  const nothing: Retrieved = { rows: [], overflow: false, neighbours: [] };

  if (bySurname && streetBuildings.length) {
    // The name in the house said: a few contracts, where the whole street is thousands. Whoever
    // lives there is all that narrowing by the house would keep of the street's namesakes.
    if (houseBuildings?.length) {
      const rows = await fetchCandidates(search, [sql`${bySurname} and ${namesakesIn(houseBuildings)}`]);
      if (rows.length) return withOrganisations({ rows, overflow: false, neighbours: [] });
    }
    // The name on the street, any house: a wrong house number still finds them, the house narrows later.
    const rows = await fetchCandidates(search, [sql`${bySurname} and ${namesakesIn(streetBuildings)}`]);
    if (rows.length) return withOrganisations({ rows, overflow: false, neighbours: [] });
    // A typo that is itself a surname: "Ларин" said where Лапин lives.
    const neighbours = canAfford(search) ? surnameNeighbours(vocabulary, wanted) : [];
    if (neighbours.length) {
      const near = await fetchCandidates(search, [sql`${surnamesIn(neighbours)} and ${namesakesIn(streetBuildings)}`]);
      if (near.length) return withOrganisations({ rows: near, overflow: false, neighbours });
    }
    // Each half alone, and the ranking sorts them out; a whole street beyond the cap is not read
    // as a half, the surname alone is.
    const address = await addressBuildings(search, wanted);
    const wholeStreet = !houseBuildings?.length;
    const streetTooLong =
      wholeStreet && canAfford(search) && (await countInBuildings(search, address)) > QUESTION_CANDIDATE_CAP;
    const halves = await fetchCandidates(search, streetTooLong ? [bySurname] : [bySurname, inBuildings(address)]);
    return withOrganisations({ rows: halves, overflow: halves.length > QUESTION_CANDIDATE_CAP, neighbours: [] });
  }
  if (bySurname) {
    // A name said with its surname is read with it: only the Смирновы named Сергей, not all of
    // them. When nobody carries that name (a typo beyond the allowance), the whole surname is read.
    const byNames = namesFilter(wanted, names);
    if (byNames) {
      const named = await fetchCandidates(search, [sql`${bySurname} and ${byNames}`]);
      if (named.length) {
        return withOrganisations({ ...nothing, rows: named, overflow: named.length > QUESTION_CANDIDATE_CAP });
      }
    }
    // The vocabulary knows how many carry the surname: a list beyond the cap is not fetched whole.
    const carriers = wanted.surnames.reduce((sum, match) => sum + (vocabulary.counts.surname.get(match.word) ?? 0), 0);
    if (carriers > QUESTION_CANDIDATE_CAP) {
      return { ...nothing, rows: await fetchCandidates(search, [bySurname], SHOWN), overflow: true };
    }
    if (search.summarise && askedParts(wanted).join() === 'surname') {
      // Everyone fetched is in play and ranks by the surname alone: count, read the 20 shown.
      const found = await fetchNamesakes(search, wanted.surnames);
      if (found.total > 0) {
        const { rows, total, splits } = found;
        return withOrganisations({
          rows,
          overflow: total > QUESTION_CANDIDATE_CAP,
          neighbours: [],
          namesakes: { total, splits },
        });
      }
    }
    const rows = await fetchCandidates(search, [bySurname]);
    return withOrganisations({ rows, overflow: rows.length > QUESTION_CANDIDATE_CAP, neighbours: [] });
  }
  if (streetBuildings.length) {
    if (houseBuildings?.length) {
      // The flat said: narrowing keeps only its residents, in the korpus said when that korpus
      // exists (the korpus narrows before the apartment); nobody there, and the whole house is read.
      if (wanted.apartment !== null) {
        const inKorpus = onStreets.filter(
          (building) =>
            wanted.building !== null &&
            houseBuildings.includes(building.id) &&
            buildingFact(building) === wanted.building,
        );
        const flatBuildings = inKorpus.length ? inKorpus.map((building) => building.id) : houseBuildings;
        const flat = await fetchCandidates(search, [
          sql`${inBuildings(flatBuildings)} and c.apartment = ${wanted.apartment}`,
        ]);
        if (flat.length) return withOrganisations({ rows: flat, overflow: false, neighbours: [] });
      }
      const rows = await fetchCandidates(search, [inBuildings(houseBuildings)]);
      if (rows.length)
        return withOrganisations({ rows, overflow: rows.length > QUESTION_CANDIDATE_CAP, neighbours: [] });
    }
    // A whole street: counted on the index first, so a street of 30,000 is not read to say "too many".
    if ((await countInBuildings(search, streetBuildings)) > QUESTION_CANDIDATE_CAP) {
      return { ...nothing, rows: await fetchCandidates(search, [inBuildings(streetBuildings)], SHOWN), overflow: true };
    }
    return withOrganisations({ ...nothing, rows: await fetchCandidates(search, [inBuildings(streetBuildings)]) });
  }
  return withOrganisations(nothing);
}

export interface Evaluated {
  wanted: Wanted;
  inPlay: Scored[];
  overflow: boolean;
  best: number;
  /** The best candidate fits every part of the query this reading asks for. */
  complete: boolean;
  namesakes?: Retrieved['namesakes'];
}

export interface AddressAnswers {
  streets: StreetMatch[] | null;
  house: string | null;
}

function wantedOf(query: CallerQuery, reading: Reading, answered: AddressAnswers): Wanted {
  // Words that read as no name are searched among organisations, and so is a "surname" that only
  // loosely fits one ("Ромашка" is not a typo of Ромашкин) or that the caller called an ООО or ИП.
  // A surname one typo away ("Моэозов") is a person: no organisation search for it.
  const looseSurname = reading.surname.every((match) => match.quality < 0.8) || query.organisation;
  const orgWords = [...reading.otherWords, looseSurname ? reading.surnameToken : null].filter(
    (word): word is string => (word?.length ?? 0) >= 3,
  );
  const streets = reading.streets.length ? reading.streets : (answered.streets ?? []);
  return {
    reading,
    surnames: reading.surname,
    streets,
    house: answered.house ?? query.house,
    building: wantedBuilding(query),
    apartment: query.apartment,
    orgWords,
  };
}

/** A typo that is itself a surname ("Зайцев" said for Зайцева): the surnames within a typo of the one said. */
function surnameNeighbours(vocabulary: Vocabulary, wanted: Wanted): WordMatch[] {
  const token = wanted.reading.surnameToken;
  if (!token || !wanted.surnames.some((match) => match.quality === 1)) return [];
  const known = new Set(wanted.surnames.map((match) => match.word));
  return matchWord(token, vocabulary.words.surname, { neighbours: true, prefix: false }).filter(
    (match) => !known.has(match.word),
  );
}

function judge(wanted: Wanted, found: Retrieved): Evaluated {
  const widened: Wanted = found.neighbours.length
    ? { ...wanted, surnames: [...wanted.surnames, ...found.neighbours] }
    : wanted;
  const parts = askedParts(widened);
  const inPlay = narrow(
    found.rows.map((row) => scoreRow(row, widened)),
    parts,
  );
  const best = inPlay.reduce((max, candidate) => Math.max(max, candidate.score), 0);
  // A house said without any street never completes a reading: "Малышева 5" is more likely the street.
  const complete =
    !(widened.house !== null && widened.streets.length === 0) &&
    inPlay.some((candidate) => parts.every((part) => candidate.fit[part] > 0));
  return { wanted: widened, inPlay, overflow: found.overflow, best, complete, namesakes: found.namesakes };
}

const isBetter = (a: Evaluated, b: Evaluated) => (a.complete !== b.complete ? a.complete : a.best > b.best);

async function evaluateReading(
  search: Search,
  query: CallerQuery,
  reading: Reading,
  answered: AddressAnswers,
  names: SaidNames,
): Promise<Evaluated> {
  const wanted = wantedOf(query, reading, answered);
  const found = await retrieve(search, wanted, names);
  const first = judge(wanted, found);
  if (first.complete || found.overflow || found.neighbours.length || !canAfford(search)) {
    return first;
  }
  // The rest of the query fits nobody with this surname: "Зайцев Анастасия" said for Зайцева,
  // "Смирнов Ленина 5" where Смирнова lives. Only the neighbours are read, on the narrowest
  // address said, so the common surname is not read twice.
  const neighbours = surnameNeighbours(search.vocabulary, wanted);
  if (neighbours.length === 0) return first;
  const address = await addressBuildings(search, wanted);
  const byNeighbours = surnamesIn(neighbours);
  const byNames = namesFilter(wanted, names);
  const near = await fetchCandidates(search, [
    address.length
      ? sql`${byNeighbours} and ${namesakesIn(address)}`
      : byNames
        ? sql`${byNeighbours} and ${byNames}`
        : byNeighbours,
  ]);
  if (near.length === 0) return first;
  const wider: Wanted = { ...wanted, surnames: [...wanted.surnames, ...neighbours] };
  const second = judge(wider, { rows: [...found.rows, ...near], overflow: false, neighbours: [] });
  return isBetter(second, first) ? second : first;
}

/** Tries the readings best first; stops at one whose best candidate fits everything said. */
export async function findByWords(
  search: Search,
  query: CallerQuery,
  answered: AddressAnswers,
  names: SaidNames,
): Promise<Evaluated | null> {
  const readings = readWords(query, search.vocabulary);
  let chosen: Evaluated | null = null;
  for (const reading of readings.slice(0, MAX_READINGS)) {
    // Another reading is worth its statements only when the words fit it nearly as well.
    if (chosen && (search.statements > STATEMENT_BUDGET - 3 || reading.prior < readings[0]!.prior - READING_MARGIN)) {
      break;
    }
    const evaluated = await evaluateReading(search, query, reading, answered, names);
    if (!chosen || evaluated.best > chosen.best) chosen = evaluated;
    if (evaluated.complete) break;
  }
  return chosen;
}

// ---------------------------------------------------------------------------------------------
// The caller's answers to suggested questions.

/** The street and house the caller answered, as address evidence for fetching. */
export function addressAnswers(query: CallerQuery, answers: Answers, vocabulary: Vocabulary): AddressAnswers {
  let streets: StreetMatch[] | null = null;
  if (answers.street && query.streetWords.length === 0) {
    const asked = parseCallerQuery(answers.street, vocabulary.compoundStreets);
    const name = [...asked.streetWords, ...asked.words].join(' ');
    if (name) streets = streetMatches(name, vocabulary, asked.streetType);
  }
  const house = answers.house ? (parseCallerQuery(`д ${answers.house}`).house ?? null) : null;
  return { streets: streets?.length ? streets : null, house };
}
