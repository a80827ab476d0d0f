import type { Askable, MatchedField, NextQuestion } from '../../common/api/identification.js';
import { fold } from '../core/text.js';
import { buildingFact, houseFit, houseNumber, parseCallerQuery, wantedBuilding } from './caller-query.js';
import { streetMatches } from './readings.js';
import { type BuildingEntry, editDistance, typoAllowance, type Vocabulary } from './vocabulary.js';

/** The facts of one candidate that a caller can be asked for, folded for comparison. */
export interface AskableFacts {
  firstName: string | null;
  patronymic: string | null;
  street: string | null;
  house: string | null;
  building: string | null;
  apartment: string | null;
  birthYear: string | null;
  /** The last four digits of every phone on record; the first is the primary. */
  phoneLast4: string[];
}

/** Above this many candidates the split is not computed: ask for the street and house first. */
export const QUESTION_CANDIDATE_CAP = 10_000;

// The order in which callers answer most easily and surely: everyone knows their street, house
// and first name; fewer can say which of their phones is on record. Among questions that split
// nearly as well as the best one, the earliest in this order is asked.
const naturalOrder: Askable[] = [
  'house',
  'street',
  'firstName',
  'apartment',
  'patronymic',
  'birthYear',
  'building',
  'phoneLast4',
];

/**
 * How much harder a question is to answer than "what street?": people hesitate over their
 * patronymic less than over a birth year (and some refuse it), and often cannot say which of
 * their phones is on record. A question is chosen by expected remainder × this factor.
 */
export const answerEffort: Record<Askable, number> = {
  house: 1,
  street: 1,
  firstName: 1,
  apartment: 1,
  building: 1,
  patronymic: 1.2,
  birthYear: 1.5,
  phoneLast4: 3,
};

/** "Nearly as well": within 20 % of the best effort-weighted remainder, plus a third of a candidate. */
const nearlyAsGood = (effort: number, best: number) => effort <= best * 1.2 + 0.34;

function answerOf(facts: AskableFacts, attribute: Askable): string | null {
  if (attribute === 'phoneLast4') return facts.phoneLast4[0] ?? null;
  return facts[attribute];
}

/** How the candidates' answers to one question split: how many different answers, and Σ n_v². */
export interface AnswerSplit {
  distinctAnswers: number;
  sumOfSquares: number;
}

export type AnswerSplits = Partial<Record<Askable, AnswerSplit>>;

/** Whether the question may be asked now: not known yet, and an address from the top down. */
export function isAskable(attribute: Askable, known: ReadonlySet<Askable>): boolean {
  if (known.has(attribute)) return false;
  // An address is asked from the top down: the house once the street is known, the apartment
  // and korpus once the house is.
  if (attribute === 'house' && !known.has('street')) return false;
  if ((attribute === 'apartment' || attribute === 'building') && !known.has('house')) return false;
  return true;
}

/** The splits of every askable question over these candidates' facts. */
export function splitsOf(candidates: readonly AskableFacts[], known: ReadonlySet<Askable>): AnswerSplits {
  const splits: AnswerSplits = {};
  for (const attribute of naturalOrder) {
    if (!isAskable(attribute, known)) continue;
    const counts = new Map<string, number>();
    for (const facts of candidates) {
      const value = answerOf(facts, attribute) ?? '∅';
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    let sumOfSquares = 0;
    for (const n of counts.values()) sumOfSquares += n * n;
    splits[attribute] = { distinctAnswers: counts.size, sumOfSquares };
  }
  return splits;
}

/**
 * The question whose answer leaves (nearly) the fewest candidates on average. If the caller's answer is
 * value v with probability n_v / N (each candidate equally likely to be the caller), an answer
 * leaves n_v candidates, so the expected number left is Σ n_v² / N. Attributes already known
 * from the query or earlier answers are not asked again; one that does not split at all is
 * never suggested.
 */
export function suggestNextQuestion(
  candidates: readonly AskableFacts[],
  known: ReadonlySet<Askable>,
  total = candidates.length,
): NextQuestion | null {
  if (total <= 1 || total > QUESTION_CANDIDATE_CAP) return chooseQuestion({}, candidates.length, known, total);
  return chooseQuestion(splitsOf(candidates, known), candidates.length, known, total);
}

/**
 * The question from the splits of `candidates` candidates (counted in SQL for a long list,
 * identify's namesakes, or from the facts in memory).
 */
export function chooseQuestion(
  splits: AnswerSplits,
  candidates: number,
  known: ReadonlySet<Askable>,
  total = candidates,
): NextQuestion | null {
  if (total <= 1) return null;
  if (total > QUESTION_CANDIDATE_CAP) {
    const attribute: Askable = known.has('street') ? 'house' : 'street';
    return { attribute, candidates: total, distinctAnswers: 0, expectedRemaining: total, reason: 'too_many' };
  }
  const options: NextQuestion[] = [];
  for (const attribute of naturalOrder) {
    const split = splits[attribute];
    if (!split || !isAskable(attribute, known) || split.distinctAnswers <= 1) continue;
    options.push({
      attribute,
      candidates,
      distinctAnswers: split.distinctAnswers,
      expectedRemaining: Math.round((split.sumOfSquares / candidates) * 100) / 100,
      reason: 'splits_best',
    });
  }
  if (options.length === 0) return null;
  const effort = (option: NextQuestion) => option.expectedRemaining * answerEffort[option.attribute];
  const best = Math.min(...options.map(effort));
  return options.find((option) => nearlyAsGood(effort(option), best)) ?? null;
}

// ---------------------------------------------------------------------------------------------
// The caller's answers.

/** What the answers read of a candidate: names folded, the address from the city plan. */
export interface AnswerableRow {
  folded: { firstName: string; patronymic: string; house: string };
  building: Pick<BuildingEntry, 'house' | 'korpus' | 'stroenie' | 'litera'>;
  street: { id: number; name: string };
  apartment: string | null;
  birth_date: string | null;
  phones: string[] | null;
}

/** What a candidate would answer to each question, folded for comparison. */
export function factsOf(row: AnswerableRow): AskableFacts {
  return {
    firstName: row.folded.firstName || null,
    patronymic: row.folded.patronymic || null,
    street: String(row.street.id),
    house: row.folded.house,
    building: buildingFact(row.building),
    apartment: row.apartment,
    birthYear: row.birth_date ? row.birth_date.slice(0, 4) : null,
    phoneLast4: (row.phones ?? []).map((phone) => phone.slice(-4)),
  };
}

export type Answers = Partial<Record<Askable, string>>;

/** "No apartment, a private house", "no patronymic": an answer that the record has no such thing. */
const noneAnswers = new Set(['нет', 'нету', 'не', 'без', '-', '—', 'частный', 'частный дом', 'no', 'none']);

/** How a candidate fits an answer: 0 exactly, 1 within a typo, larger is further (for "nearest"). */
export function answerDistance(attribute: Askable, answer: string, row: AnswerableRow, vocabulary: Vocabulary): number {
  const said = fold(answer.trim());
  if (noneAnswers.has(said)) {
    const facts = factsOf(row);
    const value = attribute === 'phoneLast4' ? facts.phoneLast4[0] : facts[attribute];
    return value === null || value === undefined ? 0 : 50;
  }
  const nameDistance = (value: string) => {
    if (!value) return 99;
    if (value === said) return 0;
    const distance = editDistance(said, value, 3);
    if (distance <= typoAllowance(said.length)) return 1;
    if (said.length >= 3 && value.startsWith(said)) return 1;
    return 1 + distance;
  };
  const numberDistance = (value: string | null) => {
    if (value === null) return 99;
    if (fold(value) === said) return 0;
    const a = Number.parseInt(value, 10);
    const b = Number.parseInt(said, 10);
    return Number.isNaN(a) || Number.isNaN(b) ? 99 : Math.min(98, 2 + Math.abs(a - b));
  };
  switch (attribute) {
    case 'firstName':
      return nameDistance(row.folded.firstName);
    case 'patronymic':
      return nameDistance(row.folded.patronymic);
    case 'street': {
      const asked = parseCallerQuery(answer, vocabulary.compoundStreets);
      const name = [...asked.streetWords, ...asked.words].join(' ') || said;
      const streets = streetMatches(name, vocabulary, asked.streetType);
      const match = streets.find((street) => street.entry.id === row.street.id);
      if (match) return match.quality === 1 ? 0 : 1;
      return 2 + editDistance(name, row.street.name, 3);
    }
    case 'house': {
      const asked = parseCallerQuery(`д ${answer}`);
      const house = asked.house ?? said.replace(/\s+/g, '');
      const fit = houseFit(house, row.building);
      const wanted = wantedBuilding(asked);
      if (fit === 1) return wanted === null || wanted === buildingFact(row.building) ? 0 : 1;
      return fit > 0 ? 1 : numberDistance(houseNumber(row.folded.house) ?? null);
    }
    case 'building': {
      const value = /[\dа-я]+$/.exec(said)?.[0] ?? said;
      const fact = buildingFact(row.building);
      return fact !== null && fact.slice(1) === value ? 0 : 50;
    }
    case 'apartment':
      return numberDistance(row.apartment);
    case 'birthYear':
      return numberDistance(row.birth_date ? row.birth_date.slice(0, 4) : null);
    case 'phoneLast4':
      return (row.phones ?? []).some((phone) => phone.endsWith(said)) ? 0 : 50;
  }
}

// Answers are applied in the order an operator asks them: the address from the top, then the person.
const answerOrder: Askable[] = [
  'street',
  'house',
  'building',
  'apartment',
  'firstName',
  'patronymic',
  'birthYear',
  'phoneLast4',
];

/**
 * Each answer keeps the candidates who fit it exactly, or, when nobody does, those within a typo
 * of it; an answer that fits nobody keeps the list, ordered by how near each candidate comes.
 */
export function applyAnswers<T extends { row: AnswerableRow; score: number; matched: MatchedField[] }>(
  scored: T[],
  answers: Answers,
  vocabulary: Vocabulary,
): { remaining: T[]; matchedNobody: Askable | null } {
  let remaining = scored;
  for (const attribute of answerOrder) {
    const answer = answers[attribute];
    if (!answer) continue;
    const distances = remaining.map((candidate) => answerDistance(attribute, answer, candidate.row, vocabulary));
    const closest = Math.min(...distances);
    if (closest > 1) {
      const nearest = remaining
        .map((candidate, index) => ({ candidate, distance: distances[index]! }))
        .sort((a, b) => a.distance - b.distance || b.candidate.score - a.candidate.score)
        .map((entry) => entry.candidate);
      return { remaining: nearest, matchedNobody: attribute };
    }
    remaining = remaining
      .filter((_, index) => distances[index] === closest)
      .map((candidate) => ({ ...candidate, matched: [...candidate.matched, attribute] }));
  }
  return { remaining, matchedNobody: null };
}
