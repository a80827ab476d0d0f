import type { ContactOutcome, ContactReason } from '../../common/api/contacts.js';
import { type Random, Weighted } from '../../demo-data/random.js';

/**
 * What the simulated hotline draws: when callers call, how long they wait before giving up, how
 * long a conversation takes, why they called and how it ended. Seeded (the demo generator's
 * sfc32), so `--seed` replays the same callers in the same order.
 */

/** Exponential with this mean: the gap between arrivals of a Poisson process, a caller's patience. */
export function exponential(random: Random, mean: number): number {
  // 1 - next() is in (0, 1]: the logarithm is finite.
  return -Math.log(1 - random.next()) * mean;
}

/** Standard normal by Box-Muller. */
function normal(random: Random): number {
  const u = 1 - random.next();
  const v = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Log-normal with this mean and shape: handle times are skewed (most calls short, a few very
 * long), as measured in contact centres. mu is chosen so the mean comes out as asked.
 */
export function logNormal(random: Random, mean: number, sigma = 0.6): number {
  const mu = Math.log(mean) - (sigma * sigma) / 2;
  return Math.exp(mu + sigma * normal(random));
}

export function uniform(random: Random, min: number, max: number): number {
  return min + random.next() * (max - min);
}

/** Mean talk time per line, in seconds (the line's own agents' typical calls). */
export const meanHandleSeconds: Record<string, number> = { l1: 240, l2: 480, l3: 600 };

/** What callers call a line about, in a regional ISP's usual shares. */
const reasonsByLine: Record<string, Weighted<ContactReason>> = {
  l1: new Weighted<ContactReason>(
    ['no_internet', 'billing', 'slow_speed', 'tariff', 'connection_request', 'equipment', 'other'],
    [30, 25, 12, 12, 8, 8, 5],
  ),
  l2: new Weighted<ContactReason>(['no_internet', 'slow_speed', 'equipment', 'other'], [45, 25, 20, 10]),
  l3: new Weighted<ContactReason>(['no_internet', 'slow_speed', 'equipment', 'other'], [60, 20, 15, 5]),
};

const outcomes = new Weighted<ContactOutcome>(
  ['resolved', 'request_created', 'visit_needed', 'callback', 'escalated', 'claim'],
  [62, 12, 8, 7, 8, 3],
);

export function reasonFor(random: Random, line: string): ContactReason {
  return (reasonsByLine[line] ?? (reasonsByLine.l1 as Weighted<ContactReason>)).pick(random);
}

export function outcomeFor(random: Random): ContactOutcome {
  return outcomes.pick(random);
}

/** A Russian mobile number nobody in the demo has: +7 9xx, drawn. */
export function unknownNumber(random: Random): string {
  return `+79${String(random.int(0, 999_999_999)).padStart(9, '0')}`;
}
