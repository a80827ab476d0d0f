import type { Askable, MatchedField } from '../../common/api/identification.js';
import { fold } from '../core/text.js';
import {
  type Answers,
  type BuildingParts,
  buildingFact,
  houseFit,
  houseNumber,
  parseCallerQuery,
  wantedBuilding,
} from './caller-query.js';
import { streetMatches } from './readings.js';
import type { Vocabulary } from './vocabulary.js';
import { editDistance, isTypoOf, typoAllowance } from './word-match.js';

/**
 * The caller's answers to suggested questions (docs/identification.md, "Answers"): what each
 * candidate would answer, how near a candidate comes to an answer, and the list the answers leave.
 */

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

/** What the answers read of a candidate: names folded, the address from the city plan. */
export interface AnswerableRow {
  folded: { firstName: string; patronymic: string; house: string };
  building: BuildingParts;
  street: { id: number; name: string };
  apartment: string | null;
  birth_date: string | null;
  phones: string[] | null;
}

/** What a candidate would answer to each question, folded for comparison. */
export function askableFactsOf(row: AnswerableRow): AskableFacts {
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

/** "No apartment, a private house", "no patronymic": an answer that the record has no such thing. */
const noneAnswers = new Set(['нет', 'нету', 'не', 'без', '-', '—', 'частный', 'частный дом', 'no', 'none']);

/**
 * How near a candidate comes to an answer. Up to WITHIN_A_TYPO the candidate fits the answer;
 * beyond it the distance only orders the nearest when nobody fits ("answerMatchedNobody").
 */
export const answerDistances = {
  /** The answer is the candidate's, as said. */
  exact: 0,
  /** A name within the typo allowance or begun by the answer, a street by a word of it, the same house number. */
  withinATypo: 1,
  /** A street or number beyond a typo starts here and adds its edit distance or difference. */
  beyondATypo: 2,
  /** Different, with no measure of how much: another korpus or phone, or one where the caller said none. */
  different: 50,
  /** The farthest a number can be (a year or an apartment far off), still nearer than nothing on record. */
  farthestNumber: 98,
  /** The record has nothing to compare: no first name, no apartment, no birth date. */
  nothingOnRecord: 99,
} as const;

/** Edits counted when ordering the nearest names and streets; more read as one more than this. */
const EDITS_MEASURED = 3;

const { exact, withinATypo, beyondATypo, different, farthestNumber, nothingOnRecord } = answerDistances;

/** How near a candidate comes to an answer: answerDistances, smaller is nearer. */
export function answerDistance(attribute: Askable, answer: string, row: AnswerableRow, vocabulary: Vocabulary): number {
  const said = fold(answer.trim());
  if (noneAnswers.has(said)) {
    const facts = askableFactsOf(row);
    const value = attribute === 'phoneLast4' ? facts.phoneLast4[0] : facts[attribute];
    return value === null || value === undefined ? exact : different;
  }
  const nameDistance = (value: string) => {
    if (!value) return nothingOnRecord;
    if (value === said) return exact;
    const distance = editDistance(said, value, EDITS_MEASURED);
    if (distance <= typoAllowance(said.length)) return withinATypo;
    if (said.length >= 3 && value.startsWith(said)) return withinATypo;
    // Beyond the allowance: at least one edit, so at least beyondATypo.
    return withinATypo + distance;
  };
  const numberDistance = (value: string | null) => {
    if (value === null) return nothingOnRecord;
    if (fold(value) === said) return exact;
    const a = Number.parseInt(value, 10);
    const b = Number.parseInt(said, 10);
    return Number.isNaN(a) || Number.isNaN(b)
      ? nothingOnRecord
      : Math.min(farthestNumber, beyondATypo + Math.abs(a - b));
  };
  switch (attribute) {
    case 'firstName':
      return nameDistance(row.folded.firstName);
    case 'patronymic':
      return nameDistance(row.folded.patronymic);
    case 'street': {
      const asked = parseCallerQuery(answer, vocabulary.compoundStreets, isTypoOf);
      const name = [...asked.streetWords, ...asked.words].join(' ') || said;
      const streets = streetMatches(name, vocabulary, asked.streetType);
      const match = streets.find((street) => street.entry.id === row.street.id);
      if (match) return match.quality === 1 ? exact : withinATypo;
      return beyondATypo + editDistance(name, row.street.name, EDITS_MEASURED);
    }
    case 'house': {
      const asked = parseCallerQuery(`д ${answer}`);
      const house = asked.house ?? said.replace(/\s+/g, '');
      const fit = houseFit(house, row.building);
      const wanted = wantedBuilding(asked);
      if (fit === 1) return wanted === null || wanted === buildingFact(row.building) ? exact : withinATypo;
      return fit > 0 ? withinATypo : numberDistance(houseNumber(row.folded.house) ?? null);
    }
    case 'building': {
      const value = /[\dа-я]+$/.exec(said)?.[0] ?? said;
      const fact = buildingFact(row.building);
      return fact !== null && fact.slice(1) === value ? exact : different;
    }
    case 'apartment':
      return numberDistance(row.apartment);
    case 'birthYear':
      return numberDistance(row.birth_date ? row.birth_date.slice(0, 4) : null);
    case 'phoneLast4':
      return (row.phones ?? []).some((phone) => phone.endsWith(said)) ? exact : different;
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
    if (closest > withinATypo) {
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
