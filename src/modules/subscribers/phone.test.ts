import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseLocalPhone, normalisePhone } from './phone.js';

const tenDigits = fc.stringMatching(/^9\d{9}$/);

const writtenForms = (ten: string) => {
  const [code, a, b, c] = [ten.slice(0, 3), ten.slice(3, 6), ten.slice(6, 8), ten.slice(8)];
  return [
    `8 ${code} ${a}-${b}-${c}`,
    `+7 (${code}) ${a}${b}${c}`,
    ten,
    `+7${ten}`,
    `8${ten}`,
    `7${ten}`,
    `+7-${code}-${a}-${b}-${c}`,
    ` 8 (${code}) ${a} ${b} ${c} `,
  ];
};

describe('phone normalisation', () => {
  it('reads every common written form of one number as the same E.164 number', () => {
    fc.assert(
      fc.property(tenDigits, (ten) => {
        for (const form of writtenForms(ten)) expect(normalisePhone(form), form).toBe(`+7${ten}`);
      }),
    );
  });

  it('is idempotent: an E.164 number normalises to itself', () => {
    fc.assert(
      fc.property(tenDigits, (ten) => {
        const once = normalisePhone(`+7${ten}`)!;
        expect(normalisePhone(once)).toBe(once);
      }),
    );
  });

  it('never reads a fragment, letters or a foreign prefix as a number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,9}$/), (fragment) => {
        expect(normalisePhone(fragment)).toBeNull();
      }),
    );
    for (const input of [
      '',
      '   ',
      '+8 912 345 67 89',
      '912-345-67-8x',
      'Иванов',
      '+44 20 7946 0958',
      '1'.repeat(50),
    ]) {
      expect(normalisePhone(input), input).toBeNull();
    }
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (input) => {
        const result = normalisePhone(input);
        if (result !== null) expect(result).toMatch(/^\+7\d{10}$/);
      }),
    );
  });
});

describe('a local number said without the area code', () => {
  it("becomes the full number with the ISP's area code, in any usual spelling", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9]\d{6}$/), (local) => {
        const [a, b, c] = [local.slice(0, 3), local.slice(3, 5), local.slice(5)];
        for (const form of [local, `${a}-${b}-${c}`, `${a} ${b} ${c}`, ` ${a}-${b}${c} `]) {
          expect(normaliseLocalPhone(form, '343'), form).toBe(`+7343${local}`);
        }
        expect(normaliseLocalPhone(local, '4952')).toBeNull();
      }),
    );
  });

  it('takes as many local digits as the area code leaves of the 10', () => {
    expect(normaliseLocalPhone('12-34-56', '4952')).toBe('+74952123456');
    expect(normaliseLocalPhone('1-23-45', '38822')).toBe('+73882212345');
    expect(normaliseLocalPhone('990-05-93', '38822')).toBeNull();
  });

  it('is never read from a number of another length, one beginning with 0 (long distance) or text', () => {
    for (const input of ['99005', '99-05-933-1', '0900593', '990-05-9a', '', '+9900593']) {
      expect(normaliseLocalPhone(input, '343'), input).toBeNull();
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (input) => {
        const result = normaliseLocalPhone(input, '343');
        if (result !== null) expect(result).toMatch(/^\+7343\d{7}$/);
      }),
    );
  });
});
