/**
 * Erlang C for one line: the supervisor's "how many agents does this traffic need" (docs/metrics.md,
 * "Erlang C"). Computed through the Erlang B recursion, never with factorials or powers of the
 * traffic: A^N / N! overflows a double past N ≈ 170, and lines of 500 Erlang exist.
 */

export interface ErlangCInput {
  arrivalsPerSecond: number;
  ahtSeconds: number;
  agents: number;
  targetSeconds: number;
}

export interface ErlangCResult {
  trafficErlangs: number;
  probabilityOfWaiting: number;
  averageSpeedOfAnswerSeconds: number;
  serviceLevel: number;
  occupancy: number;
}

/**
 * With no more agents than Erlang of traffic the queue grows without end: every contact waits,
 * the average wait is unbounded, nobody is answered within any target, every agent is busy.
 */
const overloaded = (trafficErlangs: number, agents: number): ErlangCResult => ({
  trafficErlangs,
  probabilityOfWaiting: 1,
  averageSpeedOfAnswerSeconds: Number.POSITIVE_INFINITY,
  serviceLevel: 0,
  // No agents, nobody to be occupied; otherwise all of them, all the time.
  occupancy: agents === 0 ? 0 : 1,
});

const noTraffic: ErlangCResult = {
  trafficErlangs: 0,
  probabilityOfWaiting: 0,
  averageSpeedOfAnswerSeconds: 0,
  serviceLevel: 1,
  occupancy: 0,
};

/** B(n) from B(n − 1): the blocking probability of n servers, always in (0, 1], so it never overflows. */
const nextErlangB = (traffic: number, agents: number, previous: number): number =>
  (traffic * previous) / (agents + traffic * previous);

/** The line's figures from Erlang B at N agents; only for N > A > 0. */
function figuresFromBlocking(
  traffic: number,
  agents: number,
  blocking: number,
  ahtSeconds: number,
  targetSeconds: number,
): ErlangCResult {
  const raw = (agents * blocking) / (agents - traffic * (1 - blocking));
  // Rounding may push a probability a hair past 1 when N is just above A.
  const probabilityOfWaiting = Math.min(1, Math.max(0, raw));
  const spareAgents = agents - traffic;
  return {
    trafficErlangs: traffic,
    probabilityOfWaiting,
    averageSpeedOfAnswerSeconds: (probabilityOfWaiting * ahtSeconds) / spareAgents,
    serviceLevel: Math.min(
      1,
      Math.max(0, 1 - probabilityOfWaiting * Math.exp((-spareAgents * targetSeconds) / ahtSeconds)),
    ),
    occupancy: traffic / agents,
  };
}

function assertRate(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a finite number ≥ 0, got ${value}`);
}

function assertLine(arrivalsPerSecond: number, ahtSeconds: number, targetSeconds: number): void {
  assertRate('arrivalsPerSecond', arrivalsPerSecond);
  assertRate('ahtSeconds', ahtSeconds);
  assertRate('targetSeconds', targetSeconds);
}

/** Probability of waiting, average speed of answer, service level and occupancy of N agents on a line. */
export function erlangC(input: ErlangCInput): ErlangCResult {
  const { arrivalsPerSecond, ahtSeconds, agents, targetSeconds } = input;
  assertLine(arrivalsPerSecond, ahtSeconds, targetSeconds);
  if (!Number.isInteger(agents) || agents < 0) throw new RangeError(`agents must be a whole number ≥ 0, got ${agents}`);
  const traffic = arrivalsPerSecond * ahtSeconds;
  if (agents === 0) return traffic === 0 ? noTraffic : overloaded(traffic, agents);
  if (traffic === 0) return noTraffic;
  if (agents <= traffic) return overloaded(traffic, agents);
  let blocking = 1;
  for (let n = 1; n <= agents; n++) blocking = nextErlangB(traffic, n, blocking);
  return figuresFromBlocking(traffic, agents, blocking, ahtSeconds, targetSeconds);
}

/**
 * Where the search for enough agents gives up: the square-root staffing rule puts the answer near
 * A + β√A with β below 4 for any service level a line asks for; at β = 10 (plus 10 for small
 * traffic) the probability of waiting is below 1e-20, past what a double tells from 1.
 */
const searchLimit = (traffic: number): number => Math.ceil(traffic + 10 * Math.sqrt(traffic) + 10);

/**
 * The fewest agents whose service level at targetSeconds reaches targetShare (e.g. 0.8), and their
 * figures; null when the traffic is 0. Bounded search (up to traffic + enough).
 */
export function agentsNeeded(
  arrivalsPerSecond: number,
  ahtSeconds: number,
  targetSeconds: number,
  targetShare: number,
): { agents: number; result: ErlangCResult } | null {
  assertLine(arrivalsPerSecond, ahtSeconds, targetSeconds);
  if (!(targetShare >= 0 && targetShare < 1)) {
    throw new RangeError(
      `targetShare must be ≥ 0 and below 1 (no finite staff answers every contact), got ${targetShare}`,
    );
  }
  const traffic = arrivalsPerSecond * ahtSeconds;
  if (traffic === 0) return null;
  const limit = searchLimit(traffic);
  let blocking = 1;
  let last: { agents: number; result: ErlangCResult } | null = null;
  // One pass of the recursion: B(n) for every n up to the answer, checking each N above A.
  for (let agents = 1; agents <= limit; agents++) {
    blocking = nextErlangB(traffic, agents, blocking);
    if (agents <= traffic) continue;
    last = { agents, result: figuresFromBlocking(traffic, agents, blocking, ahtSeconds, targetSeconds) };
    if (last.result.serviceLevel >= targetShare) return last;
  }
  // Unreachable for a share a double tells from 1 (see searchLimit); the most agents searched, not a guess.
  return last;
}
