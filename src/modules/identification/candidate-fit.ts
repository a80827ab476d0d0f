import type { MatchedField } from '../../common/api/identification.js';
import { askedParts, type CallerDescription, type FitPart, withSurnames } from './caller-description.js';
import { buildingFact, houseFit } from './caller-query.js';
import type { Fetched } from './candidates.js';
import type { FetchedForReading } from './find-by-words.js';
import { fitWeights } from './readings.js';
import type { WordMatch } from './word-match.js';

/**
 * How a candidate fits what the caller said (docs/identification.md, section 3): a fit per part,
 * a score, narrowing by the parts someone fits, the list in play of each reading, which reading's
 * list is shown, and the order of the list.
 */

export type Fit = Record<FitPart, number>;

const qualityIn = (value: string, matches: readonly WordMatch[]) =>
  value ? (matches.find((match) => match.word === value)?.quality ?? 0) : 0;

export function fitOf(row: Fetched, description: CallerDescription): Fit {
  const street = description.streets.find((candidate) => candidate.entry.id === row.street.id)?.quality ?? 0;
  // A house counts on its street; a house said without any street counts a little on any street.
  const houseQuality = description.house === null ? 0 : houseFit(description.house, row.building);
  const house = description.streets.length ? (street > 0 ? houseQuality : 0) : houseQuality * 0.25;
  const building =
    description.building !== null && house > 0 && buildingFact(row.building) === description.building ? 1 : 0;
  const apartment =
    description.apartment !== null &&
    (house > 0 || description.house === null) &&
    row.apartment === description.apartment
      ? 1
      : 0;
  const orgName =
    row.kind === 'organisation' && description.orgWords.some((word) => row.folded.orgName.includes(word)) ? 1 : 0;
  return {
    surname: qualityIn(row.folded.surname, description.surnames),
    firstName: qualityIn(row.folded.firstName, description.reading.firstName),
    patronymic: qualityIn(row.folded.patronymic, description.reading.patronymic),
    street,
    house,
    building,
    apartment,
    orgName,
  };
}

export const scoreOf = (fit: Fit) =>
  Math.round((Object.keys(fit) as FitPart[]).reduce((sum, part) => sum + fitWeights[part] * fit[part], 0) * 100) / 100;

export interface Scored {
  row: Fetched;
  fit: Fit;
  score: number;
  matched: MatchedField[];
}

export function scoreRow(row: Fetched, description: CallerDescription): Scored {
  const fit = fitOf(row, description);
  const matched = (Object.keys(fit) as FitPart[]).filter((part) => fit[part] > 0);
  return { row, fit, score: scoreOf(fit), matched };
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

/** A row an exact identifier found (`fields`: the identifiers it matched): above every fit of words. */
export function scoreExactHit(row: Fetched): Scored {
  const matched = [...(row.fields ?? [])].sort();
  return { row, fit: noFit(), score: 100 + matched.length, matched };
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

/** The candidates of one reading that fit what it says, with how well the best of them fits. */
export interface ListInPlay {
  description: CallerDescription;
  inPlay: Scored[];
  overflow: boolean;
  /** The best candidate's score. */
  best: number;
  /** The best candidate fits every part of the query this reading asks for. */
  complete: boolean;
  namesakes?: FetchedForReading['namesakes'];
}

/** Scores the fetched rows of a reading against it and narrows them to the list in play. */
export function fitCandidates(description: CallerDescription, found: FetchedForReading): ListInPlay {
  const widened = withSurnames(description, found.neighbours);
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
  return { description: widened, inPlay, overflow: found.overflow, best, complete, namesakes: found.namesakes };
}

/**
 * Whether list `a` serves the operator better than `b`: a complete list (someone fits everything
 * the reading says) before an incomplete one, else the higher best score.
 */
export const fitsBetter = (a: ListInPlay, b: ListInPlay) => (a.complete !== b.complete ? a.complete : a.best > b.best);

/**
 * Of the lists of the readings tried, in the order tried: the first complete one, else the one
 * with the best score (the earliest of equals). A complete list holds someone who fits everything
 * that reading says; an incomplete one scores higher only by asking for more parts, one of which
 * fits nobody, so the operator would read out a list where the caller is not.
 */
export function preferredList(tried: readonly ListInPlay[]): ListInPlay | null {
  const complete = tried.find((list) => list.complete);
  if (complete) return complete;
  let chosen: ListInPlay | null = null;
  for (const list of tried) if (!chosen || list.best > chosen.best) chosen = list;
  return chosen;
}

/** The order of the list: by score, then by name (sort_key, the same on both engines). */
export const byRank = (a: Scored, b: Scored) =>
  b.score - a.score ||
  (a.row.sort_key < b.row.sort_key ? -1 : a.row.sort_key > b.row.sort_key ? 1 : 0) ||
  a.row.account_id - b.row.account_id;
