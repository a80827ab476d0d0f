import type { SQL } from 'drizzle-orm';
import { askedParts, type CallerDescription } from './caller-description.js';
import { buildingFact, houseFit } from './caller-query.js';
import {
  both,
  canAfford,
  candidatesWhere,
  countInBuildings,
  type Fetched,
  fetchCandidates,
  type StatementBudget,
} from './candidates.js';
import { LIST_IN_PLAY_CAP } from './limits.js';
import { type AnswerSplits, fetchNamesakes } from './namesakes.js';
import { type BuildingEntry, buildingsOfStreets, type Vocabulary } from './vocabulary.js';
import { matchWord, type WordMatch } from './word-match.js';

/**
 * Fetching the candidates of one reading of the words (docs/identification.md, section 3): by
 * exact indexed values only, in steps that stop at the first that finds someone. One function
 * per kind of reading: a surname with an address, a surname alone, an address alone, neither.
 */

/** Organisations found by a word of their name: a handful is a reading, hundreds are not. */
const ORGANISATION_CAP = 200;

export interface FetchedForReading {
  rows: Fetched[];
  /** More than the cap fit: the rows are the first of them by name, and the questions start from the address. */
  overflow: boolean;
  /** Surnames that were fetched instead of the said one ("Ларин" said, Лапин lives there). */
  neighbours: WordMatch[];
  /** The rows are only the 20 shown of `total` namesakes, whose answers split as counted (namesakes.ts). */
  namesakes?: { total: number; splits: AnswerSplits };
}

const fetched = (rows: Fetched[], overflow = false, neighbours: WordMatch[] = []): FetchedForReading => ({
  rows,
  overflow,
  neighbours,
});
const beyondCap = (rows: readonly Fetched[]) => rows.length > LIST_IN_PLAY_CAP;
const wordsOf = (matches: readonly WordMatch[]) => matches.map((match) => match.word);

/** The address said, on the city plan: the buildings of its streets, and those of its house. */
interface AddressOnPlan {
  streetBuildings: BuildingEntry[];
  streetIds: number[];
  /** null when no house was said; empty when the house said is not on these streets. */
  houseIds: number[] | null;
}

/** The buildings a house number names on these streets: exact fits, else the same number. */
function buildingsAt(buildings: readonly BuildingEntry[], house: string): BuildingEntry[] {
  const exact = buildings.filter((building) => houseFit(house, building) === 1);
  return exact.length ? exact : buildings.filter((building) => houseFit(house, building) > 0);
}

async function addressOnPlan(budget: StatementBudget, description: CallerDescription): Promise<AddressOnPlan> {
  const streetBuildings = await buildingsOfStreets(
    budget.ctx.database,
    budget.vocabulary,
    description.streets.map((street) => street.entry.id),
  );
  return {
    streetBuildings,
    streetIds: streetBuildings.map((building) => building.id),
    houseIds:
      description.house === null
        ? null
        : buildingsAt(streetBuildings, description.house).map((building) => building.id),
  };
}

/** The narrowest address said: the house on its street when it exists, else the whole street. */
const narrowestAddress = (address: AddressOnPlan) => (address.houseIds?.length ? address.houseIds : address.streetIds);

/** The names said and answered (their readings, typos included) as a filter on the rows of a surname. */
function namesSaid(description: CallerDescription): SQL | null {
  const { reading, answeredNames } = description;
  return candidatesWhere.named(
    [...wordsOf(reading.firstName), ...answeredNames.firstNames],
    [...wordsOf(reading.patronymic), ...answeredNames.patronymics],
  );
}

/** A typo that is itself a surname ("Зайцев" said for Зайцева): the surnames within a typo of the one said. */
function surnameNeighbours(vocabulary: Vocabulary, description: CallerDescription): WordMatch[] {
  const token = description.reading.surnameToken;
  if (!token || !description.surnames.some((match) => match.quality === 1)) return [];
  const known = new Set(wordsOf(description.surnames));
  return matchWord(token, vocabulary.words.surname, { neighbours: true, prefix: false }).filter(
    (match) => !known.has(match.word),
  );
}

/** Adds the organisations a word of the query names, while the budget allows. */
async function withOrganisations(
  budget: StatementBudget,
  description: CallerDescription,
  found: FetchedForReading,
): Promise<FetchedForReading> {
  if (description.orgWords.length === 0 || !canAfford(budget)) return found;
  const organisations = await fetchCandidates(
    budget,
    [candidatesWhere.organisationNamed(description.orgWords)],
    ORGANISATION_CAP,
    { prepared: false },
  );
  return { ...found, rows: [...found.rows, ...organisations] };
}

/** A surname with a street: in the house said, on the street, its neighbours there, else each half alone. */
async function fetchSurnameAtAddress(
  budget: StatementBudget,
  description: CallerDescription,
  address: AddressOnPlan,
): Promise<FetchedForReading> {
  const bySurname = candidatesWhere.surnameIn(wordsOf(description.surnames));
  // The name in the house said: a few contracts, where the whole street is thousands. Whoever
  // lives there is all that narrowing by the house would keep of the street's namesakes.
  if (address.houseIds?.length) {
    const rows = await fetchCandidates(budget, [both(bySurname, candidatesWhere.factsInBuildings(address.houseIds))]);
    if (rows.length) return withOrganisations(budget, description, fetched(rows));
  }
  // The name on the street, any house: a wrong house number still finds them, the house narrows later.
  const onStreet = candidatesWhere.factsInBuildings(address.streetIds);
  const rows = await fetchCandidates(budget, [both(bySurname, onStreet)]);
  if (rows.length) return withOrganisations(budget, description, fetched(rows));
  // A typo that is itself a surname: "Ларин" said where Лапин lives.
  const neighbours = canAfford(budget) ? surnameNeighbours(budget.vocabulary, description) : [];
  if (neighbours.length) {
    const near = await fetchCandidates(budget, [both(candidatesWhere.surnameIn(wordsOf(neighbours)), onStreet)]);
    if (near.length) return withOrganisations(budget, description, fetched(near, false, neighbours));
  }
  // Each half alone, and the ranking sorts them out; a whole street beyond the cap is not read
  // as a half, the surname alone is.
  const narrowest = narrowestAddress(address);
  const wholeStreet = !address.houseIds?.length;
  const streetTooLong =
    wholeStreet && canAfford(budget) && (await countInBuildings(budget, narrowest)) > LIST_IN_PLAY_CAP;
  const halves = await fetchCandidates(
    budget,
    streetTooLong ? [bySurname] : [bySurname, candidatesWhere.inBuildings(narrowest)],
  );
  return withOrganisations(budget, description, fetched(halves, beyondCap(halves)));
}

/** A surname without a street: with the names said, else the whole surname (counted in SQL when it is all that was said). */
async function fetchSurname(budget: StatementBudget, description: CallerDescription): Promise<FetchedForReading> {
  const bySurname = candidatesWhere.surnameIn(wordsOf(description.surnames));
  // A name said with its surname is read with it: only the Смирновы named Сергей, not all of
  // them. When nobody carries that name (a typo beyond the allowance), the whole surname is read.
  const byNames = namesSaid(description);
  if (byNames) {
    const named = await fetchCandidates(budget, [both(bySurname, byNames)]);
    if (named.length) return withOrganisations(budget, description, fetched(named, beyondCap(named)));
  }
  // The vocabulary knows how many carry the surname: a list beyond the cap is not fetched whole.
  const carriers = description.surnames.reduce(
    (sum, match) => sum + (budget.vocabulary.counts.surname.get(match.word) ?? 0),
    0,
  );
  if (carriers > LIST_IN_PLAY_CAP) return fetched(await fetchCandidates(budget, [bySurname], budget.shown), true);
  if (budget.mayCountInSql && askedParts(description).join() === 'surname') {
    // Everyone fetched is in play and ranks by the surname alone: count, read the 20 shown.
    const { rows, total, splits } = await fetchNamesakes(budget, description.surnames);
    if (total > 0) {
      return withOrganisations(budget, description, {
        ...fetched(rows, total > LIST_IN_PLAY_CAP),
        namesakes: { total, splits },
      });
    }
  }
  const rows = await fetchCandidates(budget, [bySurname]);
  return withOrganisations(budget, description, fetched(rows, beyondCap(rows)));
}

/** An address without a surname: the flat said, the house, else the whole street (counted first). */
async function fetchAddress(
  budget: StatementBudget,
  description: CallerDescription,
  address: AddressOnPlan,
): Promise<FetchedForReading> {
  const { houseIds } = address;
  if (houseIds?.length) {
    // The flat said: narrowing keeps only its residents, in the korpus said when that korpus
    // exists (the korpus narrows before the apartment); nobody there, and the whole house is read.
    if (description.apartment !== null) {
      const inKorpus = address.streetBuildings.filter(
        (building) =>
          description.building !== null &&
          houseIds.includes(building.id) &&
          buildingFact(building) === description.building,
      );
      const flatBuildings = inKorpus.length ? inKorpus.map((building) => building.id) : houseIds;
      const flat = await fetchCandidates(budget, [
        both(candidatesWhere.inBuildings(flatBuildings), candidatesWhere.inApartment(description.apartment)),
      ]);
      if (flat.length) return withOrganisations(budget, description, fetched(flat));
    }
    const rows = await fetchCandidates(budget, [candidatesWhere.inBuildings(houseIds)]);
    if (rows.length) return withOrganisations(budget, description, fetched(rows, beyondCap(rows)));
  }
  // A whole street: counted on the index first, so a street of 30,000 is not read to say "too many".
  const onStreet = candidatesWhere.inBuildings(address.streetIds);
  if ((await countInBuildings(budget, address.streetIds)) > LIST_IN_PLAY_CAP) {
    return fetched(await fetchCandidates(budget, [onStreet], budget.shown), true);
  }
  return withOrganisations(budget, description, fetched(await fetchCandidates(budget, [onStreet])));
}

/** The candidates one reading of the words names, by exact indexed values. */
export async function fetchForReading(
  budget: StatementBudget,
  description: CallerDescription,
): Promise<FetchedForReading> {
  const address = await addressOnPlan(budget, description);
  const saysSurname = description.surnames.length > 0;
  const saysStreet = address.streetIds.length > 0;
  if (saysSurname && saysStreet) return fetchSurnameAtAddress(budget, description, address);
  if (saysSurname) return fetchSurname(budget, description);
  if (saysStreet) return fetchAddress(budget, description, address);
  return withOrganisations(budget, description, fetched([]));
}

/**
 * The rest of the query fits nobody with the surname said: "Зайцев Анастасия" said for Зайцева,
 * "Смирнов Ленина 5" where Смирнова lives. Only the surname's neighbours are read, on the
 * narrowest address said or with the names said, so the common surname is not read twice.
 */
export async function fetchSurnameNeighbours(
  budget: StatementBudget,
  description: CallerDescription,
): Promise<{ neighbours: WordMatch[]; rows: Fetched[] }> {
  const neighbours = surnameNeighbours(budget.vocabulary, description);
  if (neighbours.length === 0) return { neighbours, rows: [] };
  const address = narrowestAddress(await addressOnPlan(budget, description));
  const byNeighbours = candidatesWhere.surnameIn(wordsOf(neighbours));
  const byNames = namesSaid(description);
  const rows = await fetchCandidates(budget, [
    address.length
      ? both(byNeighbours, candidatesWhere.factsInBuildings(address))
      : byNames
        ? both(byNeighbours, byNames)
        : byNeighbours,
  ]);
  return { neighbours, rows };
}
