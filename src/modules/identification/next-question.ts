import type { Askable, NextQuestion } from '../../common/api/identification.js';
import type { AskableFacts } from './answers.js';
import { LIST_IN_PLAY_CAP } from './limits.js';
import type { AnswerSplits } from './namesakes.js';

/**
 * The next question (docs/identification.md, section 4): over the list in play, the question
 * whose answer leaves the fewest candidates on average, weighed by how hard it is to answer.
 */

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
export const nearlyAsGood = (effort: number, best: number) => effort <= best * 1.2 + 0.34;

/** A candidate's answer to a question; of several phones, the primary's. */
export function answerOf(facts: AskableFacts, attribute: Askable): string | null {
  if (attribute === 'phoneLast4') return facts.phoneLast4[0] ?? null;
  return facts[attribute];
}

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
  if (total <= 1 || total > LIST_IN_PLAY_CAP) return chooseQuestion({}, candidates.length, known, total);
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
  if (total > LIST_IN_PLAY_CAP) {
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
