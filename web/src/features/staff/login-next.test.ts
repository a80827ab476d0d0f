import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeNext } from './login-next.ts';

const origin = 'http://127.0.0.1:3000';

describe('the path after signing in', () => {
  it('keeps a path of the app with its query', () => {
    expect(safeNext('/subscribers?surname=%D0%98', origin)).toBe('/subscribers?surname=%D0%98');
    expect(safeNext('/subscribers/17?account=3#x', origin)).toBe('/subscribers/17?account=3#x');
  });

  it('sends every address of another origin to the start', () => {
    for (const next of [
      '//evil.example/x',
      '/\\127.0.0.1:3999/x',
      '/\\/evil.example',
      '\\\\evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      '/\t/evil.example',
      '/..//evil.example',
      '',
      null,
    ]) {
      expect(safeNext(next, origin), String(next)).toBe('/');
    }
  });

  it('never leaves the origin, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), (next) => {
        const path = safeNext(next, origin);
        expect(path.startsWith('/')).toBe(true);
        expect(new URL(path, origin).origin).toBe(origin);
        expect(path.startsWith('//')).toBe(false);
      }),
    );
  });
});
