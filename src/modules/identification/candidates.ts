import { type SQL, sql } from 'drizzle-orm';
import type { Candidate, MatchedField } from '../../common/api/identification.js';
import { nameOfShape } from '../../db/connection.js';
import type { AppContext } from '../core/context.js';
import { escapeLike, fold } from '../core/text.js';
import { FETCH_CAP } from './limits.js';
import { type BuildingEntry, ensureStreets, type StreetEntry, type Vocabulary } from './vocabulary.js';

/**
 * Fetching candidate rows for identification (docs/identification.md, section 3): the columns,
 * the joins and their aliases, the conditions on them, and the statements that read them. The
 * other fetching files say which candidates they want through the conditions here.
 */
/**
 * Statements one identification may run (the work cap beside the 10,000-row cap): a reading that
 * needs its fallbacks costs 2-4; optional steps stop here, and another reading starts only with
 * room for three more. Hard ceiling: about this plus two.
 */
export const STATEMENT_BUDGET = 6;
/** Optional steps (a typo's neighbours, organisations, another reading) run only within the budget. */
export const canAfford = (budget: { statements: number }) => budget.statements < STATEMENT_BUDGET;

export interface CandidateRow {
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
  street_id: number;
  house: string;
  korpus: string | null;
  stroenie: string | null;
  litera: string | null;
  phones: string[] | null;
  fields?: MatchedField[];
}

/** A fetched row with its address from the city plan in memory and its names folded once. */
export interface Fetched extends CandidateRow {
  building: BuildingEntry;
  street: StreetEntry;
  folded: { surname: string; firstName: string; patronymic: string; orgName: string; house: string };
}

/** The statements one identification has run, against STATEMENT_BUDGET, and what they need. */
export interface StatementBudget {
  ctx: AppContext;
  vocabulary: Vocabulary;
  /** Statements run so far. */
  statements: number;
  /**
   * A long list may be counted in SQL with only the shown rows read (namesakes.ts): true when
   * no answer is to be applied to the rows in memory afterwards.
   */
  mayCountInSql: boolean;
  /** Candidates to show (SHOWN unless the operator asked for more): a list read only in part reads these. */
  shown: number;
}

/**
 * Places each row on the city plan in memory (reading streets the copy does not know yet) and
 * folds its names once, for fitting.
 */
export async function placeOnCityPlan(budget: StatementBudget, rows: CandidateRow[]): Promise<Fetched[]> {
  const { vocabulary } = budget;
  if (rows.some((row) => !vocabulary.streetById.has(row.street_id))) {
    budget.statements++;
    await ensureStreets(
      budget.ctx.database,
      vocabulary,
      rows.map((row) => row.street_id),
    );
  }
  const fetched: Fetched[] = [];
  for (const row of rows) {
    const street = vocabulary.streetById.get(row.street_id);
    if (!street) continue;
    const candidate = row as Fetched;
    candidate.building = {
      id: row.building_id,
      streetId: row.street_id,
      house: row.house,
      korpus: row.korpus,
      stroenie: row.stroenie,
      litera: row.litera,
    };
    candidate.street = street;
    candidate.folded = {
      surname: row.surname ? fold(row.surname) : '',
      firstName: row.first_name ? fold(row.first_name) : '',
      patronymic: row.patronymic ? fold(row.patronymic) : '',
      orgName: row.org_name ? fold(row.org_name) : '',
      house: fold(row.house),
    };
    fetched.push(candidate);
  }
  return fetched;
}

const candidateColumns = sql`
  s.id as subscriber_id, a.id as account_id, s.kind, s.surname, s.first_name, s.patronymic, s.org_name,
  s.sort_key, s.birth_date::text as birth_date, a.number as account_number, a.state,
  c.number as contract_number, c.apartment, c.building_id,
  b.street_id, b.house, b.korpus, b.stroenie, b.litera,
  (select array_agg(p.phone order by p.is_primary desc, p.id) from subscriber_phones p where p.subscriber_id = s.id) as phones`;

/** The same columns as one JSON array per row, in this order (see fetchCandidates). */
const candidateArray = sql`json_build_array(
  s.id, a.id, s.kind, s.surname, s.first_name, s.patronymic, s.org_name, s.sort_key, s.birth_date::text,
  a.number, a.state, c.number, c.apartment, c.building_id, b.street_id, b.house, b.korpus, b.stroenie, b.litera,
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
  number,
  string,
  string | null,
  string | null,
  string | null,
  string[] | null,
];

/**
 * Every candidate is an account with a contract; `f` is its row of askable facts (migration
 * 0009), the same accounts. A condition on the facts (surname, folded names, building) is met
 * from one index range of them, so namesakes in the house said cost no lookups for the namesakes
 * elsewhere; a condition on `c.building_id` alone starts from the building's contracts instead.
 */
const candidateJoins = sql`
  from askable_facts f
  join accounts a on a.id = f.account_id
  join subscribers s on s.id = a.subscriber_id
  join contracts c on c.account_id = a.id
  join buildings b on b.id = c.building_id`;

/**
 * A list of values as one array parameter (`column = ${anyOf(ids, 'int')}`): the statement's text
 * stays the same however many values there are, so it is prepared once per shape.
 */
export const anyOf = (values: readonly (string | number)[], type: 'int' | 'text') =>
  sql`any(${sql.param(values)}::${sql.raw(type)}[])`;

/**
 * Conditions on a candidate, over the aliases of candidateJoins; `both` joins them. Whoever
 * fetches candidates says which through these, so the aliases stay in this file.
 */
export const candidatesWhere = {
  /** Carries one of these folded surnames: one index range of the facts. */
  surnameIn: (surnames: readonly string[]) => sql`f.surname_norm = ${anyOf(surnames, 'text')}`,
  /** Lives in these buildings, said of the facts: filtered within a surname's range of them. */
  factsInBuildings: (ids: readonly number[]) => sql`f.building_id = ${anyOf(ids, 'int')}`,
  /** Everyone in these buildings: from the buildings' contracts. */
  inBuildings: (ids: readonly number[]) => sql`c.building_id = ${anyOf(ids, 'int')}`,
  inApartment: (apartment: string) => sql`c.apartment = ${apartment}`,
  /** Carries one of these folded first names and one of these patronymics (either list may be empty). */
  named: (firstNames: readonly string[], patronymics: readonly string[]): SQL | null => {
    const parts: SQL[] = [];
    if (firstNames.length) parts.push(sql`f.first_name = ${anyOf(firstNames, 'text')}`);
    if (patronymics.length) parts.push(sql`f.patronymic = ${anyOf(patronymics, 'text')}`);
    return parts.length ? sql.join(parts, sql` and `) : null;
  },
  /** An organisation with one of these words in its folded name (trigram index). */
  organisationNamed: (words: readonly string[]) =>
    sql`s.kind = 'organisation' and (${sql.join(
      words.map((word) => sql`s.org_name_norm like ${`%${escapeLike(word)}%`}`),
      sql` or `,
    )})`,
};

export const both = (...conditions: SQL[]) => sql.join(conditions, sql` and `);

/**
 * The candidates of the accounts `accounts` lists (a query of account_id and fields: the
 * identifiers each matched), in the order of the names.
 */
export const candidatesOfAccounts = (accounts: SQL) => sql`
    select ${candidateColumns}, listed.fields
    from (${accounts}) listed
    join accounts a on a.id = listed.account_id
    join subscribers s on s.id = a.subscriber_id
    join contracts c on c.account_id = a.id
    join buildings b on b.id = c.building_id
    order by s.sort_key, s.id, a.id`;

/** The candidates of the accounts in the table or CTE `accounts` (its column account_id), as one JSON text. */
export const candidatesAsJson = (accounts: string) =>
  sql`(select json_agg(${candidateArray})::text ${candidateJoins} join ${sql.identifier(accounts)} listed on listed.account_id = a.id)`;

/**
 * Candidate rows for each condition (one statement however many), each capped on its own. The
 * rows come back as one JSON text: turning thousands of rows into objects column by column costs
 * PGlite more than the query itself (2-3× on a street of 3,000 residents).
 *
 * Each shape of conditions is a prepared statement with one generic plan: planning these joins
 * took 1.5-3 ms against 0.1-1 ms of running them (docs/benchmarks.md), and every condition here
 * starts from an index whatever the values (the facts by surname, the contracts by building).
 * A search by a word of an organisation's name (`prepared: false`) is planned for its pattern.
 */
export async function fetchCandidates(
  budget: StatementBudget,
  wheres: SQL[],
  limit = FETCH_CAP,
  options: { prepared?: boolean } = {},
): Promise<Fetched[]> {
  if (wheres.length === 0) return [];
  budget.statements++;
  const selects = wheres.map(
    (where) =>
      sql`(select ${candidateArray} as candidate ${candidateJoins} where ${where} order by s.sort_key, s.id, a.id limit ${sql.raw(String(limit))})`,
  );
  const query = sql`select json_agg(candidate)::text as found from (${sql.join(selects, sql` union all `)}) found`;
  const { database } = budget.ctx;
  const [result] =
    options.prepared === false
      ? await database.rows<{ found: string | null }>(query)
      : await database.named<{ found: string | null }>(nameOfShape('identify_candidates', query), query, {
          plan: 'generic',
        });
  return placeOnCityPlan(budget, parseCandidates(result?.found ?? null));
}

/** Rows of candidateArray aggregated with json_agg, one per account. */
export function parseCandidates(found: string | null): CandidateRow[] {
  const unique = new Map<number, CandidateRow>();
  for (const values of JSON.parse(found ?? '[]') as CandidateArray[]) {
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
      street_id: values[14],
      house: values[15],
      korpus: values[16],
      stroenie: values[17],
      litera: values[18],
      phones: values[19],
    });
  }
  return [...unique.values()];
}

/** Contracts in these buildings, counted up to the cap on the index alone. */
export async function countInBuildings(budget: StatementBudget, buildingIds: number[]): Promise<number> {
  budget.statements++;
  const [row] = await budget.ctx.database.named<{ n: number }>(
    'identify_count_in_buildings',
    sql`select count(*)::int as n from (select 1 from contracts c where ${candidatesWhere.inBuildings(buildingIds)} limit ${sql.raw(String(FETCH_CAP))}) capped`,
    { plan: 'generic' },
  );
  return row?.n ?? 0;
}
