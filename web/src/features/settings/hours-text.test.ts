import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysWithSameHours, formatHours, parseHours } from './hours-text.ts';

describe('a day’s hours as typed', () => {
  it('reads one or several intervals, with any dash, and nothing as a day off', () => {
    expect(parseHours('08:00-22:00')).toEqual({ intervals: [{ from: '08:00', to: '22:00' }] });
    expect(parseHours(' 14:00 – 18:00, 9:00—13:00 ')).toEqual({
      intervals: [
        { from: '09:00', to: '13:00' },
        { from: '14:00', to: '18:00' },
      ],
    });
    expect(parseHours('')).toEqual({ intervals: [] });
    expect(parseHours('00:00-24:00')).toEqual({ intervals: [{ from: '00:00', to: '24:00' }] });
  });

  it('refuses what the server would refuse', () => {
    expect(parseHours('8-22')).toEqual({ error: 'format' });
    expect(parseHours('25:00-26:00')).toEqual({ error: 'format' });
    expect(parseHours('24:30-24:40')).toEqual({ error: 'format' });
    expect(parseHours('22:00-08:00')).toEqual({ error: 'order' });
    expect(parseHours('24:00-24:00')).toEqual({ error: 'order' });
    expect(parseHours('08:00-14:00, 13:00-22:00')).toEqual({ error: 'overlap' });
  });

  it('reads back what it writes', () => {
    const time = fc
      .integer({ min: 0, max: 47 })
      .map((half) => `${String(Math.floor(half / 2)).padStart(2, '0')}:${half % 2 ? '30' : '00'}`);
    fc.assert(
      fc.property(fc.uniqueArray(time, { minLength: 0, maxLength: 6 }), (times) => {
        const sorted = [...times].sort();
        const intervals = [];
        for (let i = 0; i + 1 < sorted.length; i += 2)
          intervals.push({ from: sorted[i] as string, to: sorted[i + 1] as string });
        expect(parseHours(formatHours(intervals))).toEqual({ intervals });
      }),
    );
  });
});

describe('a week’s hours in short', () => {
  it('folds days with the same hours into runs', () => {
    const nine = [{ from: '09:00', to: '18:00' }];
    expect(daysWithSameHours({ 1: nine, 2: nine, 3: nine, 4: nine, 5: nine, 6: [], 7: [] })).toEqual([
      { first: 1, last: 5, hours: '09:00–18:00' },
      { first: 6, last: 7, hours: '' },
    ]);
  });
});
