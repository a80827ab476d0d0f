import fs from 'node:fs';
import type { CalendarDay, CalendarDayKind } from '../../common/api/settings.js';
import { Problem } from '../core/problem.js';

/** One year of a production calendar, as read from a file. */
export interface ProductionCalendar {
  year: number;
  days: CalendarDay[];
}

type Failure = { path: string; message: string };

const MAX_ERRORS = 20;

function invalid(errors: Failure[]): Problem {
  return new Problem(
    'settings.calendar_invalid',
    400,
    'The production calendar could not be read',
    'Expected the xmlcalendar.ru XML, or CSV or JSON as docs/api.md shows',
    errors.slice(0, MAX_ERRORS),
  );
}

/** 'YYYY-MM-DD' of a real day, or null. */
function isoDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

export const isoWeekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay() || 7;

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_match, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return entities[entity] ?? '';
  });
}

function attributesOf(text: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of text.matchAll(/([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    attributes.set(match[1] as string, decodeXmlText(match[2] ?? match[3] ?? ''));
  }
  return attributes;
}

const xmlDayKinds: Record<string, CalendarDayKind> = { '1': 'holiday', '2': 'shortened', '3': 'working' };

/**
 * The format of xmlcalendar.ru, which ISPs' accountants and HR systems already download:
 * `<calendar year="2026"><holidays><holiday id="1" title="…"/></holidays><days>
 * <day d="01.01" t="1" h="1"/><day d="01.09" t="1" f="01.03"/>…</days></calendar>`, where `d` and
 * `f` are month.day, `t` is 1 a day off, 2 a shortened working day, 3 a working weekend day, and
 * `h` points at a holiday's title. Two element kinds with attributes only: read by patterns here
 * rather than by an XML library (docs/decisions.md).
 */
function readXmlCalendar(content: string): { year: string | undefined; rows: RawDay[] } {
  const text = content.replace(/<!--[\s\S]*?-->/g, '').replace(/<\?[\s\S]*?\?>/g, '');
  const calendar = /<calendar\b([^>]*)>/.exec(text);
  if (!calendar) throw invalid([{ path: 'calendar', message: 'no <calendar year="…"> element' }]);
  const year = attributesOf(calendar[1] ?? '').get('year');
  const titles = new Map<string, string>();
  for (const match of text.matchAll(/<holiday\b([^>]*?)\/?>/g)) {
    const attributes = attributesOf(match[1] ?? '');
    const id = attributes.get('id');
    const title = attributes.get('title');
    if (id !== undefined && title !== undefined) titles.set(id, title.trim());
  }
  const rows: RawDay[] = [];
  for (const match of text.matchAll(/<day\b([^>]*?)\/?>/g)) {
    const attributes = attributesOf(match[1] ?? '');
    const d = attributes.get('d') ?? '';
    const f = attributes.get('f');
    const h = attributes.get('h');
    rows.push({
      path: `day ${rows.length + 1} (d="${d}")`,
      monthDay: d,
      kind: xmlDayKinds[attributes.get('t') ?? ''] ?? attributes.get('t') ?? '',
      title: h === undefined ? null : (titles.get(h) ?? null),
      movedFromMonthDay: f ?? null,
    });
  }
  return { year, rows };
}

interface RawDay {
  path: string;
  /** What is wrong with the entry beyond its values (an unknown field, extra cells). */
  problem?: string;
  /** 'YYYY-MM-DD', 'DD.MM.YYYY', or the XML's 'MM.DD' (then `year` says which year). */
  date?: string;
  monthDay?: string;
  kind: string;
  title: string | null;
  movedFrom?: string | null;
  movedFromMonthDay?: string | null;
}

/** `{ "year": 2027, "days": [{ "date": "2027-01-01", "kind": "holiday", "title": "…", "movedFrom": null }] }` */
function readJsonCalendar(content: string): { year: string | undefined; rows: RawDay[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    throw invalid([{ path: 'json', message: (error as Error).message }]);
  }
  const document = parsed as { year?: unknown; days?: unknown };
  if (typeof document !== 'object' || document === null || !Array.isArray(document.days)) {
    throw invalid([{ path: 'json', message: 'expected {"year": …, "days": [ … ]}' }]);
  }
  const unknownKeys = Object.keys(document).filter((key) => key !== 'year' && key !== 'days');
  if (unknownKeys.length) throw invalid([{ path: 'json', message: `unknown field ${unknownKeys[0]}` }]);
  const rows = document.days.map((entry: unknown, index): RawDay => {
    const day = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const extra = Object.keys(day).find((key) => !['date', 'kind', 'title', 'movedFrom'].includes(key));
    return {
      path: `days[${index}]`,
      problem: extra ? `unknown field ${extra}` : undefined,
      date: typeof day.date === 'string' ? day.date : '',
      kind: typeof day.kind === 'string' ? day.kind : '',
      title: typeof day.title === 'string' ? day.title : null,
      movedFrom: typeof day.movedFrom === 'string' ? day.movedFrom : null,
    };
  });
  return { year: document.year === undefined ? undefined : String(document.year), rows };
}

function csvCells(line: string, separator: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === separator) {
      cells.push(cell.trim());
      cell = '';
    } else cell += char;
  }
  cells.push(cell.trim());
  return cells;
}

/**
 * `date,kind[,title[,movedFrom]]` one day a line, ',' or ';' between cells (a spreadsheet saved in
 * Russian uses ';'), dates as 2027-01-01 or 01.01.2027, an optional header line, '#' comments.
 */
function readCsvCalendar(content: string): { year: string | undefined; rows: RawDay[] } {
  const rows: RawDay[] = [];
  const lines = content.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const separator = line.includes(';') ? ';' : ',';
    const [date = '', kind = '', title = '', movedFrom = '', ...rest] = csvCells(line, separator);
    if (rows.length === 0 && date.toLowerCase() === 'date') continue;
    rows.push({
      path: `line ${index + 1}`,
      problem: rest.length ? 'more than 4 cells: date, kind, title, moved from' : undefined,
      date,
      kind,
      title: title || null,
      movedFrom: movedFrom || null,
    });
  }
  return { year: undefined, rows };
}

function dateOf(written: string, year: number | undefined): string | null {
  let match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(written);
  if (match) return isoDate(Number(match[1]), Number(match[2]), Number(match[3]));
  match = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(written);
  if (match) return isoDate(Number(match[3]), Number(match[2]), Number(match[1]));
  match = /^(\d{2})\.(\d{2})$/.exec(written);
  if (match && year !== undefined) return isoDate(year, Number(match[1]), Number(match[2]));
  return null;
}

const kinds: readonly string[] = ['holiday', 'shortened', 'working'];

/**
 * A production calendar's file → one year of days; anything that does not hold up (a date that
 * does not exist, two entries for one day, days of two years, a "working" weekday) is a 400 that
 * lists what and where, so nothing half-read is loaded.
 */
export function parseProductionCalendar(content: string): ProductionCalendar {
  const text = content.replace(/^\uFEFF/, '').trim();
  const read = text.startsWith('<')
    ? readXmlCalendar(text)
    : text.startsWith('{')
      ? readJsonCalendar(text)
      : readCsvCalendar(text);
  const errors: Failure[] = [];
  let year: number | undefined;
  if (read.year !== undefined) {
    year = /^\d{4}$/.test(read.year) ? Number(read.year) : undefined;
    if (year === undefined) errors.push({ path: 'year', message: `not a year: "${read.year.slice(0, 20)}"` });
  }
  if (read.rows.length === 0) errors.push({ path: 'days', message: 'no days in the file' });
  if (read.rows.length > 366) errors.push({ path: 'days', message: 'more days than a year has' });
  const days: CalendarDay[] = [];
  const seen = new Set<string>();
  for (const row of read.rows.slice(0, 367)) {
    if (row.problem) {
      errors.push({ path: row.path, message: row.problem });
      continue;
    }
    const date = row.date !== undefined ? dateOf(row.date, undefined) : dateOf(row.monthDay ?? '', year);
    if (!date) {
      errors.push({ path: row.path, message: 'not a date' });
      continue;
    }
    const dayYear = Number(date.slice(0, 4));
    year ??= dayYear;
    if (dayYear !== year) errors.push({ path: row.path, message: `${date} is not in ${year}: one year per file` });
    if (seen.has(date)) errors.push({ path: row.path, message: `${date} is listed twice` });
    seen.add(date);
    if (!kinds.includes(row.kind)) {
      errors.push({ path: row.path, message: 'kind must be holiday, shortened or working (XML: t="1", "2" or "3")' });
      continue;
    }
    const kind = row.kind as CalendarDayKind;
    if (kind === 'working' && isoWeekdayOf(date) < 6) {
      errors.push({ path: row.path, message: `${date} is a weekday: only a Saturday or Sunday is made a working day` });
    }
    const movedFromWritten = row.movedFromMonthDay ?? row.movedFrom ?? null;
    const movedFrom =
      movedFromWritten === null
        ? null
        : row.movedFromMonthDay != null
          ? dateOf(movedFromWritten, year)
          : dateOf(movedFromWritten, undefined);
    if (movedFromWritten !== null && movedFrom === null) {
      errors.push({ path: row.path, message: 'the day it was moved from is not a date' });
    }
    const title = row.title?.trim().slice(0, 200) || null;
    days.push({ date, kind, title, movedFrom });
  }
  if (year !== undefined && (year < 2000 || year > 2100)) {
    errors.push({ path: 'year', message: `${year} is outside 2000-2100` });
  }
  if (errors.length > 0 || year === undefined) throw invalid(errors);
  return { year, days: days.sort((a, b) => a.date.localeCompare(b.date)) };
}

/** The calendars that ship with Linedesk (calendars/*.xml, each naming its source). */
export function shippedCalendars(): { source: string; calendar: ProductionCalendar }[] {
  const file = 'ru-2026.xml';
  const content = fs.readFileSync(new URL(`./calendars/${file}`, import.meta.url), 'utf8');
  return [{ source: file, calendar: parseProductionCalendar(content) }];
}
