import type { Askable, Identification, IdentifyQuery } from '../../../common/api/identification.js';
import type { Expectation, LabelledQuery } from './labelled-set.js';
import type { SubscriberFacts } from './subscriber-facts.js';

/** Running the labelled query set (labelled-set.ts) through identification, and its figures. */

/** The answer the caller gives from their own record. */
export function answerFrom(facts: SubscriberFacts, attribute: Askable): string | number | undefined {
  // "Нет" is an answer too: no apartment in a private house, no korpus, no patronymic.
  switch (attribute) {
    case 'firstName':
      return facts.firstName ?? 'нет';
    case 'patronymic':
      return facts.patronymic ?? 'нет';
    case 'street':
      return `${facts.streetType} ${facts.street}`;
    case 'house':
      return `${facts.house}${facts.litera ?? ''}`;
    case 'building':
      return facts.korpus ?? facts.stroenie ?? facts.litera ?? 'нет';
    case 'apartment':
      return facts.apartment ?? 'нет';
    case 'birthYear':
      return facts.birthYear ?? undefined;
    case 'phoneLast4':
      return facts.phones[0]?.slice(-4);
  }
}

export interface QueryOutcome {
  query: LabelledQuery;
  passed: boolean;
  /** Place of the subscriber in the first answer (1-based), or null when not shown. */
  rank: number | null;
  /** Questions answered before the list held the subscriber among at most 5 (narrows). */
  questions: number;
  asked: Askable[];
  /** Candidates in play at the end. */
  listSize: number;
  millis: number;
}

/** The list is short enough to read out: at most this many candidates in play. */
export const SHORT_LIST = 5;
export const MAX_QUESTIONS = 2;

export async function measureQuery(
  identify: (input: IdentifyQuery) => Promise<Identification>,
  query: LabelledQuery,
  holders: (identifier: string) => number,
): Promise<QueryOutcome> {
  const started = performance.now();
  const input: IdentifyQuery = { q: query.q, ...query.answers };
  const asked: Askable[] = [];
  let result = await identify(input);
  const place = (answer: Identification) => {
    const index = answer.candidates.findIndex((candidate) => candidate.subscriberId === query.subscriberId);
    return index < 0 ? null : index + 1;
  };
  const rank = place(result);
  const outcome = (passed: boolean): QueryOutcome => ({
    query,
    passed,
    rank,
    questions: asked.length,
    asked,
    listSize: result.total,
    millis: performance.now() - started,
  });
  if (query.expectation === 'first') {
    if (!result.exact || rank === null) return outcome(false);
    if (rank === 1) return outcome(true);
    // A phone or e-mail shared by several subscribers names them all equally: first among equals.
    const top = result.candidates[0]!.score;
    const identifier = result.reading.identifiers.find(({ value }) => holders(value) > 1);
    return outcome(identifier !== undefined && result.candidates[rank - 1]!.score === top);
  }
  if (query.expectation === 'top5') return outcome(rank !== null && rank <= SHORT_LIST);
  for (;;) {
    const shown = place(result) !== null;
    if (shown && !result.totalIsCapped && result.total <= SHORT_LIST) return outcome(true);
    const question = result.nextQuestion;
    if (asked.length >= MAX_QUESTIONS || !question) return outcome(false);
    const answer = answerFrom(query.facts, question.attribute);
    if (answer === undefined) return outcome(false);
    asked.push(question.attribute);
    (input as Record<string, unknown>)[question.attribute] = answer;
    result = await identify(input);
  }
}

export interface CategoryFigures {
  category: string;
  expectation: Expectation | 'mixed';
  queries: number;
  singleFit: number;
  manyFit: number;
  passed: number;
  /** Share passed, 0..1. */
  rate: number;
  top1: number;
  meanQuestions: number;
  meanMillis: number;
}

export function figuresByCategory(outcomes: readonly QueryOutcome[]): CategoryFigures[] {
  const groups = new Map<string, QueryOutcome[]>();
  for (const outcome of outcomes)
    groups.set(outcome.query.category, [...(groups.get(outcome.query.category) ?? []), outcome]);
  return [...groups.entries()].map(([category, list]) => {
    const expectations = new Set(list.map((outcome) => outcome.query.expectation));
    const narrows = list.filter((outcome) => outcome.query.expectation === 'narrows');
    return {
      category,
      expectation: expectations.size === 1 ? [...expectations][0]! : 'mixed',
      queries: list.length,
      singleFit: list.filter((outcome) => outcome.query.expectation === 'top5').length,
      manyFit: narrows.length,
      passed: list.filter((outcome) => outcome.passed).length,
      rate: list.filter((outcome) => outcome.passed).length / list.length,
      top1: list.filter((outcome) => outcome.rank === 1).length,
      meanQuestions: narrows.length ? narrows.reduce((sum, outcome) => sum + outcome.questions, 0) / narrows.length : 0,
      meanMillis: list.reduce((sum, outcome) => sum + outcome.millis, 0) / list.length,
    };
  });
}

/** Pass rates of the three rules of the issue, over all categories. */
export function figuresByRule(outcomes: readonly QueryOutcome[]) {
  const rule = (expectation: Expectation) => {
    const list = outcomes.filter((outcome) => outcome.query.expectation === expectation);
    const passed = list.filter((outcome) => outcome.passed).length;
    return { queries: list.length, passed, rate: list.length ? passed / list.length : 1 };
  };
  return { first: rule('first'), top5: rule('top5'), narrows: rule('narrows') };
}

export function formatFigures(outcomes: readonly QueryOutcome[]): string {
  const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
  const lines = [
    '| category | queries | single fit | many fit | passed | top 1 | mean questions (many fit) | mean ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of figuresByCategory(outcomes)) {
    lines.push(
      `| ${row.category} | ${row.queries} | ${row.singleFit} | ${row.manyFit} | ${percent(row.rate)} | ${row.top1} | ${row.manyFit ? row.meanQuestions.toFixed(2) : '–'} | ${row.meanMillis.toFixed(1)} |`,
    );
  }
  const rules = figuresByRule(outcomes);
  lines.push(
    '',
    `exact identifier first: ${rules.first.passed}/${rules.first.queries} (${percent(rules.first.rate)}); ` +
      `single fit in top 5: ${rules.top5.passed}/${rules.top5.queries} (${percent(rules.top5.rate)}); ` +
      `many fit narrowed to ≤ ${SHORT_LIST} in ≤ ${MAX_QUESTIONS} questions: ${rules.narrows.passed}/${rules.narrows.queries} (${percent(rules.narrows.rate)})`,
  );
  return lines.join('\n');
}
