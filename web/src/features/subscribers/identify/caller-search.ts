import type { Askable } from '@common/api/identification.ts';
import { withQuery } from '../../../api/client.ts';

/**
 * What the operator has learned from the caller so far: one line of whatever they said, and
 * their answers to the suggested questions. It lives in the address bar, so "back" from a card
 * returns to the same search and a reload keeps it.
 */
export interface CallerSearch {
  q: string;
  answers: Answers;
}

export type Answers = Partial<Record<Askable, string>>;

// The same ceilings as IdentifyQuery on the server, so a pasted URL cannot make it answer 400.
// Only types come from the server's schemas (their values would pull TypeBox into the bundle);
// `satisfies` makes an askable added on the server fail this build until it is handled here.
export const queryLimit = 200;
const answerLimits = {
  firstName: 60,
  patronymic: 60,
  street: 100,
  house: 20,
  building: 20,
  apartment: 10,
  birthYear: 4,
  phoneLast4: 4,
} satisfies Record<Askable, number>;

/** Every askable, in the order the answers are written to the URL and shown as chips. */
export const askableAttributes = Object.keys(answerLimits) as Askable[];

export const emptySearch: CallerSearch = { q: '', answers: {} };

/**
 * A new text in the box is a new call, or a new start of this one: the answers given to the last
 * query go, or "Фёдор" answered for the last caller would hide everyone who fits the next.
 */
export const searchForText = (q: string): CallerSearch => (q.trim() ? { q, answers: {} } : emptySearch);

// Control characters are refused by the server (request.control_characters); a paste may carry them.
const controlCharacters = /[\u0000-\u001f\u007f]/g;
const clean = (value: string) => value.replace(controlCharacters, ' ').replace(/\s+/g, ' ').trim();

export type AnswerProblem = 'empty' | 'birthYear' | 'phoneLast4';
export type AnswerReading = { ok: true; answers: Answers } | { ok: false; problem: AnswerProblem };

const houseNumber = String.raw`\d+[а-яёa-z]?(?:\/\d+[а-яёa-z]?)?`;
// "5-12", "5 кв 12", "5, кв. 12": the house with the apartment.
const houseWithApartment = new RegExp(`^(${houseNumber})\\s*(?:-|,?\\s*кв(?:артира)?\\.?)\\s*(\\d+[а-яё]?)$`, 'i');
// "5к2", "5 корп. 2", "5 стр 1": the house with its korpus or stroenie.
const houseWithBuilding = new RegExp(
  `^(${houseNumber})\\s*,?\\s*(?:к|корп|корпус|с|стр|строение)\\.?\\s*(\\d+[а-яё]?)$`,
  'i',
);
const leadingMarker = (markers: string) => new RegExp(`^(?:${markers})(?:\\.\\s*|\\s+)`, 'i');
const houseMarker = leadingMarker('д|дом');
const buildingMarker = leadingMarker('к|корп|корпус|с|стр|строение|лит|литера');
const apartmentMarker = leadingMarker('кв|квартира');

const limited = (attribute: Askable, value: string): Answers => ({
  [attribute]: value.slice(0, answerLimits[attribute]),
});

/**
 * The caller's answer, as typed by the operator, to the query parameters the API takes. The
 * operator types it the way the caller says it: "д. 5", "5к2", "кв. 12", "14.03.1985", the whole
 * phone number. A house answered with its korpus or apartment answers those too.
 */
export function readAnswer(attribute: Askable, typed: string): AnswerReading {
  const text = clean(typed);
  if (!text) return { ok: false, problem: 'empty' };
  switch (attribute) {
    case 'house': {
      const house = text.replace(houseMarker, '');
      const withApartment = houseWithApartment.exec(house);
      if (withApartment) return { ok: true, answers: { house: withApartment[1]!, apartment: withApartment[2]! } };
      const withBuilding = houseWithBuilding.exec(house);
      if (withBuilding) return { ok: true, answers: { house: withBuilding[1]!, building: withBuilding[2]! } };
      return { ok: true, answers: limited('house', house.replace(/\s+/g, '')) };
    }
    case 'building':
      return { ok: true, answers: limited('building', text.replace(buildingMarker, '')) };
    case 'apartment':
      return { ok: true, answers: limited('apartment', text.replace(apartmentMarker, '')) };
    case 'birthYear': {
      // A whole birth date ("14.03.1985") answers the year.
      const year = /(?:^|\D)((?:19|20)\d{2})(?:\D|$)/.exec(text)?.[1];
      return year ? { ok: true, answers: { birthYear: year } } : { ok: false, problem: 'birthYear' };
    }
    case 'phoneLast4': {
      // Callers often say the whole number; its last four digits are the answer.
      const digits = text.replace(/\D/g, '');
      return digits.length >= 4
        ? { ok: true, answers: { phoneLast4: digits.slice(-4) } }
        : { ok: false, problem: 'phoneLast4' };
    }
    default:
      return { ok: true, answers: limited(attribute, text) };
  }
}

/** The search with the caller's answer added (replacing an earlier answer to the same question). */
export const withAnswers = (search: CallerSearch, answers: Answers): CallerSearch => ({
  q: search.q,
  answers: { ...search.answers, ...answers },
});

export function withoutAnswer(search: CallerSearch, attribute: Askable): CallerSearch {
  const answers = { ...search.answers };
  delete answers[attribute];
  return { q: search.q, answers };
}

/** The answers given, in the fixed order of `askableAttributes`. */
export const givenAnswers = (answers: Answers): [Askable, string][] =>
  askableAttributes.flatMap((attribute) => {
    const answer = answers[attribute];
    return answer ? [[attribute, answer] as [Askable, string]] : [];
  });

/** Reads the address bar; anything malformed (a hand-edited URL) is dropped, not sent on. */
export function callerSearchFrom(params: URLSearchParams): CallerSearch {
  const q = (params.get('q') ?? '').replace(controlCharacters, ' ').slice(0, queryLimit);
  const answers: Answers = {};
  for (const attribute of askableAttributes) {
    const value = params.get(attribute);
    if (value === null) continue;
    const reading = readAnswer(attribute, value);
    if (reading.ok && reading.answers[attribute] !== undefined) answers[attribute] = reading.answers[attribute];
  }
  return { q, answers };
}

export function searchParamsOf(search: CallerSearch): URLSearchParams {
  const params = new URLSearchParams();
  if (search.q.trim()) params.set('q', search.q);
  for (const [attribute, answer] of givenAnswers(search.answers)) params.set(attribute, answer);
  return params;
}

/** Nothing to search by: the workspace shows what can be typed instead of results. */
export const isBlank = (search: CallerSearch) => search.q.trim() === '';

/** Candidates shown at first and added by each "show more"; the server shows at most `shownMax` (IdentifyQuery.limit). */
export const shownStep = 20;
export const shownMax = 200;

/** How many more a "show more" would add: none once all in play, or the server's ceiling, are shown. */
export function moreToShow(shown: number, total: number): number {
  return Math.max(0, Math.min(shownStep, Math.min(total, shownMax) - shown));
}

/** The GET /api/identify request for this search, with more than the first 20 when asked. */
export const identifyPath = (search: CallerSearch, limit = shownStep) =>
  withQuery('/api/identify', {
    q: search.q.trim(),
    ...Object.fromEntries(givenAnswers(search.answers)),
    ...(limit > shownStep ? { limit: String(Math.min(limit, shownMax)) } : {}),
  });
