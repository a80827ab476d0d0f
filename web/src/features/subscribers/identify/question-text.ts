import type { Askable, Identification, NextQuestion, NotFitting } from '@common/api/identification.ts';
import type { TFunction } from 'i18next';

/**
 * "Ask for the house number — 4 candidates, 4 different houses": what to ask the caller next
 * and how well it splits the namesakes, so the operator asks the one question that helps most.
 */
export function nextQuestionText(t: TFunction, question: NextQuestion): string {
  if (question.reason === 'too_many') {
    // Over 10,000 fit: the server does not weigh the split, it asks for the address from the top.
    return question.attribute === 'house'
      ? t('subscribers.identify.question.tooManyHouse')
      : t('subscribers.identify.question.tooManyStreet');
  }
  return t('subscribers.identify.question.ask', {
    what: t(`subscribers.identify.question.what.${question.attribute}`),
    candidates: t('subscribers.identify.question.candidates', { count: question.candidates }),
    answers: t(`subscribers.identify.question.distinct.${question.attribute}`, { count: question.distinctAnswers }),
  });
}

/** "Nobody fits the answer «Иван» (first name) — nearest matches:" */
export const answerMatchedNobodyText = (t: TFunction, attribute: Askable, answer: string) =>
  t('subscribers.identify.nobody', { answer, what: t(`subscribers.identify.attribute.${attribute}`) });

/** "3 of 41", "20 of more than 10,000", or "7 candidates" when all of them are shown. */
export function candidateCountText(
  t: TFunction,
  result: Pick<Identification, 'total' | 'totalIsCapped'>,
  shown: number,
  formatNumber: (value: number) => string,
): string {
  if (result.totalIsCapped) {
    return t('subscribers.identify.results.ofMoreThan', {
      shown: formatNumber(shown),
      total: formatNumber(result.total),
    });
  }
  if (shown < result.total) {
    return t('subscribers.identify.results.of', { shown: formatNumber(shown), total: formatNumber(result.total) });
  }
  return t('subscribers.identify.results.all', { count: result.total });
}

/**
 * How the server read the query ("surname «соколов» · house 5"): when the list looks wrong, the
 * operator sees at once whether a street was taken for a surname and rephrases.
 */
export function readingText(t: TFunction, reading: Identification['reading']): string | null {
  const parts: string[] = [];
  const named = (key: 'surname' | 'firstName' | 'patronymic' | 'street', value: string | null) => {
    if (value) parts.push(t(`subscribers.identify.reading.${key}`, { value }));
  };
  named('surname', reading.surname);
  named('firstName', reading.firstName);
  named('patronymic', reading.patronymic);
  named('street', reading.street);
  if (reading.house) parts.push(t('subscribers.identify.reading.house', { value: reading.house }));
  if (reading.apartment) parts.push(t('subscribers.identify.reading.apartment', { value: reading.apartment }));
  for (const { kind, value } of reading.identifiers) {
    parts.push(t(`subscribers.identify.reading.identifier.${kind}`, { value }));
  }
  return parts.length ? t('subscribers.identify.reading.label', { parts: parts.join(' · ') }) : null;
}

/**
 * What the caller said that nobody in the list fits: "No house 5 on this street (nearest: 3, 7) ·
 * nobody with the surname «коотких» there — the list fits only part of what was said."
 */
export function notFittingText(t: TFunction, parts: readonly NotFitting[], listShown: boolean): string {
  const sentences = parts.map((part) =>
    part.part === 'house' && part.nearest.length
      ? t('subscribers.identify.notFitting.houseNearest', { said: part.said, nearest: part.nearest.join(', ') })
      : t(`subscribers.identify.notFitting.${part.part}`, { said: part.said }),
  );
  const joined = sentences.join(' · ');
  return listShown ? `${joined} — ${t('subscribers.identify.notFitting.partial')}` : joined;
}
