import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accountNumberFor,
  accountSerialOf,
  contractNumberFor,
  innFor,
  isValidAccountNumber,
  isValidInn,
  luhnCheckDigit,
  parseContractNumber,
} from './identifiers.js';

const serial = fc.integer({ min: 1_000_001, max: 9_999_999 });

describe('account numbers', () => {
  it('are 8 digits that validate and give their serial back', () => {
    fc.assert(
      fc.property(serial, (s) => {
        const number = accountNumberFor(s);
        expect(number).toMatch(/^\d{8}$/);
        expect(isValidAccountNumber(number)).toBe(true);
        expect(accountSerialOf(number)).toBe(s);
      }),
    );
  });

  it('reject any single mistyped digit', () => {
    fc.assert(
      fc.property(serial, fc.integer({ min: 0, max: 7 }), fc.integer({ min: 1, max: 9 }), (s, position, delta) => {
        const number = accountNumberFor(s);
        const digit = (Number(number[position]) + delta) % 10;
        const typo = number.slice(0, position) + digit + number.slice(position + 1);
        expect(isValidAccountNumber(typo)).toBe(false);
      }),
    );
  });

  it('reject two swapped neighbouring digits unless they are equal or 0 and 9', () => {
    fc.assert(
      fc.property(serial, fc.integer({ min: 0, max: 6 }), (s, position) => {
        const number = accountNumberFor(s);
        const a = number[position] as string;
        const b = number[position + 1] as string;
        fc.pre(a !== b && !((a === '0' && b === '9') || (a === '9' && b === '0')));
        const swapped = number.slice(0, position) + b + a + number.slice(position + 2);
        expect(isValidAccountNumber(swapped)).toBe(false);
      }),
    );
  });

  it('reject anything that is not 8 digits', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!/^\d{8}$/.test(text));
        expect(isValidAccountNumber(text)).toBe(false);
      }),
    );
    expect(isValidAccountNumber('01000001')).toBe(false);
  });

  it('refuse serials outside 1000001..9999999', () => {
    expect(() => accountNumberFor(1_000_000)).toThrow(RangeError);
    expect(() => accountNumberFor(10_000_000)).toThrow(RangeError);
    expect(accountNumberFor(1_000_001)).toBe('10000016');
    // The textbook Luhn example (ISO/IEC 7812-1).
    expect(luhnCheckDigit('7992739871')).toBe(3);
  });
});

describe('contract numbers', () => {
  const year = fc.integer({ min: 1990, max: 2099 });
  const contractSerial = fc.integer({ min: 1, max: 9_999_999 });

  it('format as LD-YYYY-NNNNNN and parse back in every accepted spelling', () => {
    fc.assert(
      fc.property(year, contractSerial, (y, s) => {
        const number = contractNumberFor(y, s);
        expect(number).toMatch(/^LD-\d{4}-\d{6,7}$/);
        const padded = String(s).padStart(6, '0');
        for (const spelling of [
          number,
          number.toLowerCase(),
          `ДВ-${y}-${padded}`,
          `LD ${y} ${padded}`,
          `${y}-${padded}`,
          `${y}${padded}`,
        ]) {
          expect(parseContractNumber(spelling)).toEqual({ year: y, serial: s });
        }
        expect(parseContractNumber(padded)).toEqual({ year: null, serial: s });
        expect(parseContractNumber(` №${number} `)).toEqual({ year: y, serial: s });
      }),
    );
  });

  it('never read an account number or a short number as a contract', () => {
    fc.assert(
      fc.property(serial, (s) => {
        expect(parseContractNumber(accountNumberFor(s))).toBeNull();
      }),
    );
    expect(parseContractNumber('12345')).toBeNull();
    expect(parseContractNumber('LD-2019-')).toBeNull();
    expect(parseContractNumber('LD-1899-012345')).toBeNull();
    expect(parseContractNumber('000000')).toBeNull();
  });

  it('read the serial without its leading zeros after the prefix, or alone when the caller said "договор"', () => {
    fc.assert(
      fc.property(year, contractSerial, (y, s) => {
        for (const spelling of [`LD-${y}-${s}`, `ld ${y} ${s}`, `ДВ-${y}-${s}`]) {
          expect(parseContractNumber(spelling), spelling).toEqual({ year: y, serial: s });
        }
        expect(parseContractNumber(`LD-${s}`)).toEqual({ year: null, serial: s });
        expect(parseContractNumber(String(s), { named: true })).toEqual({ year: null, serial: s });
        expect(parseContractNumber(`${y}-${s}`, { named: true })).toEqual({ year: y, serial: s });
        // Without the prefix or the word, 1-5 digits are a house or a flat, not a contract.
        if (s < 100_000) expect(parseContractNumber(String(s))).toBeNull();
      }),
    );
  });

  it('never throw on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string(), fc.boolean(), (text, named) => {
        const parts = parseContractNumber(text, { named });
        if (parts) expect(parts.serial).toBeGreaterThan(0);
      }),
    );
  });
});

describe('ИНН', () => {
  it('completes 9 or 10 digits to a valid 10- or 12-digit ИНН', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9}$/), fc.stringMatching(/^\d{10}$/), (organisation, person) => {
        expect(isValidInn(innFor(organisation))).toBe(true);
        expect(isValidInn(innFor(person))).toBe(true);
        expect(innFor(organisation)).toHaveLength(10);
        expect(innFor(person)).toHaveLength(12);
      }),
    );
  });

  it('rejects a wrong check digit', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9}$/), fc.integer({ min: 1, max: 9 }), (body, delta) => {
        const inn = innFor(body);
        const wrong = inn.slice(0, 9) + ((Number(inn[9]) + delta) % 10);
        expect(isValidInn(wrong)).toBe(false);
      }),
    );
  });

  it('accepts real published ИНН', () => {
    expect(isValidInn('7707083893')).toBe(true); // Сбербанк
    expect(isValidInn('7736207543')).toBe(true); // Яндекс
    expect(isValidInn('500100732259')).toBe(true);
    expect(isValidInn('7707083894')).toBe(false);
  });
});
