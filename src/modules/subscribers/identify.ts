import { type SQL, sql } from 'drizzle-orm';
import type {
  Askable,
  Candidate,
  Identification,
  IdentifyQuery,
  MatchedField,
  PhoneLookup,
} from '../../common/api/identification.js';
import type { Role } from '../../common/api/staff.js';
import type { AppContext } from '../../server/context.js';
import { formatAddress } from './address.js';
import {
  buildingFact,
  type CallerQuery,
  fitWeights,
  hasExactIdentifier,
  houseFit,
  isEmptyQuery,
  MAX_READINGS,
  parseCallerQuery,
  type Reading,
  readWords,
  type StreetMatch,
  streetMatches,
  wantedBuilding,
} from './caller-query.js';
import { initials, showsInFull } from './masking.js';
import { type Answers, applyAnswers, factsOf, QUESTION_CANDIDATE_CAP, suggestNextQuestion } from './next-question.js';
import { normalisePhone } from './phone.js';
import {
  type BuildingEntry,
  ensureBuildings,
  fold,
  matchWord,
  type StreetEntry,
  type Vocabulary,
  vocabularyOf,
  type WordMatch,
} from './vocabulary.js';

/**
 * Finding the caller from whatever they say (docs/identification.md): exact identifiers win
 * outright; otherwise the words are read as a name and an address against the vocabularies in
 * memory, candidates are fetched by exact indexed values (surname, building), narrowed by every
 * other part of the query that someone fits, ranked, and the question that best splits the rest
 * is suggested. The caller's answers narrow the list further.
 */

const SHOWN = 20;
const FETCH_CAP = QUESTION_CANDIDATE_CAP + 1;
/** Organisations found by a word of their name: a handful is a reading, hundreds are not. */
const ORGANISATION_CAP = 200;
/** Rows an exact identifier may name (a phone shared by a family, an e-mail shared by a firm). */
const EXACT_CAP = 100;
/**
 * Statements one identification may run (the work cap beside the 10,000-row cap): a reading that
 * needs its fallbacks costs 2-4; optional steps stop here, and another reading starts only with
 * room for three more. Hard ceiling: about this plus two.
 */
const STATEMENT_BUDGET = 6;
/** Optional steps (a typo's neighbours, organisations, another reading) run only within the budget. */
const canAfford = (search: { statements: number }) => search.statements < STATEMENT_BUDGET;
/** Readings whose prior is this much below the best one are not tried ("Ленина" as a typo of Левина). */
const READING_MARGIN = 0.75;

interface CandidateRow {
  subscriber_id: number;
  account_id: number;
  kind: 'person' | 'organisation';
  surname: string | null;
  first_name: string | null;
  patronymic: string | null;
  org_name: string | null;
  sort_key: string;
  birth_date: string | null;
  account_number: string;
  state: Candidate['state'];
  contract_number: string;
  apartment: string | null;
  building_id: number;
  phones: string[] | null;
  fields?: MatchedField[];
}

/** A fetched row with its address from the city plan in memory and its names folded once. */
interface Fetched extends CandidateRow {
  building: BuildingEntry;
  street: StreetEntry;
  folded: { surname: string; firstName: string; patronymic: string; orgName: string; house: string };
}

interface Search {
  ctx: AppContext;
  vocabulary: Vocabulary;
  statements: number;
}

/** Adds the address from the city plan in memory (reading buildings it does not know yet) and folded names. */
async function enrich(search: Search, rows: CandidateRow[]): Promise<Fetched[]> {
  const { vocabulary } = search;
  if (rows.some((row) => !vocabulary.buildingById.has(row.building_id))) {
    search.statements++;
    await ensureBuildings(
      search.ctx.database,
      vocabulary,
      rows.map((row) => row.building_id),
    );
  }
  const fetched: Fetched[] = [];
  for (const row of rows) {
    const building = vocabulary.buildingById.get(row.building_id);
    const street = building && vocabulary.streetById.get(building.streetId);
    if (!building || !street) continue;
    const candidate = row as Fetched;
    candidate.building = building;
    candidate.street = street;
    candidate.folded = {
      surname: row.surname ? fold(row.surname) : '',
      firstName: row.first_name ? fold(row.first_name) : '',
      patronymic: row.patronymic ? fold(row.patronymic) : '',
      orgName: row.org_name ? fold(row.org_name) : '',
      house: fold(building.house),
    };
    fetched.push(candidate);
  }
  return fetched;
}

const candidateColumns = sql`
  s.id as subscriber_id, a.id as account_id, s.kind, s.surname, s.first_name, s.patronymic, s.org_name,
  s.sort_key, s.birth_date::text as birth_date, a.number as account_number, a.state,
  c.number as contract_number, c.apartment, c.building_id,
  (select array_agg(p.phone order by p.is_primary desc, p.id) from subscriber_phones p where p.subscriber_id = s.id) as phones`;

/** The same columns as one JSON array per row, in this order (see fetchCandidates). */
const candidateArray = sql`json_build_array(
  s.id, a.id, s.kind, s.surname, s.first_name, s.patronymic, s.org_name, s.sort_key, s.birth_date::text,
  a.number, a.state, c.number, c.apartment, c.building_id,
  (select array_agg(p.phone order by p.is_primary desc, p.id) from subscriber_phones p where p.subscriber_id = s.id))`;

type CandidateArray = [
  number,
  number,
  CandidateRow['kind'],
  string | null,
  string | null,
  string | null,
  string | null,
  string,
  string | null,
  string,
  CandidateRow['state'],
  string,
  string | null,
  number,
  string[] | null,
];

const candidateJoins = sql`
  from subscribers s
  join accounts a on a.subscriber_id = s.id
  join contracts c on c.account_id = a.id`;

const inList = (values: readonly (string | number)[]) =>
  sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  );

/**
 * Candidate rows for each condition (one statement however many), each capped on its own. The
 * rows come back as one JSON text: turning thousands of rows into objects column by column costs
 * PGlite more than the query itself (2-3× on a street of 3,000 residents).
 */
async function fetchCandidates(search: Search, wheres: SQL[], limit = FETCH_CAP): Promise<Fetched[]> {
  if (wheres.length === 0) return [];
  search.statements++;
  const selects = wheres.map(
    (where) =>
      sql`(select ${candidateArray} as candidate ${candidateJoins} where ${where} order by s.sort_key, s.id, a.id limit ${limit})`,
  );
  const [result] = await search.ctx.database.rows<{ found: string | null }>(
    sql`select json_agg(candidate)::text as found from (${sql.join(selects, sql` union all `)}) found`,
  );
  const unique = new Map<number, CandidateRow>();
  for (const values of JSON.parse(result?.found ?? '[]') as CandidateArray[]) {
    unique.set(values[1], {
      subscriber_id: values[0],
      account_id: values[1],
      kind: values[2],
      surname: values[3],
      first_name: values[4],
      patronymic: values[5],
      org_name: values[6],
      sort_key: values[7],
      birth_date: values[8],
      account_number: values[9],
      state: values[10],
      contract_number: values[11],
      apartment: values[12],
      building_id: values[13],
      phones: values[14],
    });
  }
  return enrich(search, [...unique.values()]);
}

/** Contracts in these buildings, counted up to the cap on the index alone. */
async function countInBuildings(search: Search, buildingIds: number[]): Promise<number> {
  search.statements++;
  const [row] = await search.ctx.database.rows<{ n: number }>(
    sql`select count(*)::int as n from (select 1 from contracts c where c.building_id in (${inList(buildingIds)}) limit ${FETCH_CAP}) capped`,
  );
  return row?.n ?? 0;
}

// ---------------------------------------------------------------------------------------------
// How a candidate fits the query.

type FitPart = 'surname' | 'firstName' | 'patronymic' | 'street' | 'house' | 'building' | 'apartment' | 'orgName';
type Fit = Record<FitPart, number>;

/** What one reading of the query asks of a candidate, with the answers that extend the address. */
interface Wanted {
  reading: Reading;
  surnames: WordMatch[];
  streets: StreetMatch[];
  house: string | null;
  building: string | null;
  apartment: string | null;
  orgWords: string[];
}

const qualityIn = (value: string, matches: readonly WordMatch[]) =>
  value ? (matches.find((match) => match.word === value)?.quality ?? 0) : 0;

function fitOf(row: Fetched, wanted: Wanted): Fit {
  const street = wanted.streets.find((candidate) => candidate.entry.id === row.street.id)?.quality ?? 0;
  // A house counts on its street; a house said without any street counts a little on any street.
  const houseQuality = wanted.house === null ? 0 : houseFit(wanted.house, row.building);
  const house = wanted.streets.length ? (street > 0 ? houseQuality : 0) : houseQuality * 0.25;
  const building = wanted.building !== null && house > 0 && buildingFact(row.building) === wanted.building ? 1 : 0;
  const apartment =
    wanted.apartment !== null && (house > 0 || wanted.house === null) && row.apartment === wanted.apartment ? 1 : 0;
  const orgName =
    row.kind === 'organisation' && wanted.orgWords.some((word) => row.folded.orgName.includes(word)) ? 1 : 0;
  return {
    surname: qualityIn(row.folded.surname, wanted.surnames),
    firstName: qualityIn(row.folded.firstName, wanted.reading.firstName),
    patronymic: qualityIn(row.folded.patronymic, wanted.reading.patronymic),
    street,
    house,
    building,
    apartment,
    orgName,
  };
}

const scoreOf = (fit: Fit) =>
  Math.round((Object.keys(fit) as FitPart[]).reduce((sum, part) => sum + fitWeights[part] * fit[part], 0) * 100) / 100;

/** The parts of the query this reading asks for, in the order they narrow the list: address first. */
function askedParts(wanted: Wanted): FitPart[] {
  const parts: FitPart[] = [];
  if (wanted.streets.length) parts.push('street');
  if (wanted.house !== null) parts.push('house');
  if (wanted.building !== null) parts.push('building');
  if (wanted.apartment !== null) parts.push('apartment');
  if (wanted.surnames.length) parts.push('surname');
  if (wanted.reading.firstName.length) parts.push('firstName');
  if (wanted.reading.patronymic.length) parts.push('patronymic');
  if (wanted.orgWords.length && wanted.surnames.length === 0) parts.push('orgName');
  return parts;
}

interface Scored {
  row: Fetched;
  fit: Fit;
  score: number;
  matched: MatchedField[];
}

function scoreRow(row: Fetched, wanted: Wanted): Scored {
  const fit = fitOf(row, wanted);
  const matched = (Object.keys(fit) as FitPart[]).filter((part) => fit[part] > 0);
  return { row, fit, score: scoreOf(fit), matched };
}

/**
 * Every part of the query that someone fits narrows the list to those who fit it; a part that
 * nobody fits only ranks (the caller may have misspoken it). Address parts narrow first, so a
 * surname that matches nobody on the named street yields to the address. A house narrows to the
 * exact building when one fits ("5а" over "5"); names keep their typo readings, which rank lower.
 */
function narrow(scored: Scored[], parts: FitPart[]): Scored[] {
  let remaining = scored;
  for (const part of parts) {
    const best = remaining.reduce((max, candidate) => Math.max(max, candidate.fit[part]), 0);
    if (best === 0) continue;
    const threshold = part === 'house' ? best : Number.MIN_VALUE;
    remaining = remaining.filter((candidate) => candidate.fit[part] >= threshold);
  }
  return remaining;
}

// ---------------------------------------------------------------------------------------------
// Fetching the candidates of one reading.

function buildingsOn(vocabulary: Vocabulary, streets: readonly StreetMatch[]): BuildingEntry[] {
  return streets.flatMap((street) => vocabulary.buildingsByStreet.get(street.entry.id) ?? []);
}

/** The buildings a house number names on these streets: exact fits, else the same number. */
function buildingsAt(buildings: readonly BuildingEntry[], house: string): BuildingEntry[] {
  const exact = buildings.filter((building) => houseFit(house, building) === 1);
  return exact.length ? exact : buildings.filter((building) => houseFit(house, building) > 0);
}

/** The buildings of the address said: the house on its street when it exists, else the whole street. */
function addressBuildings(vocabulary: Vocabulary, wanted: Wanted): number[] {
  const street = buildingsOn(vocabulary, wanted.streets);
  const house = wanted.house === null ? [] : buildingsAt(street, wanted.house);
  return (house.length ? house : street).map((building) => building.id);
}

/** First names and patronymics the caller said or answered. */
interface SaidNames {
  firstNames: string[];
  patronymics: string[];
}

const foldedName = (value: string) => sql`translate(lower(${sql.raw(value)}), 'ё', 'е')`;

/** The names said (their readings, typos included) as a filter on the rows of a surname. */
function namesFilter(wanted: Wanted, names: SaidNames): SQL | null {
  const firstNames = [...wanted.reading.firstName.map((match) => match.word), ...names.firstNames];
  const patronymics = [...wanted.reading.patronymic.map((match) => match.word), ...names.patronymics];
  const parts: SQL[] = [];
  if (firstNames.length) parts.push(sql`${foldedName('s.first_name')} in (${inList(firstNames)})`);
  if (patronymics.length) parts.push(sql`${foldedName('s.patronymic')} in (${inList(patronymics)})`);
  return parts.length ? sql.join(parts, sql` and `) : null;
}

interface Retrieved {
  rows: Fetched[];
  /** More than the cap fit: the rows are the first of them by name, and the questions start from the address. */
  overflow: boolean;
  /** Surnames that were fetched instead of the said one ("Ларин" said, Лапин lives there). */
  neighbours: WordMatch[];
}

const escapeLike = (word: string) => word.replace(/[\\%_]/g, '\\$&');

async function retrieve(search: Search, wanted: Wanted, names: SaidNames): Promise<Retrieved> {
  const { vocabulary } = search;
  const surnames = wanted.surnames.map((match) => match.word);
  const streetBuildings = buildingsOn(vocabulary, wanted.streets).map((building) => building.id);
  const houseBuildings =
    wanted.house === null
      ? null
      : buildingsAt(buildingsOn(vocabulary, wanted.streets), wanted.house).map((building) => building.id);
  const bySurname = surnames.length ? sql`s.surname_norm in (${inList(surnames)})` : null;
  const inBuildings = (ids: number[]) => sql`c.building_id in (${inList(ids)})`;
  const byOrganisation = wanted.orgWords.length
    ? sql`s.kind = 'organisation' and (${sql.join(
        wanted.orgWords.map((word) => sql`s.org_name_norm like ${`%${escapeLike(word)}%`}`),
        sql` or `,
      )})`
    : null;
  const withOrganisations = async (found: Retrieved): Promise<Retrieved> => {
    if (!byOrganisation || !canAfford(search)) return found;
    const organisations = await fetchCandidates(search, [byOrganisation], ORGANISATION_CAP);
    return { ...found, rows: [...found.rows, ...organisations] };
  };
  const nothing: Retrieved = { rows: [], overflow: false, neighbours: [] };

  if (bySurname && streetBuildings.length) {
    // The name on the street, any house: a wrong house number still finds them, the house narrows later.
    const rows = await fetchCandidates(search, [sql`${bySurname} and ${inBuildings(streetBuildings)}`]);
    if (rows.length) return withOrganisations({ rows, overflow: false, neighbours: [] });
    // A typo that is itself a surname: "Ларин" said where Лапин lives.
    const neighbours = canAfford(search) ? surnameNeighbours(vocabulary, wanted) : [];
    if (neighbours.length) {
      const near = await fetchCandidates(search, [
        sql`s.surname_norm in (${inList(neighbours.map((match) => match.word))}) and ${inBuildings(streetBuildings)}`,
      ]);
      if (near.length) return withOrganisations({ rows: near, overflow: false, neighbours });
    }
    // Each half alone, and the ranking sorts them out; a whole street beyond the cap is not read
    // as a half, the surname alone is.
    const address = addressBuildings(vocabulary, wanted);
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
    const carriers = surnames.reduce((sum, word) => sum + (vocabulary.counts.surname.get(word) ?? 0), 0);
    if (carriers > QUESTION_CANDIDATE_CAP) {
      return { ...nothing, rows: await fetchCandidates(search, [bySurname], SHOWN), overflow: true };
    }
    const rows = await fetchCandidates(search, [bySurname]);
    return withOrganisations({ rows, overflow: rows.length > QUESTION_CANDIDATE_CAP, neighbours: [] });
  }
  if (streetBuildings.length) {
    if (houseBuildings?.length) {
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

interface Evaluated {
  wanted: Wanted;
  inPlay: Scored[];
  overflow: boolean;
  best: number;
  /** The best candidate fits every part of the query this reading asks for. */
  complete: boolean;
}

interface AddressAnswers {
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
  return { wanted: widened, inPlay, overflow: found.overflow, best, complete };
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
  const address = addressBuildings(search.vocabulary, wanted);
  const byNeighbours = sql`s.surname_norm in (${inList(neighbours.map((match) => match.word))})`;
  const byNames = namesFilter(wanted, names);
  const near = await fetchCandidates(search, [
    address.length
      ? sql`${byNeighbours} and c.building_id in (${inList(address)})`
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
async function findByWords(
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
function addressAnswers(query: CallerQuery, answers: Answers, vocabulary: Vocabulary): AddressAnswers {
  let streets: StreetMatch[] | null = null;
  if (answers.street && query.streetWords.length === 0) {
    const asked = parseCallerQuery(answers.street, vocabulary.compoundStreets);
    const name = [...asked.streetWords, ...asked.words].join(' ');
    if (name) streets = streetMatches(name, vocabulary, asked.streetType);
  }
  const house = answers.house ? (parseCallerQuery(`д ${answers.house}`).house ?? null) : null;
  return { streets: streets?.length ? streets : null, house };
}

// ---------------------------------------------------------------------------------------------

function toCandidate(scored: Scored, role: Role): Candidate {
  const { row } = scored;
  return {
    subscriberId: row.subscriber_id,
    accountId: row.account_id,
    kind: row.kind,
    name:
      row.kind === 'organisation' ? (row.org_name ?? '') : initials(row.surname ?? '', row.first_name, row.patronymic),
    address: formatAddress(
      {
        city: row.street.city,
        streetType: row.street.streetType,
        street: row.street.display,
        house: row.building.house,
        korpus: row.building.korpus,
        stroenie: row.building.stroenie,
        litera: row.building.litera,
        apartment: row.apartment,
      },
      showsInFull(role, 'apartment') ? 'full' : 'masked',
    ),
    accountNumber: row.account_number,
    contractNumber: row.contract_number,
    state: row.state,
    matched: [...new Set(scored.matched)],
    score: scored.score,
  };
}

const fieldOf = (field: string) => sql.raw(`'${field}'::text`);

/** Everyone an exact identifier names, in one statement: each identifier on its own index. */
async function findByIdentifiers(search: Search, query: CallerQuery): Promise<Scored[]> {
  const hits: SQL[] = [];
  if (query.accountNumbers.length) {
    hits.push(
      sql`select a.id as account_id, ${fieldOf('account')} as field from accounts a where a.number in (${inList(query.accountNumbers)})`,
    );
  }
  if (query.contracts.length) {
    // The serial alone is unique across years, so a misremembered year still finds the contract.
    const serials = query.contracts.map((contract) => String(contract.serial).padStart(6, '0'));
    hits.push(
      sql`select c.account_id, ${fieldOf('contract')} as field from contracts c where split_part(c.number, '-', 3) in (${inList(serials)})`,
    );
  }
  if (query.phones.length) {
    hits.push(sql`select a.id as account_id, ${fieldOf('phone')} as field from subscriber_phones p
      join accounts a on a.subscriber_id = p.subscriber_id where p.phone in (${inList(query.phones)})`);
  }
  if (query.emails.length) {
    hits.push(sql`select a.id as account_id, ${fieldOf('email')} as field from subscribers s
      join accounts a on a.subscriber_id = s.id where lower(s.email) in (${inList(query.emails)})`);
  }
  if (query.inns.length) {
    hits.push(sql`select a.id as account_id, ${fieldOf('inn')} as field from subscribers s
      join accounts a on a.subscriber_id = s.id where s.inn in (${inList(query.inns)})`);
  }
  search.statements++;
  const rows = await search.ctx.database.rows<CandidateRow>(sql`
    select ${candidateColumns}, h.fields
    from (select account_id, array_agg(distinct field) as fields from (${sql.join(hits, sql` union all `)}) hit
          group by account_id limit ${EXACT_CAP}) h
    join accounts a on a.id = h.account_id
    join subscribers s on s.id = a.subscriber_id
    join contracts c on c.account_id = a.id
    order by s.sort_key, s.id, a.id`);
  return (await enrich(search, rows)).map((row) => {
    const matched = [...(row.fields ?? [])].sort();
    return { row, fit: noFit(), score: 100 + matched.length, matched };
  });
}

const noFit = (): Fit => ({
  surname: 0,
  firstName: 0,
  patronymic: 0,
  street: 0,
  house: 0,
  building: 0,
  apartment: 0,
  orgName: 0,
});

/**
 * What the caller has already said, so it is not asked again: the answers, and each part of the
 * query that someone in play fits (a house that fits nobody may well be asked for again).
 */
function knownFrom(query: CallerQuery, chosen: Evaluated | null, answers: Answers): Set<Askable> {
  const known = new Set<Askable>(Object.keys(answers) as Askable[]);
  const fitted = (part: FitPart) => chosen?.inPlay.some((candidate) => candidate.fit[part] > 0) ?? false;
  if (fitted('firstName')) known.add('firstName');
  if (fitted('patronymic')) known.add('patronymic');
  if (fitted('street')) known.add('street');
  if (query.house !== null && chosen?.inPlay.some((candidate) => candidate.fit.house === 1)) known.add('house');
  if (fitted('apartment')) known.add('apartment');
  if (fitted('building')) known.add('building');
  return known;
}

const byRank = (a: Scored, b: Scored) =>
  b.score - a.score ||
  (a.row.sort_key < b.row.sort_key ? -1 : a.row.sort_key > b.row.sort_key ? 1 : 0) ||
  a.row.account_id - b.row.account_id;

function answersOf(input: IdentifyQuery): Answers {
  const answers: Answers = {
    firstName: input.firstName,
    patronymic: input.patronymic,
    street: input.street,
    house: input.house,
    building: input.building,
    apartment: input.apartment,
    birthYear: input.birthYear === undefined ? undefined : String(input.birthYear),
    phoneLast4: input.phoneLast4,
  };
  for (const key of Object.keys(answers) as Askable[]) {
    const value = answers[key]?.trim();
    if (value) answers[key] = value;
    else delete answers[key];
  }
  return answers;
}

/** Finds the caller from one line of whatever they said, narrowed by their answers. */
export async function identifyCaller(ctx: AppContext, role: Role, input: IdentifyQuery): Promise<Identification> {
  const vocabulary = await vocabularyOf(ctx.database);
  const search: Search = { ctx, vocabulary, statements: 0 };
  const query = parseCallerQuery(input.q, vocabulary.compoundStreets);
  const answers = answersOf(input);
  const identifiers = [
    ...query.accountNumbers,
    ...query.contracts.map((contract) => `${contract.year ?? '*'}-${contract.serial}`),
    ...query.phones,
    ...query.emails,
    ...query.inns,
  ];
  const result: Identification = {
    exact: false,
    total: 0,
    totalIsCapped: false,
    candidates: [],
    nextQuestion: null,
    answerMatchedNobody: null,
    reading: {
      surname: null,
      firstName: null,
      patronymic: null,
      street: null,
      house: query.house,
      apartment: query.apartment,
      identifiers,
    },
  };
  if (isEmptyQuery(query)) return result;

  let scored: Scored[] = [];
  let overflow = false;
  let chosen: Evaluated | null = null;
  if (hasExactIdentifier(query)) {
    scored = await findByIdentifiers(search, query);
    result.exact = scored.length > 0;
  }
  if (!result.exact && (query.words.length || query.streetWords.length)) {
    const names: SaidNames = {
      firstNames: answers.firstName ? [fold(answers.firstName)] : [],
      patronymics: answers.patronymic ? [fold(answers.patronymic)] : [],
    };
    const answered = addressAnswers(query, answers, vocabulary);
    chosen = await findByWords(search, query, answered, names);
    if (chosen?.inPlay.length === 0 && (answered.streets || answered.house) && canAfford(search)) {
      // The answered address fits nobody: read without it, so the answer can show the nearest.
      chosen = await findByWords(search, query, { streets: null, house: null }, names);
    }
    if (chosen) {
      scored = chosen.inPlay;
      overflow = chosen.overflow;
    }
  }

  const { remaining, matchedNobody } = applyAnswers(scored, answers, vocabulary);
  if (!matchedNobody) remaining.sort(byRank);
  const total = overflow ? FETCH_CAP : remaining.length;
  result.total = Math.min(total, QUESTION_CANDIDATE_CAP);
  result.totalIsCapped = total > QUESTION_CANDIDATE_CAP;
  result.candidates = remaining.slice(0, SHOWN).map((candidate) => toCandidate(candidate, role));
  result.answerMatchedNobody = matchedNobody;
  result.nextQuestion = matchedNobody
    ? null
    : suggestNextQuestion(
        remaining.map((candidate) => factsOf(candidate.row)),
        knownFrom(query, chosen, answers),
        total,
      );
  const wanted = chosen?.wanted;
  result.reading = {
    ...result.reading,
    surname: wanted?.surnames[0]?.word ?? null,
    firstName: wanted?.reading.firstName[0]?.word ?? null,
    patronymic: wanted?.reading.patronymic[0]?.word ?? null,
    street: wanted?.streets[0]?.entry.display ?? null,
    house: wanted?.house ?? query.house,
  };
  return result;
}

/** Caller ID: the subscribers whose phone on record is exactly this number, in any written form. */
export async function findCallerByPhone(ctx: AppContext, role: Role, phoneInput: string): Promise<PhoneLookup | null> {
  const phone = normalisePhone(phoneInput);
  if (!phone) return null;
  const vocabulary = await vocabularyOf(ctx.database);
  const query = parseCallerQuery('');
  query.phones.push(phone);
  const found = await findByIdentifiers({ ctx, vocabulary, statements: 0 }, query);
  return { phone, candidates: found.map((candidate) => toCandidate(candidate, role)) };
}
