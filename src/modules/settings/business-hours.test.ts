import { describe, expect, it } from 'vitest';
import type { CalendarDayKind, LineSettings } from '../../common/api/settings.js';
import { instantOf, lineOpenness, wallClockAt } from './business-hours.js';
import { shippedCalendars } from './calendar.js';
import { defaultLines } from './defaults.js';

const zone = 'Asia/Yekaterinburg'; // UTC+5 all year
const [l1, , l3] = defaultLines() as [LineSettings, LineSettings, LineSettings];
const calendar2026 = new Map(shippedCalendars()[0]?.calendar.days.map((day) => [day.date, day.kind]));
const russian = (date: string) => calendar2026.get(date);
const at = (iso: string) => new Date(iso);

const weekdaysOnly = (from: string, to: string): LineSettings => ({
  ...l1,
  hours: {
    1: [{ from, to }],
    2: [{ from, to }],
    3: [{ from, to }],
    4: [{ from, to }],
    5: [{ from, to }],
    6: [],
    7: [],
  },
});

describe('whether a line is open', () => {
  it('opens at 08:00 and closes at 22:00 Yekaterinburg time, which is 03:00 and 17:00 UTC', () => {
    expect(lineOpenness(l1, at('2026-11-25T02:59:00Z'), zone, russian)).toEqual({
      open: false,
      opensAt: at('2026-11-25T03:00:00Z'),
      closesAt: null,
    });
    expect(lineOpenness(l1, at('2026-11-25T03:00:00Z'), zone, russian)).toEqual({
      open: true,
      opensAt: null,
      closesAt: at('2026-11-25T17:00:00Z'),
    });
    expect(lineOpenness(l1, at('2026-11-25T17:00:00Z'), zone, russian)).toEqual({
      open: false,
      opensAt: at('2026-11-26T03:00:00Z'),
      closesAt: null,
    });
  });

  it('reads the hours in the ISP’s zone: 09:30 in Yekaterinburg is 07:30 in Moscow', () => {
    const moment = at('2026-11-25T04:30:00Z');
    expect(lineOpenness(l1, moment, 'Asia/Yekaterinburg', russian).open).toBe(true);
    expect(lineOpenness(l1, moment, 'Europe/Moscow', russian)).toMatchObject({
      open: false,
      opensAt: at('2026-11-25T05:00:00Z'),
    });
  });

  it('is closed on a holiday of the production calendar and opens the next working morning', () => {
    // Wednesday 4 November 2026, День народного единства.
    expect(lineOpenness(l1, at('2026-11-04T07:00:00Z'), zone, russian)).toEqual({
      open: false,
      opensAt: at('2026-11-05T03:00:00Z'),
      closesAt: null,
    });
  });

  it('stays closed through the New Year holidays, 1 to 9 January, and opens on Saturday the 10th by its weekly hours', () => {
    expect(lineOpenness(l1, at('2026-01-01T07:00:00Z'), zone, russian)).toMatchObject({
      open: false,
      opensAt: at('2026-01-10T03:00:00Z'),
    });
    expect(lineOpenness(weekdaysOnly('09:00', '18:00'), at('2026-01-01T07:00:00Z'), zone, russian)).toMatchObject({
      open: false,
      opensAt: at('2026-01-12T04:00:00Z'),
    });
  });

  it('closes an hour earlier on a shortened pre-holiday day (3 November 2026)', () => {
    expect(lineOpenness(l1, at('2026-11-03T15:59:00Z'), zone, russian)).toEqual({
      open: true,
      opensAt: null,
      closesAt: at('2026-11-03T16:00:00Z'),
    });
    expect(lineOpenness(l1, at('2026-11-03T16:30:00Z'), zone, russian)).toMatchObject({
      open: false,
      opensAt: at('2026-11-05T03:00:00Z'),
    });
  });

  it('keeps Monday’s hours on a working Saturday, shortened when the calendar says so', () => {
    const line = weekdaysOnly('09:00', '18:00');
    const saturday = '2027-02-20';
    const kinds: Record<string, CalendarDayKind> = { [saturday]: 'shortened', '2027-03-06': 'working' };
    const kindOf = (date: string) => kinds[date];
    expect(lineOpenness(line, at('2027-02-20T07:00:00Z'), zone, kindOf)).toEqual({
      open: true,
      opensAt: null,
      closesAt: at('2027-02-20T12:00:00Z'),
    });
    expect(lineOpenness(line, at('2027-03-06T12:30:00Z'), zone, kindOf)).toMatchObject({ open: true });
    expect(lineOpenness(line, at('2027-03-13T07:00:00Z'), zone, kindOf)).toMatchObject({
      open: false,
      opensAt: at('2027-03-15T04:00:00Z'),
    });
  });

  it('keeps a line that is always open open on holidays too', () => {
    expect(lineOpenness(l3, at('2026-01-01T00:00:00Z'), zone, russian)).toEqual({
      open: true,
      opensAt: null,
      closesAt: null,
    });
  });

  it('keeps a line’s holiday hours on a holiday', () => {
    const line: LineSettings = { ...l1, holidayHours: [{ from: '10:00', to: '18:00' }] };
    expect(lineOpenness(line, at('2026-11-04T06:00:00Z'), zone, russian)).toEqual({
      open: true,
      opensAt: null,
      closesAt: at('2026-11-04T13:00:00Z'),
    });
  });

  it('runs a night shift through midnight as one stretch', () => {
    const night = [
      { from: '00:00', to: '06:00' },
      { from: '22:00', to: '24:00' },
    ];
    const line: LineSettings = {
      ...l1,
      hours: { 1: night, 2: night, 3: night, 4: night, 5: night, 6: night, 7: night },
    };
    expect(lineOpenness(line, at('2026-11-25T18:00:00Z'), zone, russian)).toEqual({
      open: true,
      opensAt: null,
      closesAt: at('2026-11-26T01:00:00Z'),
    });
  });

  it('says when a line open round the clock without being marked so closes: at its next holiday, if within a week', () => {
    const allDay = [{ from: '00:00', to: '24:00' }];
    const line: LineSettings = {
      ...l1,
      hours: { 1: allDay, 2: allDay, 3: allDay, 4: allDay, 5: allDay, 6: allDay, 7: allDay },
    };
    expect(lineOpenness(line, at('2026-11-01T12:00:00Z'), zone, russian)).toEqual({
      open: true,
      opensAt: null,
      // 3 November is shortened: 00:00-23:00.
      closesAt: at('2026-11-03T18:00:00Z'),
    });
    expect(lineOpenness(line, at('2026-11-10T12:00:00Z'), zone, russian)).toEqual({
      open: true,
      opensAt: null,
      closesAt: null,
    });
  });

  it('never opens a line without hours, and says so', () => {
    const closed: LineSettings = { ...l1, hours: { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] } };
    expect(lineOpenness(closed, at('2026-11-25T06:00:00Z'), zone, russian)).toEqual({
      open: false,
      opensAt: null,
      closesAt: null,
    });
  });
});

describe('wall-clock time in a zone', () => {
  it('follows a daylight-saving change (Berlin, 29 March 2026)', () => {
    expect(instantOf('2026-03-28', 8 * 60, 'Europe/Berlin')).toEqual(at('2026-03-28T07:00:00Z'));
    expect(instantOf('2026-03-29', 8 * 60, 'Europe/Berlin')).toEqual(at('2026-03-29T06:00:00Z'));
    expect(instantOf('2026-03-29', 24 * 60, 'Europe/Berlin')).toEqual(at('2026-03-29T22:00:00Z'));
  });

  it('reads the local date and time of an instant', () => {
    expect(wallClockAt(at('2026-11-25T19:30:00Z'), zone)).toEqual({ date: '2026-11-26', ms: 30 * 60_000 });
  });
});
