import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { agentsNeeded, erlangC } from './erlang.js';

/** The textbook line: 200 calls an hour of 180 s each is 10 Erlang, answered within 20 s. */
const textbookLine = { arrivalsPerSecond: 200 / 3600, ahtSeconds: 180, targetSeconds: 20 };

const percent = (share: number) => Number((share * 100).toFixed(1));
const tenths = (seconds: number) => Number(seconds.toFixed(1));

describe('Erlang C', () => {
  it("gives the textbook example's published figures for 11, 12 and 13 agents on 10 Erlang", () => {
    const published = [
      { agents: 11, waiting: 68.2, asa: 122.8, serviceLevel: 39.0 },
      { agents: 12, waiting: 44.9, asa: 40.4, serviceLevel: 64.0 },
      { agents: 13, waiting: 28.5, asa: 17.1, serviceLevel: 79.6 },
    ];
    for (const row of published) {
      const result = erlangC({ ...textbookLine, agents: row.agents });
      expect(result.trafficErlangs).toBeCloseTo(10, 12);
      expect(percent(result.probabilityOfWaiting), `P(wait) at ${row.agents}`).toBe(row.waiting);
      expect(tenths(result.averageSpeedOfAnswerSeconds), `ASA at ${row.agents}`).toBe(row.asa);
      expect(percent(result.serviceLevel), `SL at ${row.agents}`).toBe(row.serviceLevel);
      expect(result.occupancy).toBeCloseTo(10 / row.agents, 12);
    }
  });

  it('names 14 agents for the textbook line at 80 % in 20 s, since 13 reach only 79.6 %', () => {
    const needed = agentsNeeded(textbookLine.arrivalsPerSecond, 180, 20, 0.8)!;
    expect(needed.agents).toBe(14);
    expect(needed.result.serviceLevel).toBeGreaterThanOrEqual(0.8);
    expect(needed.result).toEqual(erlangC({ ...textbookLine, agents: 14 }));
  });

  it('stays finite, within [0, 1] and monotone at 500 Erlang for 501..560 agents', () => {
    let previous = erlangC({ arrivalsPerSecond: 500 / 180, ahtSeconds: 180, agents: 501, targetSeconds: 20 });
    for (let agents = 501; agents <= 560; agents++) {
      const result = erlangC({ arrivalsPerSecond: 500 / 180, ahtSeconds: 180, agents, targetSeconds: 20 });
      expect(result.trafficErlangs).toBeCloseTo(500, 9);
      for (const share of [result.probabilityOfWaiting, result.serviceLevel, result.occupancy]) {
        expect(Number.isFinite(share)).toBe(true);
        expect(share).toBeGreaterThanOrEqual(0);
        expect(share).toBeLessThanOrEqual(1);
      }
      expect(Number.isFinite(result.averageSpeedOfAnswerSeconds)).toBe(true);
      expect(result.probabilityOfWaiting).toBeLessThanOrEqual(previous.probabilityOfWaiting);
      expect(result.serviceLevel).toBeGreaterThanOrEqual(previous.serviceLevel);
      expect(result.averageSpeedOfAnswerSeconds).toBeLessThanOrEqual(previous.averageSpeedOfAnswerSeconds);
      previous = result;
    }
    // 60 agents above 500 Erlang answer nearly everyone at once (β ≈ 2.7 in square-root staffing).
    expect(previous.probabilityOfWaiting).toBeLessThan(0.01);
  });

  it('agrees at 500 Erlang with the exact figures of rational arithmetic to 12 digits', () => {
    // C(N, 500) from the same recursion in exact fractions (Python's fractions.Fraction).
    const exact = new Map([
      [501, 0.945722642169378],
      [510, 0.5502107127623015],
      [520, 0.2747563446965241],
      [540, 0.04831989262879657],
      [560, 0.004922059349059665],
    ]);
    for (const [agents, probabilityOfWaiting] of exact) {
      const result = erlangC({ arrivalsPerSecond: 500 / 180, ahtSeconds: 180, agents, targetSeconds: 20 });
      expect(result.probabilityOfWaiting / probabilityOfWaiting).toBeCloseTo(1, 12);
    }
  });

  it('computes 5,000 Erlang without overflow, where A^N / N! would be Infinity / Infinity', () => {
    const result = erlangC({ arrivalsPerSecond: 5000 / 180, ahtSeconds: 180, agents: 5100, targetSeconds: 20 });
    expect(result.probabilityOfWaiting).toBeGreaterThan(0);
    expect(result.probabilityOfWaiting).toBeLessThan(1);
    expect(Number.isFinite(result.averageSpeedOfAnswerSeconds)).toBe(true);
  });

  it('with no traffic, nobody waits and everyone is answered within the target', () => {
    expect(erlangC({ arrivalsPerSecond: 0, ahtSeconds: 180, agents: 3, targetSeconds: 20 })).toEqual({
      trafficErlangs: 0,
      probabilityOfWaiting: 0,
      averageSpeedOfAnswerSeconds: 0,
      serviceLevel: 1,
      occupancy: 0,
    });
    expect(erlangC({ arrivalsPerSecond: 0, ahtSeconds: 180, agents: 0, targetSeconds: 20 }).probabilityOfWaiting).toBe(
      0,
    );
    expect(agentsNeeded(0, 180, 20, 0.8)).toBeNull();
    expect(agentsNeeded(1, 0, 20, 0.8)).toBeNull();
  });

  it('with no more agents than Erlang, waiting is certain, the wait unbounded and the service level 0', () => {
    for (const agents of [0, 5, 10]) {
      const result = erlangC({ ...textbookLine, agents });
      expect(result.probabilityOfWaiting).toBe(1);
      expect(result.averageSpeedOfAnswerSeconds).toBe(Number.POSITIVE_INFINITY);
      expect(result.serviceLevel).toBe(0);
      expect(result.occupancy).toBe(agents === 0 ? 0 : 1);
    }
  });

  it('a target of 0 s is the share answered at once, 1 − P(wait)', () => {
    const result = erlangC({ ...textbookLine, targetSeconds: 0, agents: 12 });
    expect(result.serviceLevel).toBeCloseTo(1 - result.probabilityOfWaiting, 15);
  });

  it('refuses figures that describe no line', () => {
    const line = { ...textbookLine, agents: 12 };
    for (const bad of [
      { ...line, agents: -1 },
      { ...line, agents: 1.5 },
      { ...line, arrivalsPerSecond: -0.1 },
      { ...line, arrivalsPerSecond: Number.NaN },
      { ...line, ahtSeconds: Number.POSITIVE_INFINITY },
      { ...line, targetSeconds: -20 },
    ]) {
      expect(() => erlangC(bad), JSON.stringify(bad)).toThrow(RangeError);
    }
    expect(() => agentsNeeded(1, 180, 20, 1)).toThrow(RangeError);
    expect(() => agentsNeeded(1, 180, 20, -0.1)).toThrow(RangeError);
    expect(() => agentsNeeded(1, 180, 20, Number.NaN)).toThrow(RangeError);
  });
});

const traffic = fc.double({ min: 0.01, max: 600, noNaN: true });
const aht = fc.double({ min: 1, max: 3600, noNaN: true });
const target = fc.double({ min: 0, max: 600, noNaN: true });

describe('Erlang C, for any line', () => {
  it('one more agent never raises P(wait) or lowers the service level, and both stay in [0, 1]', () => {
    fc.assert(
      fc.property(
        traffic,
        aht,
        target,
        fc.integer({ min: 0, max: 60 }),
        (erlangs, ahtSeconds, targetSeconds, extra) => {
          const line = { arrivalsPerSecond: erlangs / ahtSeconds, ahtSeconds, targetSeconds };
          const agents = Math.floor(erlangs) + extra;
          const fewer = erlangC({ ...line, agents });
          const more = erlangC({ ...line, agents: agents + 1 });
          for (const result of [fewer, more]) {
            expect(result.probabilityOfWaiting).toBeGreaterThanOrEqual(0);
            expect(result.probabilityOfWaiting).toBeLessThanOrEqual(1);
            expect(result.serviceLevel).toBeGreaterThanOrEqual(0);
            expect(result.serviceLevel).toBeLessThanOrEqual(1);
            expect(result.occupancy).toBeGreaterThanOrEqual(0);
            expect(result.occupancy).toBeLessThanOrEqual(1);
            expect(result.averageSpeedOfAnswerSeconds).toBeGreaterThanOrEqual(0);
          }
          expect(more.probabilityOfWaiting).toBeLessThanOrEqual(fewer.probabilityOfWaiting);
          expect(more.serviceLevel).toBeGreaterThanOrEqual(fewer.serviceLevel);
        },
      ),
    );
  });

  it('the agents needed reach the target and one fewer do not', () => {
    fc.assert(
      fc.property(traffic, aht, target, fc.double({ min: 0, max: 0.999, noNaN: true }), (erlangs, a, t, share) => {
        const needed = agentsNeeded(erlangs / a, a, t, share)!;
        expect(needed.result.serviceLevel).toBeGreaterThanOrEqual(share);
        const oneFewer = erlangC({
          arrivalsPerSecond: erlangs / a,
          ahtSeconds: a,
          targetSeconds: t,
          agents: needed.agents - 1,
        });
        // Never fewer than keep the queue from growing, even when any service level would do.
        expect(needed.agents).toBeGreaterThan(needed.result.trafficErlangs);
        if (oneFewer.trafficErlangs < needed.agents - 1) expect(oneFewer.serviceLevel).toBeLessThan(share);
      }),
    );
  });
});
