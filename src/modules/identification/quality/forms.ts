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
