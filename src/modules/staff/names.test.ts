import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { staffNameFrom } from './names.js';

describe('staff names', () => {
  it('are trimmed of spaces and invisible characters at both ends, and stored in NFC', () => {
    expect(staffNameFrom('  Петров-Водкин Кузьма \u200B')).toBe('Петров-Водкин Кузьма');
    expect(staffNameFrom('Семе\u0308нов')).toBe('Семёнов');
    expect(staffNameFrom("О'Брайен Патрик")).toBe("О'Брайен Патрик");
  });

  it.each([
    ['blank', '   '],
    ['empty', ''],
    ['invisible only', '\u200B\u200B'],
    ['a bidi override', 'Иванов\u202Eвонави'],
    ['a bidi isolate', '\u2067Иванов'],
    ['two lines', 'Иванов\nПетров'],
    ['a carriage return', 'Иванов\rПетров'],
    ['a line separator', 'Иванов\u2028Петров'],
    ['a tab', 'Иванов\tПетров'],
    ['no letter', '--- 123'],
  ])('refuse %s with staff.invalid_name', (_what, raw) => {
    expect(() => staffNameFrom(raw)).toThrow(expect.objectContaining({ code: 'staff.invalid_name', status: 400 }));
  });

  it('are idempotent: a stored name passes again unchanged', () => {
    fc.assert(
      fc.property(fc.string(), (raw) => {
        let name: string;
        try {
          name = staffNameFrom(raw);
        } catch {
          return;
        }
        expect(staffNameFrom(name)).toBe(name);
      }),
    );
  });
});
