import { describe, expect, it } from 'vitest';
import {
  callerSearchFrom,
  emptySearch,
  identifyPath,
  moreToShow,
  readAnswer,
  searchForText,
  searchParamsOf,
  withAnswers,
  withoutAnswer,
} from './caller-search.ts';

describe('reading the caller’s answer to a suggested question', () => {
  it('takes a name as said, trimmed', () => {
    expect(readAnswer('firstName', '  Иван ')).toEqual({ ok: true, answers: { firstName: 'Иван' } });
    expect(readAnswer('patronymic', 'Петрович')).toEqual({ ok: true, answers: { patronymic: 'Петрович' } });
  });

  it('drops the “д.” before a house and keeps its letter', () => {
    expect(readAnswer('house', 'д. 5')).toEqual({ ok: true, answers: { house: '5' } });
    expect(readAnswer('house', 'дом 12А')).toEqual({ ok: true, answers: { house: '12А' } });
    expect(readAnswer('house', '5 а')).toEqual({ ok: true, answers: { house: '5а' } });
    expect(readAnswer('house', '5/2')).toEqual({ ok: true, answers: { house: '5/2' } });
  });

  it('answers the korpus too when the house comes with one', () => {
    expect(readAnswer('house', '5к2')).toEqual({ ok: true, answers: { house: '5', building: '2' } });
    expect(readAnswer('house', 'д. 5, корп. 2')).toEqual({ ok: true, answers: { house: '5', building: '2' } });
    expect(readAnswer('house', '7 стр 1')).toEqual({ ok: true, answers: { house: '7', building: '1' } });
  });

  it('answers the apartment too when the house comes with one', () => {
    expect(readAnswer('house', '5-12')).toEqual({ ok: true, answers: { house: '5', apartment: '12' } });
    expect(readAnswer('house', '5А кв. 12')).toEqual({ ok: true, answers: { house: '5А', apartment: '12' } });
  });

  it('drops the markers before a korpus and an apartment', () => {
    expect(readAnswer('building', 'корп. 2')).toEqual({ ok: true, answers: { building: '2' } });
    expect(readAnswer('building', 'стр 3')).toEqual({ ok: true, answers: { building: '3' } });
    expect(readAnswer('apartment', 'кв. 45')).toEqual({ ok: true, answers: { apartment: '45' } });
    expect(readAnswer('apartment', '45')).toEqual({ ok: true, answers: { apartment: '45' } });
  });

  it('takes the year from a whole birth date, and refuses what holds no year', () => {
    expect(readAnswer('birthYear', '1985')).toEqual({ ok: true, answers: { birthYear: '1985' } });
    expect(readAnswer('birthYear', '14.03.1985')).toEqual({ ok: true, answers: { birthYear: '1985' } });
    expect(readAnswer('birthYear', '85')).toEqual({ ok: false, problem: 'birthYear' });
    expect(readAnswer('birthYear', '3000')).toEqual({ ok: false, problem: 'birthYear' });
  });

  it('takes the last four digits of a whole phone number', () => {
    expect(readAnswer('phoneLast4', '4567')).toEqual({ ok: true, answers: { phoneLast4: '4567' } });
    expect(readAnswer('phoneLast4', '8 912 345-67-89')).toEqual({ ok: true, answers: { phoneLast4: '6789' } });
    expect(readAnswer('phoneLast4', '45')).toEqual({ ok: false, problem: 'phoneLast4' });
  });

  it('refuses an empty answer and strips control characters', () => {
    expect(readAnswer('street', '   ')).toEqual({ ok: false, problem: 'empty' });
    expect(readAnswer('street', 'Ленина\u0000\t')).toEqual({ ok: true, answers: { street: 'Ленина' } });
  });

  it('keeps every answer within the API’s limits', () => {
    const answer = readAnswer('apartment', '1'.repeat(50));
    expect(answer.ok && answer.answers.apartment?.length).toBe(10);
  });
});

describe('the caller search in the address bar', () => {
  it('round-trips the query and the answers', () => {
    const search = withAnswers({ q: 'Соколов', answers: {} }, { house: '5', building: '2' });
    const params = searchParamsOf(search);
    expect(params.toString()).toBe('q=%D0%A1%D0%BE%D0%BA%D0%BE%D0%BB%D0%BE%D0%B2&house=5&building=2');
    expect(callerSearchFrom(params)).toEqual(search);
  });

  it('drops what the API would refuse from a hand-edited URL', () => {
    const search = callerSearchFrom(new URLSearchParams('q=Иванов&birthYear=85&phoneLast4=12&apartment=7&bogus=1'));
    expect(search).toEqual({ q: 'Иванов', answers: { apartment: '7' } });
  });

  it('replaces an earlier answer to the same question and removes one', () => {
    const search = withAnswers({ q: 'Соколов', answers: { street: 'Ленина', house: '4' } }, { house: '5' });
    expect(search.answers).toEqual({ street: 'Ленина', house: '5' });
    expect(withoutAnswer(search, 'street')).toEqual({ q: 'Соколов', answers: { house: '5' } });
  });

  it('asks the API with the trimmed query and every answer', () => {
    expect(identifyPath({ q: ' Соколов ', answers: { firstName: 'Иван', birthYear: '1985' } })).toBe(
      '/api/identify?q=%D0%A1%D0%BE%D0%BA%D0%BE%D0%BB%D0%BE%D0%B2&firstName=%D0%98%D0%B2%D0%B0%D0%BD&birthYear=1985',
    );
    expect(searchParamsOf(emptySearch).toString()).toBe('');
  });

  it('asks for more than the first 20 when "show more" was pressed, never past the server’s 200', () => {
    expect(identifyPath({ q: 'Иванов', answers: {} }, 40)).toBe(
      '/api/identify?q=%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2&limit=40',
    );
    expect(identifyPath({ q: 'Иванов', answers: {} }, 500)).toContain('limit=200');
    expect(identifyPath({ q: 'Иванов', answers: {} })).not.toContain('limit');
    expect(moreToShow(20, 812)).toBe(20);
    expect(moreToShow(20, 31)).toBe(11);
    expect(moreToShow(31, 31)).toBe(0);
    expect(moreToShow(200, 812)).toBe(0);
  });
});

describe('a new text in the search box', () => {
  it('keeps none of the last caller’s answers', () => {
    expect(searchForText('Иванов')).toEqual({ q: 'Иванов', answers: {} });
    expect(searchForText('   ')).toEqual({ q: '', answers: {} });
  });
});
