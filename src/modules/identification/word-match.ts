/**
 * Matching a word the caller said against a vocabulary's words: the optimal string alignment
 * distance and the typos it allows by word length (docs/identification.md, "Matching a word").
 * Pure: the words come from vocabulary.ts, a few thousand in memory, so a typo costs microseconds.
 */

export interface WordMatch {
  word: string;
  /** 1 for an exact match, less for a prefix or a typo. */
  quality: number;
  distance: number;
}

// Rows of the distance table, reused: matching a query runs it against thousands of words.
let rows = [new Int32Array(32), new Int32Array(32), new Int32Array(32)];

/**
 * Optimal string alignment distance (Damerau–Levenshtein without re-editing a substring): a
 * swap of two neighbouring letters ("ивнаов") costs 1, as callers and operators make it, where
 * plain Levenshtein and trigrams charge 2. Stops early once `limit` is exceeded and then returns
 * `limit + 1`.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (a === b) return 0;
  const cols = b.length + 1;
  if (rows[0]!.length < cols) rows = [new Int32Array(cols * 2), new Int32Array(cols * 2), new Int32Array(cols * 2)];
  let [beforePrevious, previous, current] = rows as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j < cols; j++) previous[j] = j;
  // Only cells within `limit` of the diagonal can stay within the limit: the rest count as beyond it.
  const band = Number.isFinite(limit) ? limit : a.length + cols;
  const beyond = cols + a.length + 1;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - band);
    const to = Math.min(cols - 1, i + band);
    current[0] = i;
    if (from > 1) current[from - 1] = beyond;
    let rowMin = from === 1 ? i : beyond;
    const letter = a.charCodeAt(i - 1);
    for (let j = from; j <= to; j++) {
      const cost = letter === b.charCodeAt(j - 1) ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && letter === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        value = Math.min(value, beforePrevious[j - 2]! + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (to < cols - 1) current[to + 1] = beyond;
    if (rowMin > limit) return limit + 1;
    [beforePrevious, previous, current] = [previous, current, beforePrevious];
  }
  const distance = previous[cols - 1]!;
  return distance > limit ? limit + 1 : distance;
}

/**
 * Typos allowed for a word of this length: none for short words (Ли, Ким, Ус), where one letter
 * is a different name; one up to six letters; two from seven.
 */
export function typoAllowance(length: number): number {
  if (length <= 3) return 0;
  if (length <= 6) return 1;
  return 2;
}

const qualityOfDistance = (distance: number) => (distance === 0 ? 1 : distance === 1 ? 0.8 : 0.6);
/** A prefix that names a few words is a reading ("кузнец" → Кузнецов, Кузнецова); one that names hundreds is not. */
const MAX_PREFIX_WORDS = 30;

export interface MatchOptions {
  /** Also words the token begins, from 3 letters (an operator typing "кузнец"). Default true. */
  prefix?: boolean;
  /**
   * Also the words within the typo allowance when the token is itself a word: "Ларин" said for
   * Лапин. Used only when the exact reading found nobody.
   */
  neighbours?: boolean;
}

/**
 * The vocabulary words that `token` may stand for, best first: the exact word alone when there
 * is one; otherwise the words at the smallest edit distance within the allowance, and the words
 * the token begins.
 */
export function matchWord(token: string, words: readonly string[], options: MatchOptions = {}): WordMatch[] {
  if (token.length === 0) return [];
  const index = indexOfWords(words);
  const exact = index.known.has(token);
  if (exact && !options.neighbours) return [{ word: token, quality: 1, distance: 0 }];
  const allowance = typoAllowance(token.length);
  // Words are visited shortest first but reported in vocabulary order, as a plain scan would.
  const byPrefix: { match: WordMatch; at: number }[] = [];
  if (options.prefix !== false && token.length >= 3) {
    for (let length = token.length + 1; length < index.byLength.length; length++) {
      for (const at of index.byLength[length] ?? []) {
        if (words[at]!.startsWith(token)) byPrefix.push({ match: { word: words[at]!, quality: 0.7, distance: 0 }, at });
      }
    }
  }
  let best = allowance;
  let byDistance: { match: WordMatch; at: number }[] = [];
  if (allowance > 0) {
    const longest = Math.min(index.byLength.length - 1, token.length + allowance);
    for (let length = Math.max(1, token.length - allowance); length <= longest; length++) {
      for (const at of index.byLength[length] ?? []) {
        const word = words[at]!;
        if (word === token) continue;
        const limit = options.neighbours ? allowance : best;
        const distance = editDistance(token, word, limit);
        if (distance > limit) continue;
        if (!options.neighbours && distance < best) {
          best = distance;
          byDistance = byDistance.filter((found) => found.match.distance <= distance);
        }
        byDistance.push({ match: { word, quality: qualityOfDistance(distance), distance }, at });
      }
    }
  }
  const inOrder = (found: { match: WordMatch; at: number }[]) =>
    found.sort((a, b) => a.match.distance - b.match.distance || a.at - b.at).map((entry) => entry.match);
  const closest = inOrder(
    options.neighbours ? byDistance : byDistance.filter((found) => found.match.distance === best),
  );
  const prefixes = byPrefix.length <= MAX_PREFIX_WORDS ? inOrder(byPrefix) : [];
  const matches: WordMatch[] = exact ? [{ word: token, quality: 1, distance: 0 }] : [];
  const seen = new Set(matches.map((match) => match.word));
  for (const match of [...closest, ...prefixes]) {
    if (!seen.has(match.word)) {
      seen.add(match.word);
      matches.push(match);
    }
  }
  return matches;
}

interface WordIndex {
  known: Set<string>;
  /** Positions in the word list by word length: a typo changes the length by at most the allowance. */
  byLength: number[][];
}

// Built once per word list: the vocabulary's lists are replaced, never changed in place.
const wordIndexes = new WeakMap<readonly string[], WordIndex>();

function indexOfWords(words: readonly string[]): WordIndex {
  let index = wordIndexes.get(words);
  if (!index) {
    const byLength: number[][] = [];
    words.forEach((word, at) => {
      const sameLength = byLength[word.length];
      if (sameLength) sameLength.push(at);
      else byLength[word.length] = [at];
    });
    index = { known: new Set(words), byLength };
    wordIndexes.set(words, index);
  }
  return index;
}

/** Whether `token` is exactly one of `words` (a set look-up, the set built once per list). */
export const isVocabularyWord = (token: string, words: readonly string[]) => indexOfWords(words).known.has(token);

/** Whether `said` is `word` with at most the typos its length allows (docs/identification.md, "Matching a word"). */
export function isTypoOf(said: string, word: string): boolean {
  const allowed = typoAllowance(word.length);
  return editDistance(said, word, allowed) <= allowed;
}
