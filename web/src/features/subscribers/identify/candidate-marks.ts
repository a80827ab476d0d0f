import type { Candidate, MatchedField } from '@common/api/identification.ts';

/** A piece of a shown value, marked when it is what the caller's words matched. */
export interface Segment {
  text: string;
  marked: boolean;
}

type NameField = 'surname' | 'firstName' | 'patronymic';
type AddressField = 'street' | 'house' | 'building' | 'apartment';

const initial = /^[^\s.]\.$/;

/**
 * A person's name comes masked as "Соколов А. В." (surname and initials, masking.ts): the
 * surname is everything before the first initial, then the first name's and the patronymic's.
 * An organisation's name is marked whole when it matched.
 */
export function nameSegments(candidate: Pick<Candidate, 'kind' | 'name' | 'matched'>): Segment[] {
  const matched = new Set<MatchedField>(candidate.matched);
  if (candidate.kind === 'organisation') return [{ text: candidate.name, marked: matched.has('orgName') }];
  const words = candidate.name.split(' ').filter(Boolean);
  const firstInitial = words.findIndex((word, index) => index > 0 && initial.test(word));
  const surnameWords = firstInitial === -1 ? words : words.slice(0, firstInitial);
  const initials = firstInitial === -1 ? [] : words.slice(firstInitial);
  const parts: { text: string; field: NameField | null }[] = [
    { text: surnameWords.join(' '), field: 'surname' },
    ...initials.map((text, index) => ({
      text,
      field: index === 0 ? ('firstName' as const) : index === 1 ? ('patronymic' as const) : null,
    })),
  ];
  return joined(
    parts.filter((part) => part.text),
    ' ',
    matched,
  );
}

const addressFieldOf = (piece: string, index: number): AddressField | null => {
  if (/^д\.\s/.test(piece)) return 'house';
  if (/^(корп|стр|лит)\.\s/.test(piece)) return 'building';
  if (/^кв\.\s/.test(piece)) return 'apartment';
  return index === 0 ? 'street' : null;
};

/** "ул. Ленина, д. 5, корп. 2, кв. ***" (address.ts): street, house, building and apartment marked apart. */
export function addressSegments(candidate: Pick<Candidate, 'address' | 'matched'>): Segment[] {
  const matched = new Set<MatchedField>(candidate.matched);
  const parts = candidate.address.split(', ').map((text, index) => ({ text, field: addressFieldOf(text, index) }));
  return joined(parts, ', ', matched);
}

function joined(parts: { text: string; field: MatchedField | null }[], separator: string, matched: Set<MatchedField>) {
  return parts.flatMap((part, index) => {
    const segment = { text: part.text, marked: part.field !== null && matched.has(part.field) };
    return index === 0 ? [segment] : [{ text: separator, marked: false }, segment];
  });
}

/** The exact identifiers a candidate was found by, strongest first. */
export const exactFields = ['account', 'contract', 'phone', 'email', 'inn'] as const;
export type ExactField = (typeof exactFields)[number];

export const foundBy = (matched: readonly MatchedField[]): ExactField[] =>
  exactFields.filter((field) => matched.includes(field));

/** Answers that matched but are not on the row (the birth year and phone are not shown in lists). */
export const unseenMatches = (matched: readonly MatchedField[]): ('birthYear' | 'phoneLast4')[] =>
  (['birthYear', 'phoneLast4'] as const).filter((field) => matched.includes(field));

/** The parts of what was said that a candidate fits, in the order the row shows them. */
export const fittingParts = [
  'surname',
  'firstName',
  'patronymic',
  'orgName',
  'street',
  'house',
  'building',
  'apartment',
] as const;
export type FittingPart = (typeof fittingParts)[number];

/**
 * What in a candidate fits the words said, for the match column: every candidate says it, not
 * only those found by an exact identifier, so a partial fit ("street, house" without the surname)
 * is seen as one. Empty when the candidate fits none of the words (a nearest one after a wrong answer).
 */
export const fitsOf = (matched: readonly MatchedField[]): FittingPart[] =>
  fittingParts.filter((field) => matched.includes(field));
