import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Askable, askables } from '../../common/api/identification.js';
import type { AskableFacts } from './answers.js';
import { LIST_IN_PLAY_CAP } from './limits.js';
import { answerEffort, suggestNextQuestion } from './next-question.js';

const person = (facts: Partial<AskableFacts>): AskableFacts => ({
  firstName: 'сергей',
  patronymic: 'петрович',
  street: '1',
  house: '5',
  building: null,
  apartment: '1',
  birthYear: '1970',
  phoneLast4: ['0000'],
  ...facts,
});

const known = (...attributes: Askable[]) => new Set<Askable>(attributes);

describe('the next question', () => {
  it('asks nothing when one candidate or none is left', () => {
    expect(suggestNextQuestion([], known())).toBeNull();
    expect(suggestNextQuestion([person({})], known())).toBeNull();
  });

  it('names the question that splits best and how well: "4 candidates, 4 different houses"', () => {
    const candidates = ['5', '7', '9', '11'].map((house) => person({ house }));
    expect(suggestNextQuestion(candidates, known('street'))).toEqual({
      attribute: 'house',
      candidates: 4,
      distinctAnswers: 4,
      expectedRemaining: 1,
      reason: 'splits_best',
    });
  });

  it('expects Σn²/N candidates left after an answer', () => {
    // First names: 3 Сергей, 1 Олег → (9 + 1) / 4 = 2.5; everything else is the same.
    const candidates = [person({}), person({}), person({}), person({ firstName: 'олег' })];
    const question = suggestNextQuestion(candidates, known('street', 'house', 'apartment'));
    expect(question?.attribute).toBe('firstName');
    expect(question?.expectedRemaining).toBe(2.5);
  });

  it('never asks what the caller already said, nor what does not split them', () => {
    const candidates = [person({ firstName: 'анна', patronymic: 'ивановна' }), person({ firstName: 'олег' })];
    expect(suggestNextQuestion(candidates, known('firstName'))?.attribute).toBe('patronymic');
    expect(suggestNextQuestion([person({}), person({})], known())).toBeNull();
  });

  it('asks an address from the top down: no house before the street, no apartment or korpus before the house', () => {
    const candidates = [
      person({ street: '1', house: '5', apartment: '1', building: 'к1' }),
      person({ street: '2', house: '7', apartment: '2', building: 'к2' }),
      person({ street: '2', house: '9', apartment: '3', building: 'к3' }),
    ];
    const noNames = known('firstName', 'patronymic', 'birthYear', 'phoneLast4');
    expect(suggestNextQuestion(candidates, noNames)?.attribute).toBe('street');
    const withStreet = new Set([...noNames, 'street' as const]);
    expect(suggestNextQuestion(candidates, withStreet)?.attribute).toBe('house');
    const withHouse = new Set([...withStreet, 'house' as const]);
    expect(['apartment', 'building']).toContain(suggestNextQuestion(candidates, withHouse)?.attribute);
  });

  it('weighs a question by how hard it is to answer: the last four digits of a phone only when much better', () => {
    expect(answerEffort.phoneLast4).toBeGreaterThan(answerEffort.firstName);
    // First name leaves 2 on average, the phone 1: 1 × 3 > 2 × 1, so the first name is asked.
    const pairs = [0, 1, 2, 3].map((i) =>
      person({ firstName: i < 2 ? 'анна' : 'олег', phoneLast4: [String(1000 + i)] }),
    );
    expect(
      suggestNextQuestion(pairs, known('street', 'house', 'apartment', 'patronymic', 'birthYear'))?.attribute,
    ).toBe('firstName');
  });

  it('asks for the street, then the house, above 10,000 candidates', () => {
    expect(suggestNextQuestion([person({})], known(), LIST_IN_PLAY_CAP + 1)).toMatchObject({
      attribute: 'street',
      reason: 'too_many',
    });
    expect(suggestNextQuestion([person({})], known('street'), LIST_IN_PLAY_CAP + 1)).toMatchObject({
      attribute: 'house',
      reason: 'too_many',
    });
  });

  it('always suggests a question that splits when one is askable: the first in the order callers answer best among those within a fifth (+0.34) of the best effort-weighted one', () => {
    const facts = fc.record({
      firstName: fc.constantFrom('анна', 'олег', 'ирина', null),
      patronymic: fc.constantFrom('ивановна', 'петрович', null),
      street: fc.constantFrom('1', '2', '3'),
      house: fc.constantFrom('1', '2', '3', '4'),
      building: fc.constantFrom('к1', 'к2', null),
      apartment: fc.constantFrom('1', '2', '3', '4', '5', null),
      birthYear: fc.constantFrom('1960', '1970', '1980', null),
      phoneLast4: fc.array(fc.constantFrom('1111', '2222', '3333'), { maxLength: 2 }),
    });
    // docs/identification.md, section 4: the order, the address from the top down, the margin.
    const callersOrder: Askable[] = [
      'house',
      'street',
      'firstName',
      'apartment',
      'patronymic',
      'birthYear',
      'building',
      'phoneLast4',
    ];
    const askableNow = (attribute: Askable, said: ReadonlySet<Askable>) =>
      !said.has(attribute) &&
      (attribute !== 'house' || said.has('street')) &&
      ((attribute !== 'apartment' && attribute !== 'building') || said.has('house'));
    // Rounding of expectedRemaining to hundredths, times an effort of at most 3.
    const rounding = 0.02;
    fc.assert(
      fc.property(
        fc.array(facts, { minLength: 2, maxLength: 40 }),
        fc.subarray<Askable>([...askables]),
        (candidates, saidList) => {
          const said = new Set(saidList);
          const options = callersOrder
            .filter((attribute) => askableNow(attribute, said))
            .map((attribute) => {
              const counts = new Map<string, number>();
              for (const candidate of candidates) {
                const value = attribute === 'phoneLast4' ? candidate.phoneLast4[0] : candidate[attribute];
                counts.set(value ?? '∅', (counts.get(value ?? '∅') ?? 0) + 1);
              }
              const expected = [...counts.values()].reduce((sum, n) => sum + n * n, 0) / candidates.length;
              return { attribute, splits: counts.size > 1, expected, effort: expected * answerEffort[attribute] };
            })
            .filter((option) => option.splits);
          const question = suggestNextQuestion(candidates, said);
          if (options.length === 0) {
            expect(question).toBeNull();
            return;
          }
          expect(question).not.toBeNull();
          const asked = options.find((option) => option.attribute === question!.attribute);
          expect(asked, `${question!.attribute} is askable and splits`).toBeDefined();
          expect(question!.distinctAnswers).toBeGreaterThan(1);
          expect(question!.expectedRemaining).toBeCloseTo(asked!.expected, 2);
          const best = Math.min(...options.map((option) => option.effort));
          const margin = best * 1.2 + 0.34;
          expect(asked!.effort).toBeLessThanOrEqual(margin + rounding);
          for (const earlier of options.slice(0, options.indexOf(asked!))) {
            expect(earlier.effort, `${earlier.attribute} comes first in the order`).toBeGreaterThan(margin - rounding);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
