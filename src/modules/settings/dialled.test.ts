import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dialledKey } from './dialled.js';

describe('the number dialled, as lines are matched by it', () => {
  it('reads a free 8-800 number written with 8, +7, spaces, dashes or brackets as one number', () => {
    for (const written of [
      '8-800-100-20-30',
      '8 800 100 20 30',
      '+7 (800) 100-20-30',
      '+78001002030',
      '78001002030',
      '8001002030',
    ]) {
      expect(dialledKey(written, '343')).toBe('+78001002030');
    }
  });

  it('gives a local number the ISP’s area code', () => {
    expect(dialledKey('300-00-00', '343')).toBe('+73433000000');
    expect(dialledKey('+7 343 300-00-00', '343')).toBe('+73433000000');
  });

  it('keeps menu choices and short service numbers as written', () => {
    expect(dialledKey('1', '343')).toBe('1');
    expect(dialledKey(' 2 ', '343')).toBe('2');
    expect(dialledKey('2#', '343')).toBe('2#');
    expect(dialledKey('0611', '343')).toBe('0611');
    expect(dialledKey('tech', '343')).toBe('tech');
  });

  it('does not take +8 for a Russian number', () => {
    expect(dialledKey('+88001002030', '343')).toBe('+88001002030');
  });

  it('gives the same key to any punctuation of the same digits', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^9\d{9}$/),
        fc.constantFrom('8', '+7', '7'),
        fc.constantFrom(' ', '-', ''),
        (number, prefix, gap) => {
          const written = `${prefix}${gap}${number.slice(0, 3)}${gap}${number.slice(3, 6)}${gap}${number.slice(6)}`;
          expect(dialledKey(written, '343')).toBe(`+7${number}`);
        },
      ),
    );
  });
});
