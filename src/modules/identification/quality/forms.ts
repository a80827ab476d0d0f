import type { Random } from '../../../demo-data/random.js';
import type { SubscriberFacts } from './subscriber-facts.js';

/** The project's seeded generator: the set is the same for the same data and seed. */
export type Draw = Random;

/**
 * The ways callers say things, for the labelled query set (labelled-set.ts): typos of each
 * kind, street types and house numbers in their usual spellings, phone forms, casing.
 */

// ---------------------------------------------------------------------------------------------
// Ways of saying things.

const LETTERS = 'абвгдежзийклмнопрстуфхцчшщыэюя';
export type TypoKind = 'wrong' | 'missing' | 'doubled' | 'swapped';
export const typoKinds: readonly TypoKind[] = ['wrong', 'missing', 'doubled', 'swapped'];

/** One typo of the kind asked, never at the first letter (callers spell the start right most often). */
export function typo(word: string, kind: TypoKind, draw: Draw): string {
  const letters = [...word];
  if (letters.length < 3) return word;
  const at = 1 + draw.int(0, letters.length - 2);
  switch (kind) {
    case 'wrong': {
      const current = letters[at]!.toLowerCase();
      const options = [...LETTERS].filter((letter) => letter !== current);
      letters[at] = options[draw.int(0, options.length - 1)]!;
      break;
    }
    case 'missing':
      letters.splice(at, 1);
      break;
    case 'doubled':
      letters.splice(at, 0, letters[at]!);
      break;
    case 'swapped': {
      let i = Math.min(at, letters.length - 2);
      for (let tries = 0; tries < letters.length && letters[i] === letters[i + 1]; tries++) {
        i = 1 + ((i - 1 + 1) % (letters.length - 2));
      }
      [letters[i], letters[i + 1]] = [letters[i + 1]!, letters[i]!];
      break;
    }
  }
  return letters.join('');
}

/** Typos only in words of 5 letters and more: a 3-letter name with a typo is another name (docs). */
export const TYPO_MIN_LENGTH = 5;

const typeForms: Record<string, string[]> = {
  ул: ['', '', 'ул.', 'ул', 'улица'],
  'пр-кт': ['', 'пр-кт', 'просп.', 'проспект', 'пр.'],
  пер: ['', 'пер.', 'переулок'],
  'б-р': ['', 'б-р', 'бульвар', 'бул.'],
  ш: ['', 'ш.', 'шоссе'],
  наб: ['', 'наб.', 'набережная'],
  пл: ['', 'пл.', 'площадь'],
  мкр: ['', 'мкр.', 'мкр', 'микрорайон', 'мкрн'],
  проезд: ['', 'проезд', 'пр-д'],
};

export interface Said {
  text: string;
  /** The caller named the street's type, so only that type fits. */
  typed: boolean;
}

export function streetText(facts: SubscriberFacts, draw: Draw, options: { typed?: boolean; name?: string } = {}): Said {
  const forms = typeForms[facts.streetType] ?? [''];
  const named = forms.filter(Boolean);
  const form = options.typed ? draw.pick(named.length ? named : forms) : draw.pick(forms);
  const name = options.name ?? facts.street;
  if (!form) return { text: name, typed: false };
  return { text: draw.chance(0.2) ? `${name} ${form}` : `${form} ${name}`, typed: true };
}

/** The house with its korpus, строение or litera in one of the ways people write them. */
function houseText(facts: SubscriberFacts, draw: Draw, withPrefix = draw.chance(0.3)): string {
  const house = facts.house;
  let text = house;
  if (facts.korpus) {
    text = draw.pick([
      `${house}к${facts.korpus}`,
      `${house} к${facts.korpus}`,
      `${house} корп. ${facts.korpus}`,
      `${house}, корп. ${facts.korpus}`,
      `${house} корпус ${facts.korpus}`,
    ]);
  } else if (facts.stroenie) {
    text = draw.pick([
      `${house} стр. ${facts.stroenie}`,
      `${house}с${facts.stroenie}`,
      `${house} строение ${facts.stroenie}`,
    ]);
  } else if (facts.litera) {
    text = draw.pick([
      `${house}${facts.litera}`,
      `${house} лит. ${facts.litera}`,
      `${house}${facts.litera.toLowerCase()}`,
    ]);
  }
  return withPrefix ? `${draw.pick(['д.', 'д', 'дом'])} ${text}` : text;
}

export function addressText(
  facts: SubscriberFacts,
  draw: Draw,
  apartment: boolean,
  street = streetText(facts, draw),
): Said {
  const house = houseText(facts, draw);
  if (!apartment || !facts.apartment)
    return { text: `${street.text}${draw.chance(0.3) ? ',' : ''} ${house}`, typed: street.typed };
  const simpleHouse = !/\s|к|с|лит/.test(house);
  const form = draw.int(0, simpleHouse ? 4 : 3);
  const text =
    form === 0
      ? `${street.text} ${house} кв ${facts.apartment}`
      : form === 1
        ? `${street.text}, ${house}, кв. ${facts.apartment}`
        : form === 2
          ? `${street.text} ${house} квартира ${facts.apartment}`
          : form === 3
            ? `${street.text} ${house} кв.${facts.apartment}`
            : `${street.text} ${house}-${facts.apartment}`;
  return { text, typed: street.typed };
}

export const phoneForms = (e164: string) => {
  const d = e164.slice(2);
  return [
    `8 ${d.slice(0, 3)} ${d.slice(3, 6)}-${d.slice(6, 8)}-${d.slice(8)}`,
    `+7 (${d.slice(0, 3)}) ${d.slice(3)}`,
    d,
    e164,
  ];
};

export function casing(text: string, draw: Draw): string {
  const roll = draw.next();
  if (roll < 0.4) return text.toLowerCase();
  if (roll < 0.5) return text.toUpperCase();
  return text;
}

export const yoToYe = (text: string) => text.replaceAll('ё', 'е').replaceAll('Ё', 'Е');

// ---------------------------------------------------------------------------------------------
// Latin letters: the passport's transliteration (ICAO, since 2013), ГОСТ 7.79-2000 system B, the
// common English habit, and the Russian words typed with the keyboard left in the QWERTY layout.

export type LatinStyle = 'passport' | 'gost' | 'common';
export const latinStyles: readonly LatinStyle[] = ['passport', 'gost', 'common'];

// Each style's Latin for а б в г д е ё ж з и й к л м н о п р с т у ф х ц ч ш щ ъ ы ь э ю я ("-": nothing).
const cyrillicAlphabet = [...'абвгдеёжзийклмнопрстуфхцчшщъыьэюя'];
const latinOf = (letters: string) =>
  Object.fromEntries(letters.split(' ').map((latin, at) => [cyrillicAlphabet[at]!, latin === '-' ? '' : latin]));
const latinLetters: Record<LatinStyle, Record<string, string>> = {
  passport: latinOf('a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch ie y - e iu ia'),
  gost: latinOf("a b v g d e yo zh z i j k l m n o p r s t u f x cz ch sh shh - y' ' e' yu ya"),
  common: latinOf('a b v g d e yo zh z i y k l m n o p r s t u f h ts ch sh sch - y - e yu ya'),
};

/** "Мартынова Юлия" → "Martynova Iuliia" (passport), "Martyinova Yuliya" (ГОСТ), "Martynova Yuliya" (common). */
export function inLatin(text: string, style: LatinStyle): string {
  let out = '';
  for (const char of text) {
    const lower = char.toLowerCase();
    const latin = latinLetters[style][lower];
    if (latin === undefined) out += char;
    else out += char === lower ? latin : latin.charAt(0).toUpperCase() + latin.slice(1);
  }
  return out;
}

const йцукен = 'йцукенгшщзхъфывапролджэячсмитьбюё';
const qwerty = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`";

/** "Иванов" typed with the QWERTY layout on: "Bdfyjd" (Shift gives the capital; ё is the backtick key). */
export function inWrongLayout(text: string): string {
  let out = '';
  for (const char of text) {
    const lower = char.toLowerCase();
    const at = йцукен.indexOf(lower === 'ё' ? 'ё' : lower);
    if (at < 0) out += char;
    else out += char === lower ? qwerty[at] : qwerty[at]!.toUpperCase();
  }
  return out;
}

/** A local number as said without the area code: "990-05-93", given the E.164 and the area code. */
export function localPhoneText(e164: string, areaCode: string): string | null {
  const digits = e164.slice(2);
  if (!digits.startsWith(areaCode)) return null;
  const local = digits.slice(areaCode.length);
  return local.length === 7 ? `${local.slice(0, 3)}-${local.slice(3, 5)}-${local.slice(5)}` : local;
}
