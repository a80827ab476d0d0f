import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountNumberFor, contractNumberFor } from '../subscribers/identifiers.js';
import { type CallerQuery, fold, parseCallerQuery } from './caller-query.js';

const compoundStreets = ['8 марта', 'карла маркса', '40-летия октября', '1905 года', 'розы люксембург'];
const streets = ['Ленина', 'Малышева', 'Мира', 'Толмачёва', 'Шарташская', '8 Марта', 'Карла Маркса', 'Розы Люксембург'];

/** How each street type is written, with the canonical type it must read as. */
const typeSpellings: [string, string | null][] = [
  ['', null],
  ['ул.', 'ул'],
  ['ул', 'ул'],
  ['улица', 'ул'],
  ['пр-кт', 'пр-кт'],
  ['просп.', 'пр-кт'],
  ['проспект', 'пр-кт'],
  ['пр.', 'пр'],
  ['б-р', 'б-р'],
  ['бульвар', 'б-р'],
  ['пер.', 'пер'],
  ['переулок', 'пер'],
  ['мкр.', 'мкр'],
  ['микрорайон', 'мкр'],
  ['ш.', 'ш'],
  ['наб.', 'наб'],
  ['пл.', 'пл'],
  ['проезд', 'проезд'],
];

interface Address {
  street: string;
  type: [string, string | null];
  typeAfter: boolean;
  house: number;
  letter: string | null;
  slash: number | null;
  korpus: number | null;
  stroenie: number | null;
  apartment: number | null;
}

const addressArbitrary: fc.Arbitrary<Address> = fc
  .record({
    street: fc.constantFrom(...streets),
    type: fc.constantFrom(...typeSpellings),
    typeAfter: fc.boolean(),
    house: fc.integer({ min: 1, max: 250 }),
    letter: fc.option(fc.constantFrom('а', 'б', 'в', 'А', 'Б'), { nil: null }),
    slash: fc.option(fc.integer({ min: 1, max: 60 }), { nil: null }),
    building: fc.constantFrom('none', 'korpus', 'stroenie'),
    buildingNumber: fc.integer({ min: 1, max: 9 }),
    apartment: fc.option(fc.integer({ min: 1, max: 999 }), { nil: null }),
  })
  .map((a) => ({
    street: a.street,
    type: a.type,
    // "Ленина пр-кт 5" is written; "8 Марта ул." is not ambiguous either.
    typeAfter: a.typeAfter && a.type[0] !== '',
    house: a.house,
    letter: a.slash === null ? a.letter : null,
    slash: a.slash,
    korpus: a.building === 'korpus' ? a.buildingNumber : null,
    stroenie: a.building === 'stroenie' ? a.buildingNumber : null,
    apartment: a.apartment,
  }));

type HouseWriting = typeof houseWritings extends fc.Arbitrary<infer T> ? T : never;

/** Every way the house, korpus, строение and apartment are written that must read alike. */
const houseWritings = fc.record({
  housePrefix: fc.constantFrom('', 'д.', 'д. ', 'д ', 'дом ', '№'),
  korpusForm: fc.constantFrom('к', ' к', ' к ', 'к.', ' корп. ', ' корп.', ', корп. ', ' корпус '),
  stroenieForm: fc.constantFrom(' стр. ', ' стр.', 'с', ' строение ', ', стр. '),
  apartmentForm: fc.constantFrom(' кв ', ' кв. ', ', кв. ', ' кв.', ' квартира ', '-', ', '),
  separator: fc.constantFrom(' ', ', ', ' , '),
  letterSpace: fc.boolean(),
});

function write(address: Address, forms: HouseWriting): string {
  const streetPart = address.type[0]
    ? address.typeAfter
      ? `${address.street} ${address.type[0]}`
      : `${address.type[0]} ${address.street}`
    : address.street;
  let house = String(address.house);
  // "1 а" is written with a space only when a spaced korpus or строение follows ("1 а корп. 2", not "1 ак2").
  const next = address.korpus ? forms.korpusForm : address.stroenie ? forms.stroenieForm : ' ';
  if (address.letter) house += forms.letterSpace && next.startsWith(' ') ? ` ${address.letter}` : address.letter;
  if (address.slash) house += `/${address.slash}`;
  if (address.korpus) house += `${forms.korpusForm}${address.korpus}`;
  if (address.stroenie) house += `${forms.stroenieForm}${address.stroenie}`;
  let text = `${streetPart}${forms.separator}${forms.housePrefix}${house}`;
  if (address.apartment !== null) {
    // "5-12" joins the apartment to a plain house; after a korpus it needs its marker.
    const form =
      forms.apartmentForm === '-' && (address.korpus || address.stroenie || address.letter)
        ? ' кв '
        : forms.apartmentForm === ', ' && forms.housePrefix === ''
          ? ' кв '
          : forms.apartmentForm;
    text += `${form}${address.apartment}`;
  }
  return text;
}

/** The street as the parser read it: marked words, or the plain words when nothing marked them. */
const streetOf = (query: CallerQuery) => (query.streetWords.length ? query.streetWords : query.words).join(' ');

describe('reading an address', () => {
  it('reads the examples of the issue to the same parts', () => {
    const parts = (text: string) => {
      const q = parseCallerQuery(text, compoundStreets);
      return [streetOf(q), q.house, q.korpus, q.stroenie, q.apartment];
    };
    expect(parts('Ленина 5 кв 12')).toEqual(['ленина', '5', null, null, '12']);
    expect(parts('ул. Ленина, д. 5, кв. 12')).toEqual(['ленина', '5', null, null, '12']);
    expect(parts('Ленина 5-12')).toEqual(['ленина', '5', null, null, '12']);
    expect(parts('Ленина 5к2')).toEqual(['ленина', '5', '2', null, null]);
    expect(parts('Ленина 5, корп. 2')).toEqual(['ленина', '5', '2', null, null]);
    expect(parts('Ленина 5 стр. 1')).toEqual(['ленина', '5', null, '1', null]);
    expect(parts('Ленина 5/2')).toEqual(['ленина', '5/2', null, null, null]);
    expect(parts('Ленина 5А')).toEqual(['ленина', '5а', null, null, null]);
    expect(parseCallerQuery('пр-кт Ленина 5').streetType).toBe('пр-кт');
    expect(parseCallerQuery('просп. Ленина 5').streetType).toBe('пр-кт');
    expect(parseCallerQuery('б-р Культуры 3').streetType).toBe('б-р');
    expect(parseCallerQuery('пер. Красный 4').streetType).toBe('пер');
    expect(parseCallerQuery('мкр. Солнечный 7').streetType).toBe('мкр');
    expect(parts('8 Марта 5')).toEqual(['8 марта', '5', null, null, null]);
  });

  it('reads every written form of an address to the same street, house, korpus, строение and apartment', () => {
    fc.assert(
      fc.property(addressArbitrary, houseWritings, (address, forms) => {
        const text = write(address, forms);
        const query = parseCallerQuery(text, compoundStreets);
        expect(streetOf(query), text).toBe(fold(address.street));
        expect(query.streetType, text).toBe(address.type[1]);
        const house = `${address.house}${address.letter ? fold(address.letter) : ''}${address.slash ? `/${address.slash}` : ''}`;
        expect(query.house, text).toBe(house);
        expect(query.korpus, text).toBe(address.korpus === null ? null : String(address.korpus));
        expect(query.stroenie, text).toBe(address.stroenie === null ? null : String(address.stroenie));
        expect(query.apartment, text).toBe(address.apartment === null ? null : String(address.apartment));
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps a name and an address apart in a mix: "Иванов Ленина 5"', () => {
    const query = parseCallerQuery('Иванов Ленина 5', compoundStreets);
    expect(query.words).toEqual(['иванов', 'ленина']);
    expect(query.wordBeforeHouse).toBe(1);
    expect(query.house).toBe('5');
    const marked = parseCallerQuery('ул. Ленина, Иванов Сергей', compoundStreets);
    expect(marked.streetWords).toEqual(['ленина']);
    expect(marked.words).toEqual(['иванов', 'сергей']);
  });
});

// Letters, digits and the punctuation of addresses: strings a caller or an operator could type.
const typedText = fc
  .array(fc.constantFrom(...'абвгдеёжзийклмнопрстуфхцчшщъыьэюяabcdefklmnopqrstxyz0123456789 .,-/№\'"()+@'), {
    maxLength: 60,
  })
  .map((letters) => letters.join(''));

describe('reading names and identifiers', () => {
  it('never lets ё/е or letter case change the reading', () => {
    fc.assert(
      fc.property(typedText, fc.constantFrom<'upper' | 'title' | 'yo'>('upper', 'title', 'yo'), (text, change) => {
        const changed =
          change === 'upper'
            ? text.toUpperCase()
            : change === 'title'
              ? text.replace(/(^|\s)(\S)/g, (_, space: string, letter: string) => space + letter.toUpperCase())
              : text.replaceAll('ё', 'е');
        expect(parseCallerQuery(changed, compoundStreets)).toEqual(parseCallerQuery(text, compoundStreets));
      }),
      { numRuns: 1_000 },
    );
  });

  it('folds a name to lower case with ё as е, and folding twice changes nothing', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const once = fold(text);
        expect(fold(once)).toBe(once);
        expect(once.includes('ё')).toBe(false);
      }),
    );
    expect(parseCallerQuery('СЕМЁНОВ Пётр').words).toEqual(['семенов', 'петр']);
    expect(parseCallerQuery('Петров-Водкин').words).toEqual(['петров-водкин']);
    expect(parseCallerQuery("О'Брайен").words).toEqual(["о'брайен"]);
  });

  it('reads a phone in any common form, alone or among other words', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999_999_999 }),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        (n, form, mixed) => {
          const digits = `9${String(n).padStart(9, '0')}`;
          const written = [
            `8 ${digits.slice(0, 3)} ${digits.slice(3, 6)}-${digits.slice(6, 8)}-${digits.slice(8)}`,
            `+7 (${digits.slice(0, 3)}) ${digits.slice(3)}`,
            digits,
            `+7${digits}`,
          ][form]!;
          const query = parseCallerQuery(mixed ? `Иванов ${written}` : written);
          expect(query.phones).toContain(`+7${digits}`);
          if (mixed) expect(query.words).toEqual(['иванов']);
        },
      ),
    );
  });

  it('reads an account with or without a space, and a contract with or without its prefix and year', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_000_001, max: 9_999_999 }),
        fc.integer({ min: 2000, max: 2030 }),
        (serial, year) => {
          const account = accountNumberFor(serial);
          expect(parseCallerQuery(account).accountNumbers).toEqual([account]);
          expect(parseCallerQuery(`${account.slice(0, 4)} ${account.slice(4)}`).accountNumbers).toEqual([account]);
          const contract = contractNumberFor(year, serial % 1_000_000 || 1);
          const expected = { year, serial: serial % 1_000_000 || 1 };
          expect(parseCallerQuery(contract).contracts).toContainEqual(expected);
          expect(parseCallerQuery(contract.toLowerCase()).contracts).toContainEqual(expected);
          expect(parseCallerQuery(contract.slice(3)).contracts).toContainEqual(expected);
          expect(parseCallerQuery(contract.slice(8)).contracts).toContainEqual({ year: null, serial: expected.serial });
        },
      ),
    );
  });

  it('never throws, whatever the string, and caps what it reads', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 400 }), fc.string({ maxLength: 400 }), typedText),
        (text) => {
          const query = parseCallerQuery(text, compoundStreets);
          expect(query.words.length).toBeLessThanOrEqual(6);
        },
      ),
      { numRuns: 1_000 },
    );
    for (const text of ['', '   ', '.,;:!?', '%', '_', '.*', '(', '\\', '\u0000\u0007', '\ud800', 'x'.repeat(10_000)]) {
      expect(() => parseCallerQuery(text)).not.toThrow();
    }
  });
});
