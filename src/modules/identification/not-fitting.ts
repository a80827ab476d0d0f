import type { NotFitting } from '../../common/api/identification.js';
import type { FitPart } from './caller-description.js';
import { type CallerQuery, houseNumber } from './caller-query.js';
import type { ListInPlay } from './candidate-fit.js';
import type { Vocabulary } from './vocabulary.js';

/**
 * What the caller said that nobody in the list fits (docs/identification.md, "Said but fitting
 * nobody"). Narrowing lets a part that fits nobody only rank, so the caller's misspoken house does
 * not empty the list; this says so instead of dropping it in silence: "Ленина has no house 5, the
 * nearest are 3 and 7", "nobody lives in flat 12 of that house", "«Несуществующая» is not a word
 * of any name or street".
 */

/** Nearest houses named when the house said is not on the street. */
const NEAREST_HOUSES = 4;

function nearestHouses(said: string, streetIds: number[], vocabulary: Vocabulary): string[] {
  const wanted = Number.parseInt(houseNumber(said) ?? '', 10);
  const houses = new Set<string>();
  for (const id of streetIds)
    for (const building of vocabulary.buildingsByStreet.get(id) ?? []) houses.add(building.house);
  const numberOf = (house: string) => Number.parseInt(houseNumber(house) ?? '', 10);
  return [...houses]
    .filter((house) => !Number.isNaN(numberOf(house)))
    .sort((a, b) => Math.abs(numberOf(a) - wanted) - Math.abs(numberOf(b) - wanted) || numberOf(a) - numberOf(b))
    .slice(0, NEAREST_HOUSES)
    .sort((a, b) => numberOf(a) - numberOf(b) || a.localeCompare(b));
}

export function notFitting(query: CallerQuery, chosen: ListInPlay | null, vocabulary: Vocabulary): NotFitting[] {
  const parts: NotFitting[] = [];
  const saidWords = [...query.words, ...query.streetWords];
  if (!chosen) {
    for (const word of saidWords) parts.push({ part: 'word', said: word, nearest: [] });
    return parts;
  }
  const { description, inPlay } = chosen;
  const { reading } = description;
  const nobody = (part: FitPart) => !inPlay.some((candidate) => candidate.fit[part] > 0);
  const used = new Set<string>();
  const role = (token: string | null, part: FitPart, matched: boolean) => {
    if (token === null) return;
    for (const word of token.split(/[\s-]+/)) used.add(word);
    used.add(token);
    if (matched && nobody(part)) parts.push({ part: part as NotFitting['part'], said: token, nearest: [] });
  };
  role(reading.surnameToken, 'surname', reading.surname.length > 0);
  role(reading.firstNameToken, 'firstName', reading.firstName.length > 0);
  role(reading.patronymicToken, 'patronymic', reading.patronymic.length > 0);
  role(reading.streetToken, 'street', reading.streets.length > 0);
  const orgFits = !nobody('orgName');
  for (const word of reading.otherWords) {
    used.add(word);
    if (!orgFits) parts.push({ part: 'word', said: word, nearest: [] });
  }
  // Words no reading could place at all (the street words that named no street among them).
  for (const word of saidWords) {
    const pieces = word.split(/[\s-]+/);
    if (!used.has(word) && !pieces.every((piece) => used.has(piece)) && !vocabulary.cities.has(word)) {
      parts.push({ part: 'word', said: word, nearest: [] });
    }
  }
  const onStreet = description.streets.length > 0 && !nobody('street');
  if (description.house !== null && onStreet && nobody('house')) {
    const streetIds = [...new Set(inPlay.filter((candidate) => candidate.fit.street > 0).map((c) => c.row.street.id))];
    parts.push({
      part: 'house',
      said: description.house,
      nearest: nearestHouses(description.house, streetIds, vocabulary),
    });
  }
  const inHouse = description.house !== null && !nobody('house');
  if (description.building !== null && inHouse && nobody('building')) {
    parts.push({ part: 'building', said: description.building.slice(1), nearest: [] });
  }
  if (description.apartment !== null && (inHouse || description.house === null) && nobody('apartment')) {
    parts.push({ part: 'apartment', said: description.apartment, nearest: [] });
  }
  return parts;
}
