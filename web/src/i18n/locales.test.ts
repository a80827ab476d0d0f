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

describe('the web app translations', () => {
  const russian = leaves(ru);
  const english = leaves(en);

  it('have the same keys in Russian and English', () => {
    expect([...english.keys()].sort()).toEqual([...russian.keys()].sort());
  });

  it('leave no text empty', () => {
    const empty = [...russian, ...english].filter(([, text]) => text.trim() === '').map(([key]) => key);
    expect(empty).toEqual([]);
  });

  it('use the same placeholders in both languages', () => {
    const differing = [...russian]
      .filter(
        ([key, text]) => JSON.stringify(placeholders(text)) !== JSON.stringify(placeholders(english.get(key) ?? '')),
      )
      .map(([key]) => key);
    expect(differing).toEqual([]);
  });
});
