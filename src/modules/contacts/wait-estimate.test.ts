import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AVERAGE_HANDLE_TIME_SMOOTHING,
  estimateWait,
  nextAverageHandleTime,
  STARTING_AVERAGE_HANDLE_TIME_SECONDS,
  spokenWait,
} from './wait-estimate.js';

const line = { idleAgents: 0, servingAgents: 4, ahtSeconds: 240, callbackOfferAfterSeconds: 600 };

describe('estimated wait', () => {
  it('is the contacts ahead of the caller, past the idle agents, times AHT shared among the serving agents', () => {
    // 4th in line, nobody idle, 4 agents at 240 s: one frees up every 60 s, the 4th waits 4 minutes.
    expect(estimateWait({ ...line, position: 4 })).toEqual({ position: 4, seconds: 240, offerCallback: false });
    expect(estimateWait({ ...line, position: 1 }).seconds).toBe(60);
    expect(estimateWait({ ...line, position: 4, idleAgents: 1 }).seconds).toBe(180);
  });

  it('is 0 for the contacts the idle agents take at once', () => {
    expect(estimateWait({ ...line, position: 2, idleAgents: 2 }).seconds).toBe(0);
    expect(estimateWait({ ...line, position: 1, idleAgents: 3 }).seconds).toBe(0);
  });

  it('is unknown, with the callback offered, when nobody serves the line', () => {
    expect(estimateWait({ ...line, position: 1, servingAgents: 0 })).toEqual({
      position: 1,
      seconds: null,
      offerCallback: true,
    });
  });

  it("offers a callback only once the estimate passes the line's threshold", () => {
    // 10th: 600 s, at the threshold, not past it; 11th: 660 s.
    expect(estimateWait({ ...line, position: 10 }).offerCallback).toBe(false);
    expect(estimateWait({ ...line, position: 11 }).offerCallback).toBe(true);
    expect(
      estimateWait({ ...line, position: 500, callbackOfferAfterSeconds: Number.POSITIVE_INFINITY }).offerCallback,
    ).toBe(false);
  });

  it('never falls as the caller stands further back, and never rises with more agents serving', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 500 }),
        fc.double({ min: 0, max: 7200, noNaN: true }),
        (position, idleAgents, servingAgents, ahtSeconds) => {
          const input = { position, idleAgents, servingAgents, ahtSeconds, callbackOfferAfterSeconds: 600 };
          const here = estimateWait(input).seconds!;
          expect(here).toBeGreaterThanOrEqual(0);
          expect(estimateWait({ ...input, position: position + 1 }).seconds!).toBeGreaterThanOrEqual(here);
          expect(estimateWait({ ...input, servingAgents: servingAgents + 1 }).seconds!).toBeLessThanOrEqual(here);
        },
      ),
    );
  });

  it('refuses a place in the queue or a count that cannot be', () => {
    for (const bad of [
      { ...line, position: 0 },
      { ...line, position: 1.5 },
      { ...line, position: 1, idleAgents: -1 },
      { ...line, position: 1, servingAgents: Number.NaN },
      { ...line, position: 1, ahtSeconds: -1 },
      { ...line, position: 1, ahtSeconds: Number.POSITIVE_INFINITY },
      { ...line, position: 1, callbackOfferAfterSeconds: -1 },
    ]) {
      expect(() => estimateWait(bad), JSON.stringify(bad)).toThrow(RangeError);
    }
  });
});

describe('average handle time', () => {
  it('moves a tenth of the way towards each handled contact', () => {
    expect(AVERAGE_HANDLE_TIME_SMOOTHING).toBe(0.1);
    expect(nextAverageHandleTime(200, 300)).toBeCloseTo(210, 12);
    expect(nextAverageHandleTime(200, 100)).toBeCloseTo(190, 12);
    expect(nextAverageHandleTime(200, 300, 0.5)).toBeCloseTo(250, 12);
  });

  it('starts a line with no history at 300 s, so its first contact does not set its average alone', () => {
    expect(STARTING_AVERAGE_HANDLE_TIME_SECONDS).toBe(300);
    expect(nextAverageHandleTime(null, 100)).toBeCloseTo(280, 12);
  });

  it('settles on a line whose contacts all take the same time', () => {
    let aht: number | null = null;
    for (let contact = 0; contact < 200; contact++) aht = nextAverageHandleTime(aht, 420);
    expect(aht).toBeCloseTo(420, 6);
  });

  it('always lies between the previous average and the new contact', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 10_000, noNaN: true }),
        fc.double({ min: 0, max: 10_000, noNaN: true }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        (previous, sample, alpha) => {
          const next = nextAverageHandleTime(previous, sample, alpha);
          expect(next).toBeGreaterThanOrEqual(Math.min(previous, sample) - 1e-9);
          expect(next).toBeLessThanOrEqual(Math.max(previous, sample) + 1e-9);
        },
      ),
    );
  });

  it('refuses a handle time or a smoothing that cannot be', () => {
    expect(() => nextAverageHandleTime(300, -1)).toThrow(RangeError);
    expect(() => nextAverageHandleTime(300, Number.NaN)).toThrow(RangeError);
    expect(() => nextAverageHandleTime(300, 100, 0)).toThrow(RangeError);
    expect(() => nextAverageHandleTime(300, 100, 1.5)).toThrow(RangeError);
  });
});

describe('the spoken wait', () => {
  it('says the place and the whole minutes rounded up: "you are 4th, about 3 minutes"', () => {
    expect(spokenWait({ position: 4, seconds: 150, offerCallback: false })).toEqual({ position: 4, minutes: 3 });
    expect(spokenWait({ position: 4, seconds: 180, offerCallback: false })).toEqual({ position: 4, minutes: 3 });
    expect(spokenWait({ position: 4, seconds: 181, offerCallback: false })).toEqual({ position: 4, minutes: 4 });
  });

  it('never says less than a minute', () => {
    expect(spokenWait({ position: 1, seconds: 0, offerCallback: false }).minutes).toBe(1);
    expect(spokenWait({ position: 1, seconds: 5, offerCallback: false }).minutes).toBe(1);
  });

  it('says no minutes when the wait is unknown', () => {
    expect(spokenWait({ position: 2, seconds: null, offerCallback: true })).toEqual({ position: 2, minutes: null });
  });
});
