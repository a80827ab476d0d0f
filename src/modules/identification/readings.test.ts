import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCallerQuery } from './caller-query.js';
import { readWords, type StreetMatch, streetMatches } from './readings.js';
import { buildVocabulary } from './vocabulary.js';

describe('reading the words against the vocabularies', () => {
  const vocabulary = buildVocabulary(
    [
      { kind: 'surname', word: 'иванов', subscribers: 50 },
      { kind: 'surname', word: 'малышева', subscribers: 10 },
      { kind: 'surname', word: 'ли', subscribers: 5 },
      { kind: 'surname', word: 'петров-водкин', subscribers: 1 },
      { kind: 'first_name', word: 'сергей', subscribers: 40 },
      { kind: 'patronymic', word: 'петрович', subscribers: 30 },
    ],
    [
      { id: 1, city: 'Екатеринбург', street_type: 'ул', name: 'Ленина' },
      { id: 2, city: 'Екатеринбург', street_type: 'пр-кт', name: 'Ленина' },
      { id: 3, city: 'Екатеринбург', street_type: 'ул', name: 'Малышева' },
      { id: 4, city: 'Екатеринбург', street_type: 'ул', name: 'Карла Маркса' },
    ],
    [],
  );
  const best = (text: string) => readWords(parseCallerQuery(text, vocabulary.compoundStreets), vocabulary)[0]!;

  it('reads surname, first name, patronymic and street in any order', () => {
    const reading = best('Сергей Петрович Иванов Ленина 5');
    expect(reading.surname[0]?.word).toBe('иванов');
    expect(reading.firstName[0]?.word).toBe('сергей');
    expect(reading.patronymic[0]?.word).toBe('петрович');
    expect(reading.streets.map((street) => street.entry.id)).toEqual([1, 2]);
  });

  it('reads a word before a house number as the street, and the same word alone as the surname', () => {
    expect(best('Малышева 5').streets[0]?.entry.id).toBe(3);
    expect(best('Малышева').surname[0]?.word).toBe('малышева');
  });

  it('narrows the street by the type the caller named', () => {
    expect(best('пр-кт Ленина 5').streets.map((street) => street.entry.id)).toEqual([2]);
  });

  it('finds a street by one word of its name, and a double surname said in two words', () => {
    expect(best('Маркса 5').streets[0]?.entry.id).toBe(4);
    expect(best('Петров Водкин').surname[0]?.word).toBe('петров-водкин');
  });

  it('reads a typo, and a short surname only exactly', () => {
    expect(best('Ивнаов').surname[0]?.word).toBe('иванов');
    expect(best('Ли').surname[0]?.word).toBe('ли');
    expect(best('Лу').surname).toEqual([]);
  });

  it('reads "Ленина" before a house as the street, not as a typo of the surname Левина', () => {
    const withLevina = buildVocabulary(
      [{ kind: 'surname', word: 'левина', subscribers: 3 }],
      [{ id: 1, city: 'Екатеринбург', street_type: 'ул', name: 'Ленина' }],
    );
    const [first] = readWords(parseCallerQuery('Ленина 5'), withLevina);
    expect(first?.streets.map((street) => street.entry.id)).toEqual([1]);
    expect(first?.surname).toEqual([]);
  });

  it('orders the readings best first, uses each word in one role at most, and never repeats one', () => {
    const words = ['иванов', 'сергей', 'петрович', 'ленина', 'малышева', 'маркса', 'ромашка', 'ли'];
    fc.assert(
      fc.property(fc.subarray(words, { minLength: 1, maxLength: 5 }), fc.boolean(), (said, withHouse) => {
        const query = parseCallerQuery(`${said.join(' ')}${withHouse ? ' 5' : ''}`, vocabulary.compoundStreets);
        const readings = readWords(query, vocabulary);
        for (const [index, reading] of readings.entries()) {
          if (index > 0) expect(reading.prior).toBeLessThanOrEqual(readings[index - 1]!.prior);
          const roles = [reading.surnameToken, reading.firstNameToken, reading.patronymicToken, reading.streetToken];
          const used = [...roles.filter((token) => token !== null), ...reading.otherWords];
          expect(new Set(used).size).toBe(used.length);
        }
        const keys = readings.map((reading) =>
          [reading.surname, reading.firstName, reading.patronymic]
            .map((matches) => matches.map((match) => match.word).join())
            .concat(reading.streets.map((street) => street.entry.id).join(), reading.otherWords.join())
            .join('|'),
        );
        expect(new Set(keys).size).toBe(keys.length);
      }),
    );
  });
});

describe('the streets a word names', () => {
  const vocabulary = buildVocabulary(
    [],
    [
      { id: 1, city: 'Екатеринбург', street_type: 'пр-кт', name: 'Ленина' },
      { id: 2, city: 'Екатеринбург', street_type: 'проезд', name: 'Ленина' },
      { id: 3, city: 'Екатеринбург', street_type: 'ул', name: 'Ленина' },
      { id: 4, city: 'Екатеринбург', street_type: 'ул', name: 'Карла Маркса' },
    ],
  );
  const ids = (matches: StreetMatch[]) => matches.map((match) => match.entry.id);

  it('reads "пр" as a проспект or a проезд, and any other type as itself', () => {
    expect(ids(streetMatches('ленина', vocabulary, 'пр'))).toEqual([1, 2]);
    expect(ids(streetMatches('ленина', vocabulary, 'ул'))).toEqual([3]);
    expect(ids(streetMatches('ленина', vocabulary, null))).toEqual([1, 2, 3]);
  });

  it('keeps every street of the name when the city has none of the type said', () => {
    expect(ids(streetMatches('ленина', vocabulary, 'пер'))).toEqual([1, 2, 3]);
  });

  it('finds a street by one word of a longer name at nine tenths of the quality', () => {
    expect(streetMatches('маркса', vocabulary, null)).toEqual([
      { entry: expect.objectContaining({ id: 4 }), quality: 0.9 },
    ]);
    expect(streetMatches('карла маркса', vocabulary, null)[0]?.quality).toBe(1);
  });
});
