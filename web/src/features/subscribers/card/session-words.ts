import type { NasSession } from '@common/api/nas-sessions.ts';
import type { TFunction } from 'i18next';
import { i18next } from '../../../i18n/index.ts';
import { durationParts, type EndReason, endReason } from './session-view.ts';

/** The session panel's figures in the operator's words (session-view.ts computes them). */

/** "2 ч 15 мин"; under a minute "< 1 мин". */
export function durationText(t: TFunction, milliseconds: number): string {
  const parts = durationParts(milliseconds);
  if (parts.length === 0) return t('subscribers.card.session.duration.underMinute');
  return parts.map((part) => t(`subscribers.card.session.duration.${part.unit}`, { count: part.count })).join(' ');
}

export function reasonText(t: TFunction, reason: EndReason): string {
  switch (reason.kind) {
    case 'cause':
      return t(`subscribers.card.session.causes.${reason.cause}`);
    case 'words':
      return reason.words;
    default:
      return t(`subscribers.card.session.ends.${reason.kind}`);
  }
}

export const endReasonText = (t: TFunction, session: NasSession) => reasonText(t, endReason(session));

/** The cause as the NAS's own log names it ("Lost-Carrier"), for the NOC; null when the NAS gave none. */
export const causeName = (reason: EndReason): string | null =>
  reason.kind === 'cause' || reason.kind === 'words' ? reason.words.trim().replace(/\s+/g, '-') : null;

/** What a cause usually means on a subscriber's line, where that helps the diagnosis. */
export function causeHint(t: TFunction, reason: EndReason): string | null {
  if (reason.kind !== 'cause') return null;
  const key = `subscribers.card.session.causeHints.${reason.cause}`;
  return i18next.exists(key) ? t(key as 'subscribers.card.session.causeHints.lost_carrier') : null;
}

/** The RFC 5176 Error-Cause (§3.6) in the operator's words where known, else the NAS's own words. */
export function errorCauseText(t: TFunction, code: number | null, words: string | null): string | null {
  const key = `subscribers.card.session.errorCauses.${code}`;
  // The code comes from the NAS at run time, so the key cannot be checked at compile time.
  if (code !== null && i18next.exists(key)) return t(key as 'subscribers.card.session.errorCauses.503');
  return words ?? (code === null ? null : String(code));
}
