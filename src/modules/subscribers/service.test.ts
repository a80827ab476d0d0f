import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeListCursor, encodeListCursor, prefixUpperBound } from './service.js';

const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('prefixUpperBound', () => {
  it('bounds exactly the strings that start with the prefix, in byte order', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (prefix, rest) => {
        const upper = prefixUpperBound(prefix);
        if (upper === null) return;
        expect(byBytes(prefix + rest, upper)).toBeLessThan(0);
        expect(byBytes(upper, prefix)).toBeGreaterThan(0);
        expect(upper.startsWith(prefix)).toBe(false);
      }),
    );
  });

  it('moves the last letter on: "ив" ends before "иг"', () => {
    expect(prefixUpperBound('ив')).toBe('иг');
    expect(prefixUpperBound('12')).toBe('13');
  });
});

describe('list cursors', () => {
  it('read back what they were written from', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('after' as const, 'before' as const),
        fc.string({ maxLength: 200, unit: 'grapheme' }).filter((text) => !text.includes('\u0000')),
        fc.integer({ min: 1, max: 2_147_483_647 }),
        fc.integer({ min: 1, max: 2_147_483_647 }),
        (direction, sortKey, subscriberId, accountId) => {
          const cursor = { direction, sortKey, subscriberId, accountId };
          expect(decodeListCursor(encodeListCursor(cursor))).toEqual(cursor);
        },
      ),
    );
  });

  it('refuse anything else with subscriber.bad_cursor', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60 }), (text) => {
        try {
          const cursor = decodeListCursor(Buffer.from(text).toString('base64url'));
          expect(decodeListCursor(encodeListCursor(cursor))).toEqual(cursor);
        } catch (error) {
          expect((error as { code?: string }).code).toBe('subscriber.bad_cursor');
        }
      }),
    );
  });
});
