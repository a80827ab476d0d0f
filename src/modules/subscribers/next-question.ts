import type { Askable, NextQuestion } from '../../common/api/identification.js';

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
const answerEffort: Record<Askable, number> = {
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
  if (total <= 1) return null;
  if (total > QUESTION_CANDIDATE_CAP) {
    const attribute: Askable = known.has('street') ? 'house' : 'street';
    return { attribute, candidates: total, distinctAnswers: 0, expectedRemaining: total, reason: 'too_many' };
  }
  const options: NextQuestion[] = [];
  for (const attribute of naturalOrder) {
    if (known.has(attribute)) continue;
    // An address is asked from the top down: the house once the street is known, the apartment
    // and korpus once the house is.
    if (attribute === 'house' && !known.has('street')) continue;
    if ((attribute === 'apartment' || attribute === 'building') && !known.has('house')) continue;
    const counts = new Map<string, number>();
    for (const facts of candidates) {
      const value = answerOf(facts, attribute) ?? '∅';
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    if (counts.size <= 1) continue;
    let sumOfSquares = 0;
    for (const n of counts.values()) sumOfSquares += n * n;
    options.push({
      attribute,
      candidates: candidates.length,
      distinctAnswers: counts.size,
      expectedRemaining: Math.round((sumOfSquares / candidates.length) * 100) / 100,
      reason: 'splits_best',
    });
  }
  if (options.length === 0) return null;
  const effort = (option: NextQuestion) => option.expectedRemaining * answerEffort[option.attribute];
  const best = Math.min(...options.map(effort));
  return options.find((option) => nearlyAsGood(effort(option), best)) ?? null;
}
