/**
 * Days as integers (days since 1970-01-01) so the generator can do date arithmetic on millions of
 * rows without Date objects. The demo city keeps Yekaterinburg time, UTC+5 all year (no DST since 2014).
 */

export const CITY_UTC_OFFSET_HOURS = 5;
const MS_PER_DAY = 86_400_000;

/** The day number of "YYYY-MM-DD"; throws for anything else, including "2025-02-30". */
export function dayOf(isoDate: string): number {
  const ms = Date.parse(`${isoDate}T00:00:00Z`);
  const day = Math.round(ms / MS_PER_DAY);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate) || Number.isNaN(ms) || isoOf(day) !== isoDate) {
    throw new RangeError(`not a date: ${isoDate}`);
  }
  return day;
}

const isoCache = new Map<number, string>();

/** "2025-03-01" for a day number; cached, since the same few thousand days repeat millions of times. */
export function isoOf(day: number): string {
  let iso = isoCache.get(day);
  if (iso === undefined) {
    iso = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    isoCache.set(day, iso);
  }
  return iso;
}

export function yearOf(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

const monthStartCache = new Map<number, number>();

/** The first day of the month `offset` months from the month of `day` (|offset| < 1000); cached. */
export function monthStart(day: number, offset = 0): number {
  const key = day * 2048 + offset + 1024;
  let start = monthStartCache.get(key);
  if (start === undefined) {
    const date = new Date(day * MS_PER_DAY);
    start = Math.round(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1) / MS_PER_DAY);
    monthStartCache.set(key, start);
  }
  return start;
}

export function daysInMonthOf(day: number): number {
  return monthStart(day, 1) - monthStart(day);
}

/** Seconds since 1970 of a local (city) wall-clock time on a day. */
export function epochAt(day: number, hour: number, minute = 0, second = 0): number {
  return day * 86_400 + (hour - CITY_UTC_OFFSET_HOURS) * 3_600 + minute * 60 + second;
}

const MONTHS_GENITIVE_FREE = [
  'январь',
  'февраль',
  'март',
  'апрель',
  'май',
  'июнь',
  'июль',
  'август',
  'сентябрь',
  'октябрь',
  'ноябрь',
  'декабрь',
];

/** "март 2025" as a ledger line names the month it charges for. */
export function monthName(day: number): string {
  const date = new Date(day * MS_PER_DAY);
  return `${MONTHS_GENITIVE_FREE[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** "01.03.2025", how Russian documents write a date. */
export function russianDate(day: number): string {
  const [year, month, dayOfMonth] = isoOf(day).split('-');
  return `${dayOfMonth}.${month}.${year}`;
}

/** Today in the city, as a day number (the default reference day of the demo). */
export function cityToday(now = new Date()): number {
  return Math.floor((now.getTime() + CITY_UTC_OFFSET_HOURS * 3_600_000) / MS_PER_DAY);
}
