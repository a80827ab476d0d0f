import { afterEach, describe, expect, it } from 'vitest';
import { adoptIspTimeZone } from '../app/timezone.ts';
import { formatDate, formatDateTime, formatDayTime, formatPhone, formatPrice, formatRubles } from './format.ts';

// Intl separates groups with a no-break space and puts one before the sign; compare with plain spaces.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('formatting for the operator', () => {
  it('shows kopecks as rubles the Russian way', () => {
    expect(plain(formatRubles(123456))).toBe('1 234,56 ₽');
    expect(plain(formatRubles(-5000))).toBe('-50,00 ₽');
  });

  it('shows whole-ruble prices without kopecks', () => {
    expect(plain(formatPrice(65000))).toBe('650 ₽');
    expect(plain(formatPrice(65050))).toBe('650,50 ₽');
  });

  it('shows a calendar date as it is, whatever the zone', () => {
    expect(formatDate('2025-01-01')).toBe('01.01.2025');
  });

  it('shows instants in the server’s default zone until it names one (the demo city, UTC+5)', () => {
    // 19:30 UTC on 31 December is already 1 January in Yekaterinburg.
    expect(formatDate('2024-12-31T19:30:00Z')).toBe('01.01.2025');
    expect(formatDateTime('2025-06-01T10:05:00Z')).toBe('01.06.2025, 15:05');
    expect(formatDayTime('2025-06-01T10:05:00Z')).toBe('01.06, 15:05');
  });

  describe('in the zone the server names', () => {
    afterEach(() => adoptIspTimeZone('Asia/Yekaterinburg'));

    it('shows instants in that zone', () => {
      adoptIspTimeZone('Asia/Novosibirsk');
      expect(formatDateTime('2025-06-01T10:05:00Z')).toBe('01.06.2025, 17:05');
    });

    it('keeps the previous zone when the browser does not know the new one', () => {
      adoptIspTimeZone('Mars/Olympus_Mons');
      expect(formatDateTime('2025-06-01T10:05:00Z')).toBe('01.06.2025, 15:05');
    });
  });

  it('groups Russian phone numbers and leaves masked ones alone', () => {
    expect(formatPhone('+79123456789')).toBe('+7 912 345-67-89');
    expect(formatPhone('+7 *** ***-**-89')).toBe('+7 *** ***-**-89');
  });
});
