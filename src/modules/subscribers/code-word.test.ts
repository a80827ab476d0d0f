import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  codeWordNeedsRehash,
  codeWordSchemes,
  hashCodeWord,
  hashCodeWordSync,
  normaliseCodeWord,
  sha256CodeWordHash,
  verifyCodeWord,
} from './code-word.js';

describe('code words', () => {
  it('are stored as argon2id hashes and verify as spoken: case, ё and spaces do not matter', async () => {
    const stored = await hashCodeWord('Ёжик в тумане');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(stored).not.toContain('жик');
    for (const spoken of ['Ёжик в тумане', 'ежик в тумане', '  ЕЖИК   В ТУМАНЕ ', 'Е\u0308жик в тумане'])
      expect(await verifyCodeWord(spoken, stored)).toBe(true);
    expect(await verifyCodeWord('ежик в тумане!', stored)).toBe(false);
    expect(codeWordNeedsRehash(stored)).toBe(false);
  });

  it('salt every hash differently, the blocking form as the other', async () => {
    expect(await hashCodeWord('Барсик')).not.toBe(await hashCodeWord('Барсик'));
    expect(await verifyCodeWord('барсик', hashCodeWordSync('Барсик'))).toBe(true);
  });

  it('still verify a stored sha256$salt$hex hash of the first scheme until the word is next set', async () => {
    const old = sha256CodeWordHash('Ёжик в тумане', 'a1b2c3d4e5f60718');
    expect(old).toMatch(/^sha256\$a1b2c3d4e5f60718\$[0-9a-f]{64}$/);
    expect(await verifyCodeWord('ежик в тумане', old)).toBe(true);
    expect(await verifyCodeWord('ежик', old)).toBe(false);
    expect(codeWordNeedsRehash(old)).toBe(true);
  });

  it('verify an imported scheme by its own rule once it has a row, and refuse unknown or malformed ones', async () => {
    const imported = 'plain-for-test$барсик';
    expect(await verifyCodeWord('Барсик', imported)).toBe(false);
    codeWordSchemes['plain-for-test'] = async (normalised, _word, stored) => stored === `plain-for-test$${normalised}`;
    try {
      expect(await verifyCodeWord('Барсик', imported)).toBe(true);
      expect(codeWordNeedsRehash(imported)).toBe(true);
    } finally {
      delete codeWordSchemes['plain-for-test'];
    }
    for (const stored of [
      '',
      'Барсик',
      'sha256$$',
      'sha256$nothex!$00',
      '$argon2id$broken',
      'constructor$x',
      '$toString$x',
    ])
      expect(await verifyCodeWord('Барсик', stored), stored).toBe(false);
    expect(() => sha256CodeWordHash('Барсик', 'bad salt')).toThrow(RangeError);
  });

  it('verify any word against its own first-scheme hash and no other word', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), async (word, other) => {
        const stored = sha256CodeWordHash(word, '0123456789abcdef');
        expect(await verifyCodeWord(word, stored)).toBe(true);
        fc.pre(normaliseCodeWord(word) !== normaliseCodeWord(other));
        expect(await verifyCodeWord(other, stored)).toBe(false);
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
});
