/**
 * The code word (кодовое слово) a subscriber names to prove it is them. Only a hash is stored,
 * and the stored form names its scheme, so hashes of several schemes live side by side and each
 * verifies by its own rule (`codeWordSchemes`):
 *
 * - `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`: what every word is hashed with when it is set,
 *   like staff passwords (OWASP's argon2id baseline). A code word is short and often a pet's or a
 *   mother's maiden name: a fast hash of one falls to a GPU in seconds, argon2id's memory cost
 *   does not.
 * - `sha256$<salt>$<hex of SHA-256(salt + normalised word)>`: the first scheme. Such hashes still
 *   verify until the word is next set, which stores argon2id.
 *
 * An import from another system brings its hashes with their own scheme name and adds a row to
 * `codeWordSchemes`; nothing else changes.
 *
 * The word is compared as spoken, not as typed: case, ё/е and extra spaces do not matter.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { hash, hashSync, verify } from '@node-rs/argon2';

const argon2Options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function normaliseCodeWord(word: string): string {
  return word.normalize('NFC').trim().toLowerCase().replaceAll('ё', 'е').replace(/\s+/gu, ' ');
}

/**
 * The stored form of a code word as it is set now: argon2id of the normalised word, with a random
 * salt. `salt` only for the demo generator, whose rows must be the same for the same seed.
 */
export function hashCodeWord(word: string, salt?: Uint8Array): Promise<string> {
  return hash(normaliseCodeWord(word), { ...argon2Options, salt });
}

/** The same, blocking: for the demo generator, which hashes each distinct demo word once. */
export function hashCodeWordSync(word: string, salt?: Uint8Array): string {
  return hashSync(normaliseCodeWord(word), { ...argon2Options, salt });
}

const saltPattern = /^[0-9a-f]{8,64}$/;

/** The first scheme's form, kept so its hashes verify and tests can write them. */
export function sha256CodeWordHash(word: string, salt: string): string {
  if (!saltPattern.test(salt)) throw new RangeError('code word salt must be 8-64 lower-case hex digits');
  const digest = createHash('sha256')
    .update(salt + normaliseCodeWord(word), 'utf8')
    .digest('hex');
  return `sha256$${salt}$${digest}`;
}

type Verifier = (normalisedWord: string, word: string, stored: string) => Promise<boolean>;

/** One row per scheme a stored code word may carry, by the name its stored form starts with. */
export const codeWordSchemes: Record<string, Verifier> = {
  argon2id: async (normalised, _word, stored) => {
    try {
      return await verify(stored, normalised);
    } catch {
      return false;
    }
  },
  sha256: async (_normalised, word, stored) => {
    const [, salt] = stored.split('$');
    if (!salt || !saltPattern.test(salt)) return false;
    const expected = Buffer.from(sha256CodeWordHash(word, salt));
    const actual = Buffer.from(stored);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  },
};

/** The scheme a stored form names: `$argon2id$…` (PHC string format) or `sha256$…`. */
export function codeWordSchemeOf(stored: string): string | undefined {
  const name = stored.startsWith('$') ? stored.split('$')[1] : stored.split('$')[0];
  return name && Object.hasOwn(codeWordSchemes, name) ? name : undefined;
}

/** True when `word` is the code word behind `stored`; false for a malformed hash or an unknown scheme. */
export async function verifyCodeWord(word: string, stored: string): Promise<boolean> {
  const scheme = codeWordSchemeOf(stored);
  if (!scheme) return false;
  return (codeWordSchemes[scheme] as Verifier)(normaliseCodeWord(word), word, stored);
}

/** An older scheme's hash: replace it with `hashCodeWord` when the word is next set. */
export function codeWordNeedsRehash(stored: string): boolean {
  return codeWordSchemeOf(stored) !== 'argon2id';
}
