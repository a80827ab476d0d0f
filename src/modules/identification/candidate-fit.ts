import type { MatchedField } from '../../common/api/identification.js';
import { buildingFact, houseFit } from './caller-query.js';
import type { Fetched } from './candidates.js';
import { fitWeights, type Reading, type StreetMatch } from './readings.js';
import type { WordMatch } from './vocabulary.js';

/** How a candidate fits the query: a fit per part, a score, and narrowing by the parts someone fits. */

export type FitPart =
  | 'surname'
  | 'firstName'
  | 'patronymic'
  | 'street'
  | 'house'
  | 'building'
  | 'apartment'
  | 'orgName';
export type Fit = Record<FitPart, number>;

/** What one reading of the query asks of a candidate, with the answers that extend the address. */
export interface Wanted {
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

export function fitOf(row: Fetched, wanted: Wanted): Fit {
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

export const scoreOf = (fit: Fit) =>
  Math.round((Object.keys(fit) as FitPart[]).reduce((sum, part) => sum + fitWeights[part] * fit[part], 0) * 100) / 100;

/** The parts of the query this reading asks for, in the order they narrow the list: address first. */
export function askedParts(wanted: Wanted): FitPart[] {
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

export interface Scored {
  row: Fetched;
  fit: Fit;
  score: number;
  matched: MatchedField[];
}

export function scoreRow(row: Fetched, wanted: Wanted): Scored {
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
export function narrow(scored: Scored[], parts: FitPart[]): Scored[] {
  let remaining = scored;
  for (const part of parts) {
    const best = remaining.reduce((max, candidate) => Math.max(max, candidate.fit[part]), 0);
    if (best === 0) continue;
    const threshold = part === 'house' ? best : Number.MIN_VALUE;
    remaining = remaining.filter((candidate) => candidate.fit[part] >= threshold);
  }
  return remaining;
}

export const noFit = (): Fit => ({
  surname: 0,
  firstName: 0,
  patronymic: 0,
  street: 0,
  house: 0,
  building: 0,
  apartment: 0,
  orgName: 0,
});
