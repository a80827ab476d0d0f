import type { NextQuestion } from '@common/api/identification.ts';
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import en from '../../../i18n/en.json';
import ru from '../../../i18n/ru.json';
import {
  answerMatchedNobodyText,
  candidateCountText,
  nextQuestionText,
  notFittingText,
  readingText,
} from './question-text.ts';

let russian: TFunction;
let english: TFunction;

beforeAll(async () => {
  const instance = i18next.createInstance();
  await instance.init({
    resources: { ru: { translation: ru }, en: { translation: en } },
    lng: 'ru',
    interpolation: { escapeValue: false },
  });
  russian = instance.getFixedT('ru');
  english = instance.getFixedT('en');
});

const question = (attribute: NextQuestion['attribute'], candidates: number, distinctAnswers: number): NextQuestion => ({
  attribute,
  candidates,
  distinctAnswers,
  expectedRemaining: candidates / distinctAnswers,
  reason: 'splits_best',
});

// Intl groups thousands with a no-break space.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('the next-question hint', () => {
  it('names the question and how well it splits, in Russian with its plural forms', () => {
    expect(nextQuestionText(russian, question('house', 4, 4))).toBe('Спросите номер дома — 4 кандидата, 4 разных дома');
    expect(nextQuestionText(russian, question('firstName', 7, 5))).toBe('Спросите имя — 7 кандидатов, 5 разных имён');
    expect(nextQuestionText(russian, question('street', 21, 2))).toBe('Спросите улицу — 21 кандидат, 2 разные улицы');
    expect(plain(nextQuestionText(russian, question('apartment', 1200, 22)))).toBe(
      'Спросите номер квартиры — 1 200 кандидатов, 22 разные квартиры',
    );
  });

  it('reads the same in English', () => {
    expect(nextQuestionText(english, question('house', 4, 4))).toBe(
      'Ask for the house number — 4 candidates, 4 different houses',
    );
    expect(nextQuestionText(english, question('birthYear', 2, 2))).toBe(
      'Ask for the year of birth — 2 candidates, 2 different years of birth',
    );
  });

  it('asks for the address first when too many fit', () => {
    const tooMany = { ...question('street', 10_001, 0), reason: 'too_many' as const };
    expect(nextQuestionText(russian, tooMany)).toBe('Слишком много совпадений: спросите улицу и дом');
    expect(nextQuestionText(russian, { ...tooMany, attribute: 'house' })).toBe(
      'Слишком много совпадений: спросите номер дома',
    );
  });

  it('says whose answer fitted nobody', () => {
    expect(answerMatchedNobodyText(russian, 'firstName', 'Ибрагим')).toBe(
      'Никто не подходит под ответ «Ибрагим» (имя) — ближайшие совпадения:',
    );
  });
});

describe('the candidate count', () => {
  const format = (value: number) => plain(new Intl.NumberFormat('ru-RU').format(value));

  it('says how many of how many are shown', () => {
    expect(candidateCountText(russian, { total: 41, totalIsCapped: false }, 20, format)).toBe('20 из 41');
    expect(candidateCountText(russian, { total: 10_000, totalIsCapped: true }, 20, format)).toBe(
      '20 из более чем 10 000',
    );
    expect(candidateCountText(russian, { total: 3, totalIsCapped: false }, 3, format)).toBe('3 кандидата');
  });
});

describe('how the query was read', () => {
  it('lists the parts the server understood, and nothing when it understood nothing', () => {
    const reading = {
      surname: 'соколов',
      firstName: null,
      patronymic: null,
      street: 'ленина',
      house: '5',
      apartment: null,
      identifiers: [],
    };
    expect(readingText(russian, reading)).toBe('Понято как: фамилия «соколов» · улица «ленина» · дом 5');
    expect(readingText(russian, { ...reading, surname: null, street: null, house: null })).toBeNull();
  });

  it('names each identifier by its kind: an e-mail is an e-mail, never a number', () => {
    const reading = { surname: null, firstName: null, patronymic: null, street: null, house: null, apartment: null };
    expect(readingText(russian, { ...reading, identifiers: [{ kind: 'email', value: 'aakhmetov@example.ru' }] })).toBe(
      'Понято как: e-mail aakhmetov@example.ru',
    );
    expect(
      readingText(english, {
        ...reading,
        identifiers: [
          { kind: 'contract', value: 'LD-2019-005625' },
          { kind: 'phone', value: '+73439900593' },
        ],
      }),
    ).toBe('Read as: contract LD-2019-005625 · phone +73439900593');
  });
});

describe('what was said but fits nobody', () => {
  it('names a missing house with the nearest ones and says the list is a partial fit, in both languages', () => {
    const parts = [
      { part: 'house' as const, said: '5', nearest: ['3', '7'] },
      { part: 'word' as const, said: 'несуществующая', nearest: [] },
    ];
    expect(notFittingText(russian, parts, true)).toBe(
      'на этой улице нет дома 5 (ближайшие: 3, 7) · «несуществующая» — такого слова нет ни в именах, ни в улицах — список подходит лишь под часть сказанного',
    );
    expect(notFittingText(english, [{ part: 'apartment', said: '12', nearest: [] }], false)).toBe(
      'nobody lives in flat 12 of this house',
    );
  });
});
