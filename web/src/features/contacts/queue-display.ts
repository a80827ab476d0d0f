import type { LineQueue } from '@common/api/contacts.ts';

/**
 * How an estimate is said to the agent (and, in the same words, to the caller): "about 3 min",
 * not "2 min 47 s" — the figure is an average, and false precision reads as a promise.
 */
export type EstimateWording =
  | { key: 'unknown' }
  | { key: 'anyMoment' }
  | { key: 'underMinute' }
  | { key: 'aboutMinutes'; minutes: number };

/** null seconds: nobody serves the line now (docs/metrics.md), so there is no honest figure. */
export function estimateWording(seconds: number | null): EstimateWording {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return { key: 'unknown' };
  if (seconds === 0) return { key: 'anyMoment' };
  if (seconds < 60) return { key: 'underMinute' };
  return { key: 'aboutMinutes', minutes: Math.round(seconds / 60) };
}

export type WaitingContact = LineQueue['contacts'][number];

/**
 * The waiting contacts as the caller hears their place: by position, the head first. The server
 * sends them in that order; sorting again keeps the list right if it ever does not.
 */
export const inQueueOrder = (contacts: readonly WaitingContact[]): WaitingContact[] =>
  [...contacts].sort((a, b) => a.estimate.position - b.estimate.position || b.waitedSeconds - a.waitedSeconds);

/** The agent's own lines first, in the order their profile lists them; others after. */
export function queuesInOrder(queues: readonly LineQueue[], ownLines: readonly string[]): LineQueue[] {
  const rank = (line: string) => {
    const index = ownLines.indexOf(line);
    return index === -1 ? ownLines.length : index;
  };
  return [...queues].sort((a, b) => rank(a.line) - rank(b.line) || a.line.localeCompare(b.line));
}
