import { type ContactSettings, type LineSettings, type OpenInterval, weekdays } from '../../common/api/settings.js';
import { Problem } from '../core/problem.js';
import { dialledKey } from './dialled.js';

type Failure = { path: string; message: string };

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** A day's intervals: each from < to, '24:00' only as an end, none overlapping. */
function intervalFailures(intervals: OpenInterval[], path: string): Failure[] {
  const failures: Failure[] = [];
  for (const [index, { from, to }] of intervals.entries()) {
    if (from === '24:00') failures.push({ path: `${path}/${index}/from`, message: '24:00 can only end a day' });
    else if (minutesOf(from) >= minutesOf(to)) {
      failures.push({ path: `${path}/${index}`, message: `${from}-${to}: the start must be before the end` });
    }
  }
  const sorted = [...intervals].sort((a, b) => minutesOf(a.from) - minutesOf(b.from));
  for (let i = 1; i < sorted.length; i++) {
    const before = sorted[i - 1] as OpenInterval;
    const after = sorted[i] as OpenInterval;
    if (minutesOf(after.from) < minutesOf(before.to)) {
      failures.push({ path, message: `${before.from}-${before.to} and ${after.from}-${after.to} overlap` });
    }
  }
  return failures;
}

/**
 * What a schema cannot say about a set of lines: ids unique, each number dialled or menu choice
 * picking one line only (compared as the PBX's reports are matched: '8 800 …' and '+7800…' are one),
 * hours that make sense, and the contact settings' default line still among them.
 */
export function checkLines(lines: LineSettings[], contacts: ContactSettings, areaCode: string): void {
  const failures: Failure[] = [];
  const ids = new Set<string>();
  const dialledBy = new Map<string, string>();
  for (const [index, line] of lines.entries()) {
    const path = `/lines/${index}`;
    if (ids.has(line.id)) failures.push({ path: `${path}/id`, message: `line ${line.id} is listed twice` });
    ids.add(line.id);
    if (line.name.trim() === '') failures.push({ path: `${path}/name`, message: 'a line needs a name' });
    for (const [dialledIndex, dialled] of line.dialled.entries()) {
      const key = dialledKey(dialled, areaCode);
      const owner = dialledBy.get(key);
      if (owner !== undefined) {
        failures.push({
          path: `${path}/dialled/${dialledIndex}`,
          message: `${dialled} already picks line ${owner}`,
        });
      } else dialledBy.set(key, line.id);
    }
    for (const weekday of weekdays) failures.push(...intervalFailures(line.hours[weekday], `${path}/hours/${weekday}`));
    failures.push(...intervalFailures(line.holidayHours, `${path}/holidayHours`));
  }
  if (!ids.has(contacts.defaultLine)) {
    failures.push({
      path: '/lines',
      message: `line ${contacts.defaultLine} is the default line for unknown numbers: choose another default first`,
    });
  }
  if (failures.length > 0)
    throw new Problem('settings.invalid', 400, 'These settings do not hold together', undefined, failures);
}

export function checkContactSettings(contacts: ContactSettings, lines: LineSettings[]): void {
  const failures: Failure[] = [];
  if (!lines.some((line) => line.id === contacts.defaultLine)) {
    failures.push({ path: '/contacts/defaultLine', message: `there is no line ${contacts.defaultLine}` });
  }
  if (contacts.pbxCommandUrl !== null) {
    let url: URL | undefined;
    try {
      url = new URL(contacts.pbxCommandUrl);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
      failures.push({
        path: '/contacts/pbxCommandUrl',
        message: 'an http(s) address without a user or password in it (the secret signs the commands)',
      });
    }
  }
  if (failures.length > 0)
    throw new Problem('settings.invalid', 400, 'These settings do not hold together', undefined, failures);
}

/** Lines as stored: names trimmed, each day's intervals in order. */
export function tidyLines(lines: LineSettings[]): LineSettings[] {
  const ordered = (intervals: OpenInterval[]) =>
    [...intervals].sort((a, b) => minutesOf(a.from) - minutesOf(b.from)).map(({ from, to }) => ({ from, to }));
  return lines.map((line) => ({
    ...line,
    name: line.name.trim(),
    dialled: line.dialled.map((dialled) => dialled.trim()),
    hours: {
      1: ordered(line.hours[1]),
      2: ordered(line.hours[2]),
      3: ordered(line.hours[3]),
      4: ordered(line.hours[4]),
      5: ordered(line.hours[5]),
      6: ordered(line.hours[6]),
      7: ordered(line.hours[7]),
    },
    holidayHours: ordered(line.holidayHours),
  }));
}

/** JSON with keys in one order: what jsonb gives back is ordered its own way. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/**
 * What changed between two versions of a setting, for the audit row: each changed leaf with its
 * path, lines by their id ('lines.l2.targetSeconds'), so the log reads as the administrator's edit.
 */
export function settingsChanges(
  before: unknown,
  after: unknown,
  path = '',
): { path: string; from: unknown; to: unknown }[] {
  if (canonical(before) === canonical(after)) return [];
  const isRecord = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  const keyedById = (value: unknown): value is { id: string }[] =>
    Array.isArray(value) && value.every((item) => isRecord(item) && typeof item.id === 'string');
  const join = (key: string) => (path ? `${path}.${key}` : key);
  if (keyedById(before) && keyedById(after)) {
    const ids = [...new Set([...after.map((item) => item.id), ...before.map((item) => item.id)])];
    return ids.flatMap((id) =>
      settingsChanges(
        before.find((item) => item.id === id),
        after.find((item) => item.id === id),
        join(id),
      ),
    );
  }
  if (isRecord(before) && isRecord(after)) {
    // In the order of the edit: what the database gives back is ordered its own way.
    const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])];
    return keys.flatMap((key) => settingsChanges(before[key], after[key], join(key)));
  }
  return [{ path, from: before ?? null, to: after ?? null }];
}
