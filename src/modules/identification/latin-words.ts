/**
 * Latin letters in a caller's words, as the Cyrillic words they may stand for
 * (docs/identification.md, "Latin and the wrong keyboard layout"): a word typed with the keyboard
 * left in the QWERTY layout ("Bdfyjd" is Иванов on the ЙЦУКЕН keys), or transliterated as a
 * passport, a bank card or an e-mail address writes it ("Ivanov", "Martynova Yuliya", "Iuliia",
 * "Julia"). Only candidates: which one is a name or a street is for the vocabularies to say.
 */

// The keys of the Russian ЙЦУКЕН layout under the US QWERTY ones (ГОСТ 6431-90 / the Windows
// layout): the punctuation keys right of the letters are letters there (б ю ж э х ъ ё), and "/" is ".".
const qwerty = "qwertyuiop[]asdfghjkl;'zxcvbnm,./`";
const йцукен = 'йцукенгшщзхъфывапролджэячсмитьбю.ё';
const layoutKey = new Map([...qwerty].map((key, at) => [key, йцукен[at]!]));

/** Characters that are letters in the wrong layout: a Latin word may carry them ("Cth,byf" is Сербина). */
export const layoutLetters = /[a-z[\];'`,./]/;

/** The word as if it had been typed on the Russian layout: "bdfyjd" → "иванов". Lower case in, lower case out. */
export function fromWrongLayout(word: string): string {
  let out = '';
  for (const char of word) out += layoutKey.get(char) ?? char;
  return out;
}

/**
 * Latin spellings of Cyrillic sounds, longest first, each with its readings most usual first:
 * ГОСТ 7.79-2000 (system B: shh, x, cz, y'), the passport's ICAO transliteration (Iuliia, Ilia,
 * Khabibullin) and
 * the common English and German habits (Yulia, Julia, Schukin, Tsvetkov, Tcvetkov).
 */
const spellings: [latin: string, cyrillic: string[]][] = [
  ['shch', ['щ']],
  ['shh', ['щ']],
  ['sch', ['щ', 'ш']],
  ['zh', ['ж']],
  ['kh', ['х']],
  ['ch', ['ч']],
  ['sh', ['ш']],
  ['ts', ['ц', 'тс']],
  ['tc', ['ц']],
  ['tz', ['ц']],
  ['cz', ['ц']],
  ['yu', ['ю']],
  ['iu', ['ю']],
  ['ju', ['ю']],
  ['ya', ['я', 'ья', 'ия']],
  ['ia', ['ия', 'я', 'ья']],
  ['ja', ['я']],
  ['yo', ['е', 'ье']],
  ['jo', ['е']],
  ['ye', ['е', 'ье']],
  ['je', ['е']],
  ['ie', ['ие', 'ье']],
  ['iy', ['ий']],
  ['yy', ['ый', 'ий']],
  ["y'", ['ы']],
  ["e'", ['э']],
  ['ij', ['ий']],
  ['ii', ['ий', 'ии']],
  ['ei', ['ей']],
  ['ey', ['ей']],
  ['ay', ['ай']],
  ['oy', ['ой']],
  ['uy', ['уй']],
  ['a', ['а']],
  ['b', ['б']],
  ['c', ['ц', 'к']],
  ['d', ['д']],
  ['e', ['е', 'э']],
  ['f', ['ф']],
  ['g', ['г']],
  ['h', ['х', 'г']],
  ['i', ['и', 'ы', 'й']],
  ['j', ['й', 'ж']],
  ['k', ['к']],
  ['l', ['л']],
  ['m', ['м']],
  ['n', ['н']],
  ['o', ['о']],
  ['p', ['п']],
  ['q', ['к']],
  ['r', ['р']],
  ['s', ['с']],
  ['t', ['т']],
  ['u', ['у']],
  ['v', ['в']],
  ['w', ['в']],
  ['x', ['кс', 'х']],
  ['y', ['ы', 'й', 'и']],
  ['z', ['з']],
  ["'", ['ь', '']],
  ['`', ['ь', '']],
];

// A word of 30 letters has thousands of spellings; the first ones, most usual readings first, are
// the ones a caller means, and an exact look-up of each costs microseconds.
const MAX_SPELLINGS = 512;

/**
 * The Cyrillic words a transliterated word may be, most usual reading first: "ivanov" → иванов;
 * "yuliya", "iuliia", "julia" → юлия among a few others. Lower case in; at most 512.
 */
export function fromTransliteration(word: string): string[] {
  // Every segmentation: "iuliia" is iu-l-ii-a and iu-l-i-ia (юлия); longer spellings tried first.
  const readings = new Set<string>();
  const walk = (at: number, reading: string) => {
    if (readings.size >= MAX_SPELLINGS) return;
    if (at === word.length) {
      readings.add(reading);
      return;
    }
    let matched = false;
    for (const [latin, options] of spellings) {
      if (!word.startsWith(latin, at)) continue;
      matched = true;
      for (const option of options) walk(at + latin.length, reading + option);
    }
    if (!matched) walk(at + 1, reading + word[at]);
  };
  walk(0, '');
  return [...readings];
}

/**
 * The Cyrillic words a Latin word may be: the wrong layout first (a whole word of Latin keys that
 * reads as Cyrillic is rarely a transliteration), then the transliterations. A word with
 * punctuation keys in it ("cth,byf") can only be the wrong layout.
 */
export function cyrillicCandidates(word: string): string[] {
  const lower = word.toLowerCase();
  // Folded like every word read (ё → е), so the vocabularies' words compare equal.
  const layout = fromWrongLayout(lower).replace(/\.+$/, '').replaceAll('ё', 'е');
  if (/[[\];,./]/.test(lower.replace(/[.,]+$/, ''))) return [layout];
  return [...new Set([layout, ...fromTransliteration(lower.replace(/[.,]+$/, ''))])];
}
