import { describe, expect, it } from 'vitest';
import { addressSegments, fitsOf, foundBy, nameSegments, unseenMatches } from './candidate-marks.ts';

const markedText = (segments: { text: string; marked: boolean }[]) =>
  segments.filter((segment) => segment.marked).map((segment) => segment.text);
const wholeText = (segments: { text: string }[]) => segments.map((segment) => segment.text).join('');

describe('marking what the caller’s words matched', () => {
  it('marks the surname and the initials of the names that matched', () => {
    const person = { kind: 'person' as const, name: 'Соколов А. В.' };
    expect(markedText(nameSegments({ ...person, matched: ['surname'] }))).toEqual(['Соколов']);
    expect(markedText(nameSegments({ ...person, matched: ['surname', 'patronymic'] }))).toEqual(['Соколов', 'В.']);
    expect(markedText(nameSegments({ ...person, matched: ['firstName'] }))).toEqual(['А.']);
    expect(wholeText(nameSegments({ ...person, matched: ['surname'] }))).toBe('Соколов А. В.');
  });

  it('keeps a double surname whole', () => {
    const segments = nameSegments({ kind: 'person', name: 'Петров-Водкин К. С.', matched: ['surname'] });
    expect(markedText(segments)).toEqual(['Петров-Водкин']);
  });

  it('marks an organisation’s name whole', () => {
    const segments = nameSegments({ kind: 'organisation', name: 'ООО «Ромашка»', matched: ['orgName'] });
    expect(segments).toEqual([{ text: 'ООО «Ромашка»', marked: true }]);
  });

  it('marks the street, house, building and apartment apart', () => {
    const address = 'ул. Ленина, д. 5, корп. 2, кв. ***';
    expect(markedText(addressSegments({ address, matched: ['street', 'house'] }))).toEqual(['ул. Ленина', 'д. 5']);
    expect(markedText(addressSegments({ address, matched: ['building', 'apartment'] }))).toEqual([
      'корп. 2',
      'кв. ***',
    ]);
    expect(wholeText(addressSegments({ address, matched: [] }))).toBe(address);
  });

  it('names the exact identifiers and the matches the row does not show', () => {
    expect(foundBy(['phone', 'surname', 'account'])).toEqual(['account', 'phone']);
    expect(unseenMatches(['surname', 'phoneLast4', 'birthYear'])).toEqual(['birthYear', 'phoneLast4']);
  });
});

describe('the match column', () => {
  it('says for every candidate what in it fits the words said, and when nothing does', () => {
    expect(fitsOf(['house', 'surname', 'street', 'birthYear'])).toEqual(['surname', 'street', 'house']);
    expect(fitsOf(['orgName', 'apartment'])).toEqual(['orgName', 'apartment']);
    expect(fitsOf(['phoneLast4'])).toEqual([]);
  });
});
