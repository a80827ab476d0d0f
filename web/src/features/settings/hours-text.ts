import type { OpenInterval } from '@common/api/settings.ts';

/**
 * A day's hours as an administrator types them: "08:00-22:00", "09:00–13:00, 14:00–18:00", or
 * nothing for a day off. Checked here as the server checks them (from before to, no overlaps,
 * 24:00 only as an end), so a slip is answered at once.
 */
export function parseHours(text: string): { intervals: OpenInterval[] } | { error: 'format' | 'order' | 'overlap' } {
  const trimmed = text.trim();
  if (trimmed === '') return { intervals: [] };
  const intervals: OpenInterval[] = [];
  for (const part of trimmed.split(/[,;]/)) {
    const match = /^\s*(\d{1,2}):(\d{2})\s*[-–—]\s*(\d{1,2}):(\d{2})\s*$/.exec(part);
    if (!match) return { error: 'format' };
    const [from, to] = [clock(match[1], match[2]), clock(match[3], match[4])];
    if (!from || !to) return { error: 'format' };
    if (from === '24:00' || minutes(from) >= minutes(to)) return { error: 'order' };
    intervals.push({ from, to });
  }
  intervals.sort((a, b) => minutes(a.from) - minutes(b.from));
  for (let i = 1; i < intervals.length; i++) {
    if (minutes((intervals[i] as OpenInterval).from) < minutes((intervals[i - 1] as OpenInterval).to)) {
      return { error: 'overlap' };
    }
  }
  return { intervals };
}

function clock(hours = '', mins = ''): string | null {
  const h = Number(hours);
  const m = Number(mins);
  if (h > 24 || m > 59 || (h === 24 && m !== 0)) return null;
  return `${String(h).padStart(2, '0')}:${mins}`;
}

const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

export const formatHours = (intervals: OpenInterval[]) => intervals.map(({ from, to }) => `${from}–${to}`).join(', ');

export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export const weekdayNumbers: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7];

/** A week's hours folded into runs of days that keep the same hours: Mon–Fri 09:00–18:00, Sat–Sun closed. */
export function daysWithSameHours(hours: Record<Weekday, OpenInterval[]>) {
  const runs: { first: Weekday; last: Weekday; hours: string }[] = [];
  for (const day of weekdayNumbers) {
    const text = formatHours(hours[day]);
    const run = runs.at(-1);
    if (run && run.hours === text) run.last = day;
    else runs.push({ first: day, last: day, hours: text });
  }
  return runs;
}
