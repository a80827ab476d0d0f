import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashCodeWord, newCodeWordSalt, normaliseCodeWord, verifyCodeWord } from './code-word.js';

describe('code words', () => {
  it('are stored as sha256$<salt>$<hex> and verify as spoken: case, ё and spaces do not matter', () => {
    const stored = hashCodeWord('Ёжик в тумане', 'a1b2c3d4e5f60718');
    expect(stored).toMatch(/^sha256\$a1b2c3d4e5f60718\$[0-9a-f]{64}$/);
    for (const spoken of ['Ёжик в тумане', 'ежик в тумане', '  ЕЖИК   В ТУМАНЕ '])
      expect(verifyCodeWord(spoken, stored)).toBe(true);
    expect(verifyCodeWord('ежик в тумане!', stored)).toBe(false);
  });

  it('verify any word against its own hash and no other word', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (word, other) => {
        const stored = hashCodeWord(word, newCodeWordSalt());
        expect(verifyCodeWord(word, stored)).toBe(true);
        fc.pre(normaliseCodeWord(word) !== normaliseCodeWord(other));
        expect(verifyCodeWord(other, stored)).toBe(false);
      }),
    );
  });

  it('normalise idempotently', () => {
    fc.assert(
      fc.property(fc.string(), (word) => {
        expect(normaliseCodeWord(normaliseCodeWord(word))).toBe(normaliseCodeWord(word));
      }),
    );
  });

  it('salt every hash differently, and reject malformed stored values', () => {
    expect(hashCodeWord('Барсик', newCodeWordSalt())).not.toBe(hashCodeWord('Барсик', newCodeWordSalt()));
    for (const stored of ['', 'Барсик', 'sha256$$', 'argon2$abc$def', 'sha256$nothex!$00'])
      expect(verifyCodeWord('Барсик', stored)).toBe(false);
    expect(() => hashCodeWord('Барсик', 'bad salt')).toThrow(RangeError);
  });
});
