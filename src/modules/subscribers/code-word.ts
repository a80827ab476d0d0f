/**
 * The code word (кодовое слово) a subscriber names to prove it is them. Only a salted hash is
 * stored: `sha256$<salt>$<hex of SHA-256(salt + normalised word)>`.
 *
 * Why not argon2 like staff passwords: the demo generator writes up to a million of them, and
 * argon2 at ~50 ms each would take hours. The word is read out over the phone and checked by an
 * operator; the guessing limit is the hotline itself, not the hash's cost. The `sha256$` prefix
 * leaves room for a slower scheme later, told apart by its prefix.
 *
 * The word is compared as spoken, not as typed: case, ё/е and extra spaces do not matter.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const SCHEME = 'sha256';

export function normaliseCodeWord(word: string): string {
  return word.normalize('NFC').trim().toLowerCase().replaceAll('ё', 'е').replace(/\s+/gu, ' ');
}

export function newCodeWordSalt(): string {
  return randomBytes(8).toString('hex');
}

export function hashCodeWord(word: string, salt: string): string {
  if (!/^[0-9a-f]{8,64}$/.test(salt)) throw new RangeError('code word salt must be 8-64 lower-case hex digits');
  const digest = createHash('sha256')
    .update(salt + normaliseCodeWord(word), 'utf8')
    .digest('hex');
  return `${SCHEME}$${salt}$${digest}`;
}

/** True when `word` is the code word behind `stored`; false for a malformed or unknown hash. */
export function verifyCodeWord(word: string, stored: string): boolean {
  const [scheme, salt, digest] = stored.split('$');
  if (scheme !== SCHEME || !salt || !digest || !/^[0-9a-f]{8,64}$/.test(salt)) return false;
  const expected = Buffer.from(hashCodeWord(word, salt));
  const actual = Buffer.from(stored);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
