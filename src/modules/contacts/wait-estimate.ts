/**
 * What a waiting caller is told: their place in the queue and about how long (docs/metrics.md,
 * "Estimated wait"). Shown to the agent too, so both hear the same figure.
 */

export interface WaitEstimateInput {
  /** The contact's place in its line's queue; the head is 1. */
  position: number;
  /** Agents of the line available right now, who take the first contacts at once. */
  idleAgents: number;
  /** Agents serving the line now: available, offered, on a contact or in after-contact work; not on break, not offline. */
  servingAgents: number;
  ahtSeconds: number;
  /** The line's threshold: an estimate above it offers the caller a callback instead of holding. */
  callbackOfferAfterSeconds: number;
}

export interface WaitEstimate {
  position: number;
  /** null: nobody serves the line, so no honest figure exists. */
  seconds: number | null;
  offerCallback: boolean;
}

function assertCount(name: string, value: number, least: number): void {
  if (!Number.isInteger(value) || value < least)
    throw new RangeError(`${name} must be a whole number ≥ ${least}, got ${value}`);
}

function assertSeconds(name: string, value: number): void {
  if (Number.isNaN(value) || value < 0) throw new RangeError(`${name} must be ≥ 0 seconds, got ${value}`);
}

/**
 * E[W | k] = max(0, k − idle) × AHT / N: the idle agents take the first contacts at once, and the
 * rest wait for agents to free up, one every AHT / N seconds on average with N agents serving.
 */
export function estimateWait(input: WaitEstimateInput): WaitEstimate {
  const { position, idleAgents, servingAgents, ahtSeconds, callbackOfferAfterSeconds } = input;
  assertCount('position', position, 1);
  assertCount('idleAgents', idleAgents, 0);
  assertCount('servingAgents', servingAgents, 0);
  assertSeconds('ahtSeconds', ahtSeconds);
  if (!Number.isFinite(ahtSeconds)) throw new RangeError(`ahtSeconds must be finite, got ${ahtSeconds}`);
  // Infinity is allowed: a line that never offers a callback.
  assertSeconds('callbackOfferAfterSeconds', callbackOfferAfterSeconds);
  if (servingAgents === 0) return { position, seconds: null, offerCallback: true };
  const seconds = (Math.max(0, position - idleAgents) * ahtSeconds) / servingAgents;
  return { position, seconds, offerCallback: seconds > callbackOfferAfterSeconds };
}

/**
 * A line with no handled contact yet starts here: an ISP's first line solves most issues in 3-5
 * minutes (BRIEF.md, step 10), and 5 minutes with after-contact work errs on the long side, so a
 * new line promises no shorter wait than it can keep.
 */
export const STARTING_AVERAGE_HANDLE_TIME_SECONDS = 300;

/**
 * Each handled contact moves the average a tenth of the way to its own handle time: half the
 * weight lies on the last 7 contacts and nine tenths on the last 22, so a line follows a change in
 * its calls (an outage brings short ones) within a few dozen contacts, while one 40-minute outlier
 * moves the caller's estimate by a tenth of its excess, not all of it.
 */
export const AVERAGE_HANDLE_TIME_SMOOTHING = 0.1;

/**
 * The line's average handle time, an exponentially weighted average of handled contacts' talk +
 * hold + after-contact work: next = previous + alpha × (sample − previous).
 */
export function nextAverageHandleTime(
  previous: number | null,
  sampleSeconds: number,
  alpha: number = AVERAGE_HANDLE_TIME_SMOOTHING,
): number {
  if (!Number.isFinite(sampleSeconds) || sampleSeconds < 0) {
    throw new RangeError(`a handle time must be finite seconds ≥ 0, got ${sampleSeconds}`);
  }
  if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`alpha must be in (0, 1], got ${alpha}`);
  const start = previous ?? STARTING_AVERAGE_HANDLE_TIME_SECONDS;
  return start + alpha * (sampleSeconds - start);
}

/**
 * How the estimate is spoken: "you are 4th, about 3 minutes". Whole minutes rounded up, at least
 * one: "about 0 minutes" promises an answer the caller may not get, and a shorter promise than the
 * estimate is the one they remember.
 */
export function spokenWait(estimate: WaitEstimate): { position: number; minutes: number | null } {
  if (estimate.seconds === null) return { position: estimate.position, minutes: null };
  return { position: estimate.position, minutes: Math.max(1, Math.ceil(estimate.seconds / 60)) };
}
