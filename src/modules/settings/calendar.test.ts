import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CalendarDay } from '../../common/api/settings.js';
import { Problem } from '../core/problem.js';
import { parseProductionCalendar, shippedCalendars } from './calendar.js';

const problemOf = (content: string) => {
  try {
    parseProductionCalendar(content);
  } catch (error) {
    if (error instanceof Problem) return error;
    throw error;
  }
  throw new Error('no problem');
};

describe('the production calendar that ships', () => {
  const [shipped] = shippedCalendars();
  const days = shipped?.calendar.days ?? [];
  const of = (kind: string) => days.filter((day) => day.kind === kind).map((day) => day.date.slice(5));

  it('is 2026 as the Government decided it: 1-9 January, 23 February, 8-9 March, 1, 9 and 11 May, 12 June, 4 November and 31 December off', () => {
    expect(shipped?.calendar.year).toBe(2026);
    expect(of('holiday')).toEqual([
      '01-01',
      '01-02',
      '01-03',
      '01-04',
      '01-05',
      '01-06',
      '01-07',
      '01-08',
      '01-09',
      '02-23',
      '03-08',
      '03-09',
      '05-01',
      '05-09',
      '05-11',
      '06-12',
      '11-04',
      '12-31',
    ]);
  });

  it('shortens 30 April, 8 May, 11 June and 3 November, and moves 3 and 4 January to 9 January and 31 December', () => {
    expect(of('shortened')).toEqual(['04-30', '05-08', '06-11', '11-03']);
    expect(of('working')).toEqual([]);
    expect(days.find((day) => day.date === '2026-01-09')?.movedFrom).toBe('2026-01-03');
    expect(days.find((day) => day.date === '2026-12-31')?.movedFrom).toBe('2026-01-04');
    expect(days.find((day) => day.date === '2026-01-07')?.title).toBe('Рождество Христово');
  });
});

describe('reading a production calendar file', () => {
  it('reads the xmlcalendar.ru XML, month before day, with a shortened working Saturday and a working Sunday', () => {
    const calendar = parseProductionCalendar(`<?xml version="1.0" encoding="UTF-8"?>
      <calendar year="2027" lang="ru" date="2026.09.02" country="ru">
        <holidays><holiday id="3" title="День защитника Отечества"/><holiday id="9" title="A &amp; B"/></holidays>
        <days>
          <day d="02.20" t="2"/>
          <day d="02.22" t="1" f="02.20"/>
          <day d="02.23" t="1" h="3"/>
          <day d='03.07' t='3'/>
          <day d="05.01" t="1" h="9"></day>
        </days>
      </calendar>`);
    expect(calendar).toEqual({
      year: 2027,
      days: [
        { date: '2027-02-20', kind: 'shortened', title: null, movedFrom: null },
        { date: '2027-02-22', kind: 'holiday', title: null, movedFrom: '2027-02-20' },
        { date: '2027-02-23', kind: 'holiday', title: 'День защитника Отечества', movedFrom: null },
        { date: '2027-03-07', kind: 'working', title: null, movedFrom: null },
        { date: '2027-05-01', kind: 'holiday', title: 'A & B', movedFrom: null },
      ],
    });
  });

  it('reads CSV with a header, semicolons, Russian dates and quoted titles', () => {
    const calendar = parseProductionCalendar(
      'date;kind;title;movedFrom\n01.01.2027;holiday;"Новый год; каникулы"\n# a comment\n\n2027-02-20;shortened\n2027-12-31;holiday;;2027-01-03\n',
    );
    expect(calendar.year).toBe(2027);
    expect(calendar.days).toEqual([
      { date: '2027-01-01', kind: 'holiday', title: 'Новый год; каникулы', movedFrom: null },
      { date: '2027-02-20', kind: 'shortened', title: null, movedFrom: null },
      { date: '2027-12-31', kind: 'holiday', title: null, movedFrom: '2027-01-03' },
    ]);
  });

  it('reads JSON with a year and its days', () => {
    expect(
      parseProductionCalendar(
        '{"year": 2027, "days": [{"date": "2027-06-14", "kind": "holiday", "movedFrom": "2027-06-12"}]}',
      ),
    ).toEqual({ year: 2027, days: [{ date: '2027-06-14', kind: 'holiday', title: null, movedFrom: '2027-06-12' }] });
  });

  const wrong: [string, string, RegExp][] = [
    ['a day that does not exist', '<calendar year="2027"><days><day d="02.30" t="1"/></days></calendar>', /not a date/],
    ['an unknown day type', '<calendar year="2027"><days><day d="02.03" t="7"/></days></calendar>', /kind must be/],
    ['no year', '<calendar><days><day d="02.03" t="1"/></days></calendar>', /./],
    ['no days', '<calendar year="2027"><days></days></calendar>', /no days/],
    ['one day twice', '2027-01-01,holiday\n2027-01-01,shortened', /listed twice/],
    ['days of two years', '2027-01-01,holiday\n2028-01-01,holiday', /one year per file/],
    ['a weekday made a working day', '2027-03-03,working', /is a weekday/],
    [
      'an unknown JSON field',
      '{"year": 2027, "days": [{"date": "2027-01-01", "kind": "holiday", "paid": true}]}',
      /unknown field paid/,
    ],
    ['JSON that is not JSON', '{"year": 2027, ', /JSON|json|Expected|Unexpected/],
    ['too many CSV cells', '2027-01-01,holiday,title,2027-01-02,extra', /more than 4 cells/],
    ['a year out of range', '1999-01-01,holiday', /outside 2000-2100/],
  ];
  for (const [what, content, message] of wrong) {
    it(`refuses ${what} with a 400 saying where`, () => {
      const problem = problemOf(content);
      expect(problem.status).toBe(400);
      expect(problem.code).toBe('settings.calendar_invalid');
      expect(JSON.stringify(problem.errors ?? [])).toMatch(message);
    });
  }

  const days = fc
    .uniqueArray(fc.integer({ min: 0, max: 364 }), { minLength: 1, maxLength: 40 })
    .chain((offsets) =>
      fc.tuple(
        fc.constant(offsets.sort((a, b) => a - b)),
        fc.array(fc.constantFrom<'holiday' | 'shortened'>('holiday', 'shortened'), {
          minLength: offsets.length,
          maxLength: offsets.length,
        }),
        fc.array(fc.option(fc.stringMatching(/^[А-Яа-я &<>"']{1,20}$/), { nil: null }), {
          minLength: offsets.length,
          maxLength: offsets.length,
        }),
      ),
    )
    .map(([offsets, kinds, titles]) =>
      offsets.map(
        (offset, index): CalendarDay => ({
          date: new Date(Date.UTC(2027, 0, 1 + offset)).toISOString().slice(0, 10),
          kind: kinds[index] ?? 'holiday',
          title: titles[index]?.trim() || null,
          movedFrom: null,
        }),
      ),
    );
  const xmlEscape = (text: string) =>
    text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

  it('reads back any calendar written as XML, CSV or JSON', () => {
    fc.assert(
      fc.property(days, (written) => {
        const titled = written.filter((day) => day.title);
        const xml = `<calendar year="2027"><holidays>${titled
          .map((day, index) => `<holiday id="${index + 1}" title="${xmlEscape(day.title ?? '')}"/>`)
          .join('')}</holidays><days>${written
          .map((day) => {
            const h = titled.indexOf(day);
            return `<day d="${day.date.slice(5, 7)}.${day.date.slice(8)}" t="${day.kind === 'holiday' ? 1 : 2}"${h >= 0 ? ` h="${h + 1}"` : ''}/>`;
          })
          .join('')}</days></calendar>`;
        const csv = written
          .map((day) => `${day.date},${day.kind},"${(day.title ?? '').replace(/"/g, '""')}"`)
          .join('\n');
        const json = JSON.stringify({ year: 2027, days: written });
        for (const content of [xml, csv, json]) {
          expect(parseProductionCalendar(content)).toEqual({ year: 2027, days: written });
        }
      }),
    );
  });
});
