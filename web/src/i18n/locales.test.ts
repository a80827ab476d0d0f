import { describe, expect, it } from 'vitest';
import en from './en.json';
import ru from './ru.json';

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') found.set(path, value);
    else for (const [leaf, text] of leaves(value, path)) found.set(leaf, text);
  }
  return found;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)/g)].map((match) => match[1]).sort();

// i18next picks "key_few" for t('key', { count: 3 }) in Russian; English has only "_one" and "_other".
const pluralSuffix = /_(zero|one|two|few|many|other)$/;

/** Keys with their plural forms folded into one: "results.all_one", "results.all_few" → "results.all". */
function byKey(texts: Map<string, string>): Map<string, { forms: string[]; texts: string[] }> {
  const keys = new Map<string, { forms: string[]; texts: string[] }>();
  for (const [path, text] of texts) {
    const form = pluralSuffix.exec(path)?.[1];
    const key = form ? path.slice(0, -form.length - 1) : path;
    const entry = keys.get(key) ?? { forms: [], texts: [] };
    if (form) entry.forms.push(form);
    entry.texts.push(text);
    keys.set(key, entry);
  }
  return keys;
}

const pluralForms = (locale: string) => new Intl.PluralRules(locale).resolvedOptions().pluralCategories.sort();

describe('the web app translations', () => {
  const russian = leaves(ru);
  const english = leaves(en);
  const languages = [
    { locale: 'ru', keys: byKey(russian) },
    { locale: 'en', keys: byKey(english) },
  ];

  it('have the same keys in Russian and English', () => {
    expect([...byKey(english).keys()].sort()).toEqual([...byKey(russian).keys()].sort());
  });

  it('give every counted text each plural form its language needs, and no other', () => {
    for (const { locale, keys } of languages) {
      const wrong = [...keys]
        .filter(([, entry]) => entry.forms.length > 0)
        .filter(([, entry]) => JSON.stringify(entry.forms.sort()) !== JSON.stringify(pluralForms(locale)))
        .map(([key, entry]) => `${locale}: ${key} (${entry.forms.join(', ')})`);
      expect(wrong).toEqual([]);
    }
  });

  it('leave no text empty', () => {
    const empty = [...russian, ...english].filter(([, text]) => text.trim() === '').map(([key]) => key);
    expect(empty).toEqual([]);
  });

  it('use the same placeholders in both languages', () => {
    const used = (entry: { texts: string[] } | undefined) =>
      JSON.stringify([...new Set((entry?.texts ?? []).flatMap(placeholders))].sort());
    const [russianKeys, englishKeys] = [languages[0]!.keys, languages[1]!.keys];
    const differing = [...russianKeys]
      .filter(([key, entry]) => used(entry) !== used(englishKeys.get(key)))
      .map(([key]) => key);
    expect(differing).toEqual([]);
  });
});
