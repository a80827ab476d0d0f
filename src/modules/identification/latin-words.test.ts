import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cyrillicCandidates, fromTransliteration, fromWrongLayout } from './latin-words.js';
import { inLatin, inWrongLayout, latinStyles } from './quality/forms.js';

const cyrillicWord = fc.stringMatching(/^[а-яё]{1,12}$/);

describe('Latin letters as the Cyrillic words they stand for', () => {
  it('undo the wrong keyboard layout exactly, for any Cyrillic word', () => {
    fc.assert(
      fc.property(cyrillicWord, (word) => {
        expect(fromWrongLayout(inWrongLayout(word))).toBe(word);
        expect(cyrillicCandidates(inWrongLayout(word))[0]).toBe(word.replaceAll('ё', 'е'));
      }),
    );
    expect(cyrillicCandidates('Bdfyjd')[0]).toBe('иванов');
    expect(cyrillicCandidates(',fhfyjdf')).toEqual(['баранова']);
  });

  it('read every transliteration style of names without a soft sign back to the name among the candidates', () => {
    const names = ['Иванов', 'Мартынова', 'Юлия', 'Хабибуллин', 'Щербаков', 'Цветков', 'Жуков', 'Алексей', 'Сергеевич'];
    for (const name of [...names, 'Фёдор', 'Евгений', 'Константинович', 'Яковлев', 'Шевчук', 'Чернышёв', 'Ершова']) {
      for (const style of latinStyles) {
        expect(cyrillicCandidates(inLatin(name, style)), `${name} ${style}`).toContain(
          name.toLowerCase().replaceAll('ё', 'е'),
        );
      }
    }
    for (const spelling of ['Yuliya', 'Iuliia', 'Yulia', 'Julia'])
      expect(fromTransliteration(spelling.toLowerCase())).toContain('юлия');
    expect(fromTransliteration('kh')).toContain('х');
    expect(fromTransliteration('h')).toContain('х');
  });

  it('never throw and stay bounded, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        expect(cyrillicCandidates(text).length).toBeLessThanOrEqual(513);
      }),
    );
    expect(fromTransliteration('iyiyiyiyiyiyiyiyiyiyiyiyiyiyiyiy').length).toBeLessThanOrEqual(512);
  });
});
