import type { CalendarDayKind, LineSettings, OpenInterval } from '../../common/api/settings.js';
import { isoWeekdayOf } from './calendar.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The wall clock in `zone` at an instant: its date and the milliseconds since that date's midnight. */
export function wallClockAt(at: Date, zone: string): { date: string; ms: number } {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(zone).formatToParts(at)) parts[part.type] = part.value;
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const ms =
    ((Number(parts.hour) * 60 + Number(parts.minute)) * 60 + Number(parts.second)) * 1000 + at.getUTCMilliseconds();
  return { date, ms };
}

/** How far `zone`'s wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(instant: number, zone: string): number {
  const { date, ms } = wallClockAt(new Date(instant), zone);
  return Date.parse(`${date}T00:00:00Z`) + ms - instant;
}

/**
 * The instant a wall-clock time of a date has in `zone` (`minutes` may be 1440, the next midnight).
 * Node has no Temporal yet; two rounds of Intl's offset settle it, also across a DST change (a time
 * the clock skips falls after the gap).
 */
export function instantOf(date: string, minutes: number, zone: string): Date {
  const asIfUtc = Date.parse(`${date}T00:00:00Z`) + minutes * 60_000;
  let instant = asIfUtc - offsetAt(asIfUtc, zone);
  instant = asIfUtc - offsetAt(instant, zone);
  return new Date(instant);
}

export const nextDate = (date: string, days = 1) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** How the production calendar marks a date; undefined for an ordinary day. */
export type CalendarKindOf = (date: string) => CalendarDayKind | undefined;

/** Labour Code art. 95: the working day before a holiday is one hour shorter. */
const SHORTENED_BY_MINUTES = 60;

/**
 * The minutes of a local date a line is open, as [from, to) spans from midnight:
 * - a holiday (or a day off moved onto a weekday) keeps the line's holiday hours, closed by default;
 * - a shortened day closes an hour earlier than that weekday would;
 * - a working day moved onto a Saturday or Sunday (рабочая суббота) keeps an ordinary working day's
 *   hours, Monday's, since it replaces a weekday; shortened too when the calendar says so;
 * - any other day keeps its weekday's hours.
 */
export function openSpansOn(line: LineSettings, date: string, kindOf: CalendarKindOf): [number, number][] {
  const kind = kindOf(date);
  const weekday = isoWeekdayOf(date);
  let intervals: OpenInterval[];
  if (kind === 'holiday') intervals = line.holidayHours;
  else if (kind !== undefined && weekday >= 6) intervals = line.hours[1];
  else intervals = line.hours[weekday as 1 | 2 | 3 | 4 | 5 | 6 | 7];
  let spans = intervals
    .map(({ from, to }): [number, number] => [minutesOf(from), minutesOf(to)])
    .sort((a, b) => a[0] - b[0]);
  if (kind === 'shortened' && spans.length > 0) {
    const closes = Math.max(...spans.map(([, to]) => to)) - SHORTENED_BY_MINUTES;
    spans = spans.filter(([from]) => from < closes).map(([from, to]) => [from, Math.min(to, closes)]);
  }
  return spans;
}

export interface LineOpenness {
  open: boolean;
  /** When closed: the next moment it opens (null if not within a year). */
  opensAt: Date | null;
  /** When open: the moment it closes (null if always open or not within a week). */
  closesAt: Date | null;
}

const LOOK_AHEAD_DAYS = 370;
const CLOSING_LOOK_AHEAD_DAYS = 8;

/** Whether a line is open at an instant, by its hours in the ISP's zone and the production calendar. */
export function lineOpenness(line: LineSettings, at: Date, zone: string, kindOf: CalendarKindOf): LineOpenness {
  if (line.alwaysOpen) return { open: true, opensAt: null, closesAt: null };
  const now = at.getTime();
  const today = wallClockAt(at, zone).date;
  // Open spans as instants, day by day from yesterday (whose 24:00 may run on into today's 00:00),
  // adjacent ones merged, so a line open 22:00-24:00 and 00:00-06:00 is open through the night.
  let current: [number, number] | undefined;
  for (let offset = -1; offset <= LOOK_AHEAD_DAYS; offset++) {
    const date = nextDate(today, offset);
    for (const [from, to] of openSpansOn(line, date, kindOf)) {
      const span: [number, number] = [instantOf(date, from, zone).getTime(), instantOf(date, to, zone).getTime()];
      if (current && span[0] <= current[1]) {
        current[1] = Math.max(current[1], span[1]);
        continue;
      }
      if (current && current[0] <= now && now < current[1]) {
        return { open: true, opensAt: null, closesAt: new Date(current[1]) };
      }
      if (span[0] > now) {
        return { open: false, opensAt: new Date(span[0]), closesAt: null };
      }
      current = span;
    }
    if (current && current[0] <= now && now < current[1] && offset >= CLOSING_LOOK_AHEAD_DAYS) {
      return { open: true, opensAt: null, closesAt: null };
    }
  }
  if (current && current[0] <= now && now < current[1]) return { open: true, opensAt: null, closesAt: null };
  return { open: false, opensAt: null, closesAt: null };
}
