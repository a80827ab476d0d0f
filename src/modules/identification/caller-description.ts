import type { Answers, CallerQuery } from './caller-query.js';
import { fold, parseCallerQuery, wantedBuilding } from './caller-query.js';
import { type Reading, type StreetMatch, streetMatches } from './readings.js';
import type { Vocabulary } from './vocabulary.js';
import { isTypoOf, type WordMatch } from './word-match.js';

/**
 * The caller as one reading of their words describes them, with what their answers add: the
 * surname, street, house, korpus and apartment a candidate is fetched by and fitted against
 * (docs/identification.md, section 3).
 */

/** A part of what the caller said that a candidate may fit. */
export type FitPart =
  | 'surname'
  | 'firstName'
  | 'patronymic'
  | 'street'
  | 'house'
  | 'building'
  | 'apartment'
  | 'orgName';

/** First names and patronymics the caller answered: a surname's rows are fetched with them. */
export interface SaidNames {
  firstNames: string[];
  patronymics: string[];
}

/** What the caller's answers add to every reading: an address to fetch by, and names. */
export interface AnsweredFacts {
  streets: StreetMatch[] | null;
  house: string | null;
  names: SaidNames;
}

/** What one reading of the query, with the answers, asks of a candidate. */
export interface CallerDescription {
  reading: Reading;
  surnames: WordMatch[];
  streets: StreetMatch[];
  house: string | null;
  /** The korpus, строение or litera said, in the form of buildingFact. */
  building: string | null;
  apartment: string | null;
  /** Words searched in organisations' names. */
  orgWords: string[];
  answeredNames: SaidNames;
}

/** The street, house and names the caller answered, read against the vocabularies. */
export function readAnswers(answers: Answers, vocabulary: Vocabulary): AnsweredFacts {
  let streets: StreetMatch[] | null = null;
  // A street given as an answer replaces the one read from the query (docs/identification.md,
  // "Answers"): the caller's answer corrects a misreading, so the operator never has to retype.
  if (answers.street) {
    const asked = parseCallerQuery(answers.street, vocabulary.compoundStreets, isTypoOf);
    const name = [...asked.streetWords, ...asked.words].join(' ');
    if (name) streets = streetMatches(name, vocabulary, asked.streetType);
  }
  const house = answers.house ? (parseCallerQuery(`д ${answers.house}`).house ?? null) : null;
  return {
    streets: streets?.length ? streets : null,
    house,
    names: {
      firstNames: answers.firstName ? [fold(answers.firstName)] : [],
      patronymics: answers.patronymic ? [fold(answers.patronymic)] : [],
    },
  };
}

export function describeCaller(query: CallerQuery, reading: Reading, answered: AnsweredFacts): CallerDescription {
  // Words that read as no name are searched among organisations, and so is a "surname" that only
  // loosely fits one ("Ромашка" is not a typo of Ромашкин) or that the caller called an ООО or ИП.
  // A surname one typo away ("Моэозов") is a person: no organisation search for it.
  const looseSurname = reading.surname.every((match) => match.quality < 0.8) || query.organisation;
  const orgWords = [...reading.otherWords, looseSurname ? reading.surnameToken : null].filter(
    (word): word is string => (word?.length ?? 0) >= 3,
  );
  const streets = answered.streets ?? reading.streets;
  return {
    reading,
    surnames: reading.surname,
    streets,
    house: answered.house ?? query.house,
    building: wantedBuilding(query),
    apartment: query.apartment,
    orgWords,
    answeredNames: answered.names,
  };
}

/** The description with more surnames read as the one said ("Ларин" said where Лапин lives). */
export const withSurnames = (description: CallerDescription, more: readonly WordMatch[]): CallerDescription =>
  more.length ? { ...description, surnames: [...description.surnames, ...more] } : description;

/** The parts of the query this reading asks for, in the order they narrow the list: address first. */
export function askedParts(description: CallerDescription): FitPart[] {
  const parts: FitPart[] = [];
  if (description.streets.length) parts.push('street');
  if (description.house !== null) parts.push('house');
  if (description.building !== null) parts.push('building');
  if (description.apartment !== null) parts.push('apartment');
  if (description.surnames.length) parts.push('surname');
  if (description.reading.firstName.length) parts.push('firstName');
  if (description.reading.patronymic.length) parts.push('patronymic');
  if (description.orgWords.length && description.surnames.length === 0) parts.push('orgName');
  return parts;
}
