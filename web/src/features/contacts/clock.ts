import { ispTimeZone } from '../../app/timezone.ts';
import { currentLanguage, localeOf } from '../../i18n/index.ts';

/**
 * Timers on the desk and the board count from the server's clock, not the browser's: an agent's
 * computer five minutes fast must not show a caller as waiting five minutes longer. Each answer
 * carries the server's `now`; the offset between it and the moment the answer arrived corrects
 * every instant the screen counts from until the next answer.
 */
export interface ServerClock {
  /** Server time minus browser time, in milliseconds, when the answer arrived. */
  offsetMs: number;
  /** Browser time (Date.now()) when the answer arrived. */
  receivedAt: number;
}

export function serverClock(serverNow: string, receivedAt: number): ServerClock {
  const server = Date.parse(serverNow);
  return { offsetMs: Number.isNaN(server) ? 0 : server - receivedAt, receivedAt };
}

/** The server's time now, by the browser's clock corrected with the offset. */
export const serverTime = (clock: ServerClock, browserNow: number) => browserNow + clock.offsetMs;

/** Whole seconds from an instant to now on the server's clock; never negative. */
export function secondsSince(instant: string, clock: ServerClock, browserNow: number): number {
  const from = Date.parse(instant);
  if (Number.isNaN(from)) return 0;
  return Math.max(0, Math.floor((serverTime(clock, browserNow) - from) / 1000));
}

/** Whole seconds left until an instant on the server's clock (rounded up, so 0 means it has come). */
export function secondsUntil(instant: string, clock: ServerClock, browserNow: number): number {
  const to = Date.parse(instant);
  if (Number.isNaN(to)) return 0;
  return Math.max(0, Math.ceil((to - serverTime(clock, browserNow)) / 1000));
}

/**
 * A count the server measured at its `now` (a caller's wait), carried forward by the time since
 * the answer arrived.
 */
export const secondsLater = (measured: number, clock: ServerClock, browserNow: number) =>
  Math.max(0, Math.floor(measured + (browserNow - clock.receivedAt) / 1000));

/** "00:07", "12:34", "1:02:03": mm:ss, and h:mm:ss from the first hour. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, '0');
  const mm = String(minutes).padStart(2, '0');
  return hours > 0 ? `${hours}:${mm}:${rest}` : `${mm}:${rest}`;
}

/** A moment of a contact's timeline as the time of day in the ISP's zone, to the second: "14:20:05". */
export function formatTimeOfDay(value: string): string {
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return value;
  return new Intl.DateTimeFormat(localeOf[currentLanguage()], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZone: ispTimeZone(),
  }).format(instant);
}
