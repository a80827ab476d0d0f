import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Askable, MatchedField } from '../../common/api/identification.js';
import { type AnswerableRow, answerDistance, answerDistances, applyAnswers, askableFactsOf } from './answers.js';
import { buildVocabulary } from './vocabulary.js';

const vocabulary = buildVocabulary(
  [],
  [
    { id: 1, city: 'Екатеринбург', street_type: 'ул', name: 'Ленина' },
    { id: 2, city: 'Екатеринбург', street_type: 'ул', name: 'Малышева' },
  ],
);

interface Said {
  firstName?: string;
  patronymic?: string;
  street?: 1 | 2;
  house?: string;
  korpus?: string | null;
  litera?: string | null;
  apartment?: string | null;
  birthYear?: number | null;
  phones?: string[];
}

function row(said: Said = {}): AnswerableRow {
  const street = vocabulary.streetById.get(said.street ?? 1)!;
  return {
    folded: {
      firstName: said.firstName ?? 'сергей',
      patronymic: said.patronymic ?? 'петрович',
      house: said.house ?? '5',
    },
    building: { house: said.house ?? '5', korpus: said.korpus ?? null, stroenie: null, litera: said.litera ?? null },
    street: { id: street.id, name: street.name },
    apartment: said.apartment === undefined ? '12' : said.apartment,
    birth_date: said.birthYear === null ? null : `${said.birthYear ?? 1970}-03-04`,
    phones: said.phones ?? ['+79123456789'],
  };
}

const { exact, withinATypo, beyondATypo, different, farthestNumber, nothingOnRecord } = answerDistances;
const distance = (attribute: Askable, answer: string, candidate = row()) =>
  answerDistance(attribute, answer, candidate, vocabulary);

describe('how near a candidate comes to an answer', () => {
  it('is exact for the candidate’s own answer to every question, in any case', () => {
    const facts = fc.record({
      firstName: fc.constantFrom('сергей', 'анна', 'олег'),
      street: fc.constantFrom(1 as const, 2 as const),
      house: fc.constantFrom('5', '12', '7а'),
      apartment: fc.constantFrom('1', '12', '140'),
      birthYear: fc.integer({ min: 1930, max: 2005 }),
    });
    fc.assert(
      fc.property(facts, fc.boolean(), (said, upper) => {
        const candidate = row(said);
        const own = askableFactsOf(candidate);
        const answers: [Askable, string][] = [
          ['firstName', said.firstName],
          ['street', said.street === 1 ? 'ул. Ленина' : 'Малышева'],
          ['house', said.house],
          ['apartment', said.apartment],
          ['birthYear', own.birthYear!],
          ['phoneLast4', own.phoneLast4[0]!],
        ];
        for (const [attribute, answer] of answers) {
          expect(distance(attribute, upper ? answer.toUpperCase() : answer, candidate), attribute).toBe(exact);
        }
      }),
    );
  });

  it('forgives a typo in a name, or its beginning, and measures a name beyond that by its edits', () => {
    expect(distance('firstName', 'сергеи')).toBe(withinATypo);
    expect(distance('firstName', 'серг')).toBe(withinATypo);
    expect(distance('firstName', 'олег')).toBeGreaterThanOrEqual(beyondATypo);
    expect(distance('firstName', 'сергуня')).toBeLessThan(distance('firstName', 'олег'));
  });

  it('orders numbers by their difference, and keeps a fact missing from the record the farthest', () => {
    expect(distance('apartment', '13')).toBe(beyondATypo + 1);
    expect(distance('apartment', '20')).toBe(beyondATypo + 8);
    expect(distance('birthYear', '1901')).toBe(beyondATypo + 69);
    expect(distance('birthYear', '1801')).toBe(farthestNumber);
    expect(distance('apartment', '12', row({ apartment: null }))).toBe(nothingOnRecord);
    expect(distance('firstName', 'сергей', row({ firstName: '' }))).toBe(nothingOnRecord);
  });

  it('reads "нет" as an answer: exact for a record without the fact, different for one with it', () => {
    expect(distance('apartment', 'нет', row({ apartment: null }))).toBe(exact);
    expect(distance('apartment', 'частный дом', row({ apartment: null }))).toBe(exact);
    expect(distance('apartment', 'нет')).toBe(different);
    expect(distance('building', 'нет')).toBe(exact);
  });

  it('fits a street by its name with or without its type, and a misspelt one within a typo', () => {
    expect(distance('street', 'Ленина')).toBe(exact);
    expect(distance('street', 'Ленна')).toBe(withinATypo);
    expect(distance('street', 'Малышева')).toBeGreaterThan(withinATypo);
  });

  it('fits a house with its litera exactly, the same number within a typo, another korpus within a typo', () => {
    expect(distance('house', '5а', row({ litera: 'а' }))).toBe(exact);
    expect(distance('house', '5', row({ house: '5', korpus: '2' }))).toBe(exact);
    expect(distance('house', '5 к1', row({ house: '5', korpus: '2' }))).toBe(withinATypo);
    expect(distance('house', '5', row({ house: '5а' }))).toBe(withinATypo);
    expect(distance('house', '9')).toBe(beyondATypo + 4);
  });

  it('fits a korpus and the last four digits of a phone only exactly', () => {
    expect(distance('building', '2', row({ korpus: '2' }))).toBe(exact);
    expect(distance('building', '1', row({ korpus: '2' }))).toBe(different);
    expect(distance('phoneLast4', '6789', row({ phones: ['+79120000000', '+79123456789'] }))).toBe(exact);
    expect(distance('phoneLast4', '1111')).toBe(different);
  });
});

describe('the list the answers leave', () => {
  const scored = (said: Said, score = 5) => ({ row: row(said), score, matched: [] as MatchedField[], said });
  const names = (list: readonly { said: Said }[]) => list.map((candidate) => candidate.said.firstName);

  it('keeps the candidates who fit an answer exactly, and says they matched it', () => {
    const list = [scored({ firstName: 'сергей' }), scored({ firstName: 'сергеи' }), scored({ firstName: 'анна' })];
    const { remaining, matchedNobody } = applyAnswers(list, { firstName: 'Сергей' }, vocabulary);
    expect(matchedNobody).toBeNull();
    expect(names(remaining)).toEqual(['сергей']);
    expect(remaining[0]!.matched).toEqual(['firstName']);
  });

  it('keeps those within a typo only when nobody fits exactly', () => {
    const list = [scored({ firstName: 'сергей' }), scored({ firstName: 'анна' })];
    expect(names(applyAnswers(list, { firstName: 'сергеи' }, vocabulary).remaining)).toEqual(['сергей']);
  });

  it('keeps everyone, nearest first and the better score among equals, when an answer fits nobody, and names that answer', () => {
    const list = [scored({ apartment: '40' }, 9), scored({ apartment: '15' }, 1), scored({ apartment: '11' }, 5)];
    const { remaining, matchedNobody } = applyAnswers(list, { apartment: '13' }, vocabulary);
    expect(matchedNobody).toBe('apartment');
    // 15 and 11 are both 2 from 13: the better score (11's) goes first.
    expect(remaining.map((candidate) => candidate.said.apartment)).toEqual(['11', '15', '40']);
  });

  it('applies the answers from the address down: a street that fits nobody stops before the first name', () => {
    const list = [scored({ street: 1, firstName: 'анна' }), scored({ street: 1, firstName: 'сергей' })];
    const result = applyAnswers(list, { firstName: 'анна', street: 'Малышева' }, vocabulary);
    expect(result.matchedNobody).toBe('street');
    expect(result.remaining).toHaveLength(2);
    const narrowed = applyAnswers(list, { firstName: 'анна', street: 'Ленина' }, vocabulary);
    expect(narrowed.matchedNobody).toBeNull();
    expect(names(narrowed.remaining)).toEqual(['анна']);
    expect(narrowed.remaining[0]!.matched).toEqual(['street', 'firstName']);
  });
});
