import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  abandonRate,
  averageHandleTime,
  averageSpeedOfAnswer,
  type ContactForFigures,
  isShortAbandon,
  noContacts,
  occupancy,
  SHORT_ABANDON_SECONDS,
  serviceLevel,
  tallyLineContacts,
} from './service-level.js';

const answered = (waitedSeconds: number, handleSeconds: number | null = null): ContactForFigures => ({
  status: 'answered',
  waitedSeconds,
  handleSeconds,
});
const abandoned = (waitedSeconds: number): ContactForFigures => ({
  status: 'abandoned',
  waitedSeconds,
  handleSeconds: null,
});
const waiting = (waitedSeconds: number): ContactForFigures => ({
  status: 'waiting',
  waitedSeconds,
  handleSeconds: null,
});

const rules = { targetSeconds: 20 };

describe("a line's figures for today", () => {
  const morning = [
    answered(3, 240),
    answered(20, 300),
    answered(21, 360),
    answered(45, null), // still in after-contact work
    abandoned(2), // short: not counted
    abandoned(5), // at the threshold: still short
    abandoned(30),
    waiting(100), // counted once answered or abandoned
  ];
  const counts = tallyLineContacts(morning, rules);

  it('counts what each figure needs, the short abandons and the waiting ones apart', () => {
    expect(counts).toEqual({
      answered: 4,
      answeredWithinTarget: 2,
      abandonedAfterThreshold: 1,
      shortAbandoned: 2,
      secondsToAnswer: 3 + 20 + 21 + 45,
      handled: 3,
      handleSeconds: 240 + 300 + 360,
    });
  });

  it('service level: answered within the target ÷ (answered + abandoned after the threshold)', () => {
    expect(serviceLevel(counts)).toBe(2 / 5);
  });

  it('abandon rate: abandoned after the threshold ÷ the same contacts', () => {
    expect(abandonRate(counts)).toBe(1 / 5);
  });

  it('average speed of answer over the answered contacts only', () => {
    expect(averageSpeedOfAnswer(counts)).toBe(89 / 4);
  });

  it('average handle time over the contacts whose handling has ended', () => {
    expect(averageHandleTime(counts)).toBe(300);
  });

  it('a wait of exactly the target is within it', () => {
    expect(serviceLevel(tallyLineContacts([answered(20)], rules))).toBe(1);
    expect(serviceLevel(tallyLineContacts([answered(20.001)], rules))).toBe(0);
  });

  it('the short-abandon threshold is 5 s unless the line says otherwise', () => {
    expect(SHORT_ABANDON_SECONDS).toBe(5);
    expect(isShortAbandon(5)).toBe(true);
    expect(isShortAbandon(5.5)).toBe(false);
    const tally = tallyLineContacts([abandoned(8)], { ...rules, shortAbandonSeconds: 10 });
    expect(tally.shortAbandoned).toBe(1);
    expect(tally.abandonedAfterThreshold).toBe(0);
  });
});

describe('with nothing to count', () => {
  it('no contacts give no figures, not 100 % or 0', () => {
    const none = tallyLineContacts([], rules);
    expect(none).toEqual(noContacts);
    expect(serviceLevel(none)).toBeNull();
    expect(abandonRate(none)).toBeNull();
    expect(averageSpeedOfAnswer(none)).toBeNull();
    expect(averageHandleTime(none)).toBeNull();
  });

  it('only short abandons and waiting callers give no service level either', () => {
    const tally = tallyLineContacts([abandoned(1), abandoned(4), waiting(300)], rules);
    expect(serviceLevel(tally)).toBeNull();
    expect(abandonRate(tally)).toBeNull();
    expect(averageSpeedOfAnswer(tally)).toBeNull();
  });

  it('answered contacts still in after-contact work give a speed of answer but no handle time', () => {
    const tally = tallyLineContacts([answered(10)], rules);
    expect(averageSpeedOfAnswer(tally)).toBe(10);
    expect(averageHandleTime(tally)).toBeNull();
  });

  it('only abandons give a service level of 0 and an abandon rate of 100 %', () => {
    const tally = tallyLineContacts([abandoned(40), abandoned(60)], rules);
    expect(serviceLevel(tally)).toBe(0);
    expect(abandonRate(tally)).toBe(1);
  });
});

describe('occupancy', () => {
  it('is time on contacts and after-contact work ÷ time logged in less breaks', () => {
    // An 8-hour shift with an hour of breaks: 5 h on contacts and 1 h of after-contact work of 7 h.
    const hour = 3600;
    expect(
      occupancy({
        onContactSeconds: 5 * hour,
        afterContactWorkSeconds: hour,
        loggedInSeconds: 8 * hour,
        breakSeconds: hour,
      }),
    ).toBeCloseTo(6 / 7, 12);
  });

  it('is 0 for an agent who waited all day, and unknown for one never logged in or on break all the time', () => {
    expect(occupancy({ onContactSeconds: 0, afterContactWorkSeconds: 0, loggedInSeconds: 600, breakSeconds: 0 })).toBe(
      0,
    );
    expect(
      occupancy({ onContactSeconds: 0, afterContactWorkSeconds: 0, loggedInSeconds: 0, breakSeconds: 0 }),
    ).toBeNull();
    expect(
      occupancy({ onContactSeconds: 0, afterContactWorkSeconds: 0, loggedInSeconds: 900, breakSeconds: 900 }),
    ).toBeNull();
  });
});

const anyContact = fc.oneof(
  fc.record({
    status: fc.constant('answered' as const),
    waitedSeconds: fc.double({ min: 0, max: 3600, noNaN: true }),
    handleSeconds: fc.option(fc.double({ min: 0, max: 7200, noNaN: true })),
  }),
  fc.record({
    status: fc.constantFrom('abandoned' as const, 'waiting' as const),
    waitedSeconds: fc.double({ min: 0, max: 3600, noNaN: true }),
    handleSeconds: fc.constant(null),
  }),
);

describe('for any day of contacts', () => {
  it('service level and abandon rate lie in [0, 1] and never sum past 1', () => {
    fc.assert(
      fc.property(fc.array(anyContact, { maxLength: 200 }), fc.double({ min: 0, max: 600, noNaN: true }), (day, t) => {
        const counts = tallyLineContacts(day, { targetSeconds: t });
        const level = serviceLevel(counts);
        const abandons = abandonRate(counts);
        expect(level === null).toBe(abandons === null);
        if (level === null || abandons === null) return;
        expect(level).toBeGreaterThanOrEqual(0);
        expect(abandons).toBeGreaterThanOrEqual(0);
        expect(level + abandons).toBeLessThanOrEqual(1 + 1e-12);
      }),
    );
  });

  it('a short abandon more changes no figure', () => {
    fc.assert(
      fc.property(fc.array(anyContact, { maxLength: 100 }), fc.double({ min: 0, max: 5, noNaN: true }), (day, wait) => {
        const before = tallyLineContacts(day, rules);
        const after = tallyLineContacts([...day, abandoned(wait)], rules);
        expect(serviceLevel(after)).toBe(serviceLevel(before));
        expect(abandonRate(after)).toBe(abandonRate(before));
        expect(after.shortAbandoned).toBe(before.shortAbandoned + 1);
      }),
    );
  });
});
