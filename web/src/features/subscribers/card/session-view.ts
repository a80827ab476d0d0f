import type { NasSession, NetworkApplication, SessionPanel } from '@common/api/nas-sessions.ts';

/**
 * What the card's line-state panel says, computed apart from the screen so it can be tested:
 * whether the subscriber is online, since when, why the last session ended, and the 30 days as
 * a strip.
 */

/** `stale`: a session the NAS opened but has not reported for 2.5 × its interim interval. */
export type LineState = 'online' | 'stale' | 'offline' | 'unknown';

export function lineState(panel: SessionPanel): LineState {
  if (panel.current?.state === 'open') return 'online';
  if (panel.current?.state === 'stale') return 'stale';
  return panel.timeline.length > 0 ? 'offline' : 'unknown';
}

/** The newest session that ended (the timeline is newest first): "why did it drop". */
export const lastEnded = (panel: SessionPanel): NasSession | null =>
  panel.timeline.find((session) => session.state === 'closed') ?? null;

/** Acct-Terminate-Cause words as the server sends them (RFC 2866 §5.10, RFC 3580 §3.32), to translation keys. */
export const terminateCauses = [
  'user_request',
  'lost_carrier',
  'lost_service',
  'idle_timeout',
  'session_timeout',
  'admin_reset',
  'admin_reboot',
  'port_error',
  'nas_error',
  'nas_request',
  'nas_reboot',
  'port_unneeded',
  'port_preempted',
  'port_suspended',
  'service_unavailable',
  'callback',
  'user_error',
  'host_request',
  'supplicant_restart',
  'reauthentication_failure',
  'port_reinitialized',
  'port_administratively_disabled',
] as const;
export type TerminateCause = (typeof terminateCauses)[number];

/**
 * Why a session ended, as a translation key where one exists: the NAS's Acct-Terminate-Cause; for
 * a session closed without a Stop, what closed it (the NAS's Accounting-On/Off, a newer session
 * with the same id). `words` keeps a cause no dictionary names ("Unknown cause 40") readable.
 */
export type EndReason =
  | { kind: 'cause'; cause: TerminateCause; words: string }
  | { kind: 'words'; words: string }
  | { kind: 'nas-restarted' }
  | { kind: 'nas-stopped' }
  | { kind: 'replaced' }
  | { kind: 'none' };

export function causeOf(words: string): EndReason {
  const key = words
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return (terminateCauses as readonly string[]).includes(key)
    ? { kind: 'cause', cause: key as TerminateCause, words }
    : { kind: 'words', words };
}

export function endReason(session: NasSession): EndReason {
  if (session.terminateCause) return causeOf(session.terminateCause);
  const closing = [...session.changes].reverse().find((change) => change.change !== 'stale');
  if (closing?.change === 'closed_by_nas') {
    return closing.details.status === 'accounting_off' ? { kind: 'nas-stopped' } : { kind: 'nas-restarted' };
  }
  if (closing?.change === 'replaced') return { kind: 'replaced' };
  return { kind: 'none' };
}

/** The network application the card warns about: sent to the NAS and not confirmed (yet, or at all). */
export const notApplied = (application: NetworkApplication | null): NetworkApplication | null =>
  application && (application.state === 'waiting' || application.state === 'refused') ? application : null;

const byteUnits = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte', 'petabyte'] as const;

/**
 * Octets in decimal units (what a subscriber's router and speed tests show): 1 234 567 → "1,2 МБ".
 * One decimal below 10 of a unit, none above, so a column of figures stays short.
 */
export function formatBytes(bytes: number, locale: string): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < byteUnits.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: byteUnits[unit],
    unitDisplay: 'short',
    maximumFractionDigits: unit === 0 || value >= 10 ? 0 : 1,
  }).format(value);
}

export type DurationUnit = 'days' | 'hours' | 'minutes';

/** A span as its two largest units ("3 д 4 ч", "2 ч 15 мин"); under a minute, no parts. */
export function durationParts(milliseconds: number): { unit: DurationUnit; count: number }[] {
  const minutes = Math.floor(Math.max(0, milliseconds) / 60_000);
  const parts: { unit: DurationUnit; count: number }[] = [
    { unit: 'days', count: Math.floor(minutes / 1440) },
    { unit: 'hours', count: Math.floor((minutes % 1440) / 60) },
    { unit: 'minutes', count: minutes % 60 },
  ];
  const first = parts.findIndex((part) => part.count > 0);
  if (first === -1) return [];
  return parts.slice(first, first + 2).filter((part) => part.count > 0);
}

export type AgeUnit = 'seconds' | 'minutes' | 'hours' | 'days';

/** How old the panel's data is, in the one unit that reads best: "40 с", "3 мин", "2 ч". */
export function ageOf(seconds: number): { unit: AgeUnit; count: number } {
  const whole = Math.max(0, Math.floor(seconds));
  if (whole < 60) return { unit: 'seconds', count: whole };
  if (whole < 3600) return { unit: 'minutes', count: Math.floor(whole / 60) };
  if (whole < 86_400) return { unit: 'hours', count: Math.floor(whole / 3600) };
  return { unit: 'days', count: Math.floor(whole / 86_400) };
}

export const TIMELINE_DAYS = 30;

/** One session on the 30-day strip, as fractions of its width (0 = 30 days ago, 1 = when read). */
export interface StripSegment {
  session: NasSession;
  from: number;
  to: number;
}

/** An instant on the 30-day strip up to `readAt`, as a fraction of its width (0 = 30 days ago, 1 = when read). */
export function stripPosition(panel: Pick<SessionPanel, 'readAt'>, instant: string): number {
  const end = Date.parse(panel.readAt);
  const span = TIMELINE_DAYS * 86_400_000;
  return Math.min(1, Math.max(0, (Date.parse(instant) - (end - span)) / span));
}

/**
 * The sessions laid on a strip of the last 30 days up to `readAt`. An open or stale session runs
 * to the right edge (a stale one may be over; the strip says so by its colour); a session shorter
 * than the strip can show still gets a visible sliver.
 */
export function stripSegments(panel: SessionPanel, minimumWidth = 0.006): StripSegment[] {
  return panel.timeline
    .map((session) => {
      const from = Math.min(stripPosition(panel, session.startedAt), 1 - minimumWidth);
      const to = session.endedAt === null ? 1 : stripPosition(panel, session.endedAt);
      return { session, from, to: Math.max(to, from + minimumWidth) };
    })
    .reverse();
}
