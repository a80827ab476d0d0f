import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildVocabulary } from './vocabulary.js';
import { editDistance, matchWord, typoAllowance } from './word-match.js';

const word = fc
  .array(fc.constantFrom(...'абвгдежзиклмнопрстуфхцчшыэюя'), { minLength: 0, maxLength: 12 })
  .map((letters) => letters.join(''));

/** Plain Levenshtein, the reference the OSA distance may only undercut by counting swaps as one. */
function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

describe('edit distance (optimal string alignment)', () => {
  it('is zero exactly for equal words and symmetric', () => {
    fc.assert(
      fc.property(word, word, (a, b) => {
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, b) === 0).toBe(a === b);
      }),
      { numRuns: 2_000 },
    );
  });

  it('charges a swap of two neighbouring letters 1, where Levenshtein charges 2', () => {
    fc.assert(
      fc.property(word, fc.nat(), (text, at) => {
        fc.pre(text.length >= 2);
        const i = at % (text.length - 1);
        fc.pre(text[i] !== text[i + 1]);
        const swapped = text.slice(0, i) + text[i + 1] + text[i] + text.slice(i + 2);
        expect(editDistance(text, swapped)).toBe(1);
      }),
    );
    expect(editDistance('иванов', 'ивнаов')).toBe(1);
    expect(levenshtein('иванов', 'ивнаов')).toBe(2);
  });

  it('never exceeds Levenshtein, and stays within one of a single insertion, deletion or substitution', () => {
    fc.assert(
      fc.property(word, word, (a, b) => {
        expect(editDistance(a, b)).toBeLessThanOrEqual(levenshtein(a, b));
        expect(editDistance(a, b)).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
      }),
      { numRuns: 2_000 },
    );
    fc.assert(
      fc.property(word, fc.nat(), fc.constantFrom(...'абвгд'), (text, at, letter) => {
        const i = at % (text.length + 1);
        expect(editDistance(text, text.slice(0, i) + letter + text.slice(i))).toBe(1);
        if (text.length > 0) {
          const j = at % text.length;
          expect(editDistance(text, text.slice(0, j) + text.slice(j + 1))).toBe(1);
          expect(editDistance(text, text.slice(0, j) + letter + text.slice(j + 1))).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('stops at the limit and says "more than the limit"', () => {
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 3 }), (a, b, limit) => {
        const full = editDistance(a, b);
        expect(editDistance(a, b, limit)).toBe(full <= limit ? full : limit + 1);
      }),
      { numRuns: 2_000 },
    );
    // Near words too, where the limit decides: a word and itself after up to three edits.
    const edited = fc
      .tuple(
        word,
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'swap'), fc.constantFrom(...'ае')), {
          maxLength: 3,
        }),
      )
      .map(([text, edits]) => {
        let out = text;
        for (const [at, edit, letter] of edits) {
          const i = at % (out.length + 1);
          if (edit === 'insert') out = out.slice(0, i) + letter + out.slice(i);
          else if (edit === 'delete') out = out.slice(0, i) + out.slice(i + 1);
          else if (i + 1 < out.length) out = out.slice(0, i) + out[i + 1] + out[i] + out.slice(i + 2);
        }
        return [text, out] as const;
      });
    fc.assert(
      fc.property(edited, fc.integer({ min: 0, max: 3 }), ([a, b], limit) => {
        const full = editDistance(a, b);
        expect(full).toBeLessThanOrEqual(levenshtein(a, b));
        expect(editDistance(a, b, limit)).toBe(full <= limit ? full : limit + 1);
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('matching a word against a vocabulary', () => {
  const surnames = ['иванов', 'иванова', 'ивановский', 'кузнецов', 'кузнецова', 'ли', 'лин', 'ким', 'лапин', 'ларин'];

  it('finds Иванов from "ивнаов" and from a wrong, missing or doubled letter', () => {
    for (const typo of ['ивнаов', 'иванов', 'иваов', 'ивванов', 'иваков']) {
      expect(matchWord(typo, surnames)[0]?.word, typo).toBe('иванов');
    }
  });

  it('returns the exact word alone when there is one', () => {
    expect(matchWord('иванова', surnames)).toEqual([{ word: 'иванова', quality: 1, distance: 0 }]);
  });

  it('allows no typo in a short word: Ли is not Лин, Ким is not Кит', () => {
    expect(typoAllowance(2)).toBe(0);
    expect(typoAllowance(3)).toBe(0);
    expect(matchWord('ли', surnames).map((match) => match.word)).toEqual(['ли']);
    expect(matchWord('кит', surnames)).toEqual([]);
  });

  it('reads a beginning as the words it begins, while they are few', () => {
    const words = matchWord('кузнец', surnames).map((match) => match.word);
    expect(words).toEqual(expect.arrayContaining(['кузнецов', 'кузнецова']));
    const many = Array.from({ length: 40 }, (_, i) => `кузнец${'абвгдежзиклмнопрстуфхцчшщыэюяабвгдежзик'[i]}ов`);
    expect(matchWord('кузнец', many, { prefix: true }).filter((match) => match.quality === 0.7)).toEqual([]);
  });

  it('gives the neighbours of an existing word on request ("Ларин" said for Лапин)', () => {
    const found = matchWord('ларин', surnames, { neighbours: true }).map((match) => match.word);
    expect(found[0]).toBe('ларин');
    expect(found).toContain('лапин');
  });

  it('keeps the closest matches only, best first', () => {
    fc.assert(
      fc.property(word, (token) => {
        const matches = matchWord(token, surnames, { prefix: false });
        const distances = matches.map((match) => match.distance);
        expect(new Set(distances).size).toBeLessThanOrEqual(1);
        for (const match of matches) expect(match.distance).toBeLessThanOrEqual(typoAllowance(token.length));
      }),
    );
  });

  it('finds what a plain scan of the whole vocabulary finds, in the same order', () => {
    // The rule written as simply as it reads: every word, in vocabulary order.
    const plainScan = (token: string, words: string[], neighbours: boolean, prefix: boolean) => {
      if (!neighbours && words.includes(token)) return [{ word: token, quality: 1, distance: 0 }];
      const allowance = typoAllowance(token.length);
      const near = words
        .filter((w) => w !== token)
        .map((w) => ({ word: w, distance: editDistance(token, w) }))
        .filter((m) => allowance > 0 && m.distance <= allowance);
      const closest = Math.min(...near.map((m) => m.distance));
      const typos = near
        .filter((m) => neighbours || m.distance === closest)
        .sort((a, b) => a.distance - b.distance)
        .map((m) => ({ ...m, quality: m.distance === 1 ? 0.8 : 0.6 }));
      const begun =
        prefix && token.length >= 3 ? words.filter((w) => w.length > token.length && w.startsWith(token)) : [];
      const prefixes = begun.length <= 30 ? begun.map((w) => ({ word: w, quality: 0.7, distance: 0 })) : [];
      const all = [...(words.includes(token) ? [{ word: token, quality: 1, distance: 0 }] : []), ...typos, ...prefixes];
      return all.filter((m, i) => all.findIndex((other) => other.word === m.word) === i);
    };
    const short = fc
      .array(fc.constantFrom(...'абвео'), { minLength: 1, maxLength: 8 })
      .map((letters) => letters.join(''));
    fc.assert(
      fc.property(
        fc.uniqueArray(short, { maxLength: 60 }),
        short,
        fc.boolean(),
        fc.boolean(),
        (words, token, neighbours, prefix) => {
          expect(matchWord(token, words, { neighbours, prefix })).toEqual(plainScan(token, words, neighbours, prefix));
        },
      ),
      { numRuns: 3_000 },
    );
  });
});

describe('the vocabulary of a city', () => {
  it('knows each word of a several-word street, and the buildings of each street', () => {
    const vocabulary = buildVocabulary(
      [{ kind: 'surname', word: 'иванов', subscribers: 3 }],
      [
        { id: 1, city: 'Екатеринбург', street_type: 'ул', name: 'Карла Маркса' },
        { id: 2, city: 'Екатеринбург', street_type: 'ул', name: '40-летия Октября' },
        { id: 3, city: 'Екатеринбург', street_type: 'ул', name: 'Толмачёва' },
      ],
      [
        { id: 10, street_id: 1, house: '5', korpus: '2', stroenie: null, litera: null },
        { id: 11, street_id: 3, house: '7А', korpus: null, stroenie: null, litera: null },
      ],
    );
    expect(vocabulary.streetNameParts.get('маркса')).toEqual(['карла маркса']);
    expect(vocabulary.streetNameParts.has('летия')).toBe(false);
    expect(vocabulary.streetNames).toContain('толмачева');
    expect(vocabulary.compoundStreets).toEqual(['40-летия октября', 'карла маркса']);
    expect(vocabulary.buildingsByStreet.get(1)?.map((building) => building.id)).toEqual([10]);
    expect(vocabulary.counts.surname.get('иванов')).toBe(3);
  });
});
