import { describe, expect, it } from 'vitest';
import { formatDuration, formatTimeOfDay, secondsLater, secondsSince, secondsUntil, serverClock } from './clock.ts';

const at = (iso: string) => Date.parse(iso);

describe('timers on the server’s clock', () => {
  it('counts from the server’s now, even when the browser’s clock is minutes off', () => {
    // The browser is 5 minutes fast: it received the answer at 10:05:00 by its own clock.
    const clock = serverClock('2025-03-01T10:00:00Z', at('2025-03-01T10:05:00Z'));
    // 7 s later by the browser, an agent available since 09:59:50 has been so for 17 s.
    expect(secondsSince('2025-03-01T09:59:50Z', clock, at('2025-03-01T10:05:07Z'))).toBe(17);
  });

  it('counts down to an offer’s end, rounding up, and stops at zero', () => {
    const clock = serverClock('2025-03-01T10:00:00Z', at('2025-03-01T10:00:00Z'));
    expect(secondsUntil('2025-03-01T10:00:15Z', clock, at('2025-03-01T10:00:00.200Z'))).toBe(15);
    expect(secondsUntil('2025-03-01T10:00:15Z', clock, at('2025-03-01T10:00:14.900Z'))).toBe(1);
    expect(secondsUntil('2025-03-01T10:00:15Z', clock, at('2025-03-01T10:00:20Z'))).toBe(0);
  });

  it('never shows a negative time when an instant is a little ahead of the server’s now', () => {
    const clock = serverClock('2025-03-01T10:00:00Z', at('2025-03-01T10:00:00Z'));
    expect(secondsSince('2025-03-01T10:00:01Z', clock, at('2025-03-01T10:00:00Z'))).toBe(0);
  });

  it('carries a wait the server measured forward by the time since the answer came', () => {
    const clock = serverClock('2025-03-01T10:00:00Z', at('2025-03-01T12:00:00Z'));
    expect(secondsLater(42.4, clock, at('2025-03-01T12:00:03.500Z'))).toBe(45);
  });

  it('treats an unreadable instant as no time at all rather than NaN on screen', () => {
    const clock = serverClock('not a time', 1000);
    expect(clock.offsetMs).toBe(0);
    expect(secondsSince('nonsense', clock, 5000)).toBe(0);
    expect(secondsUntil('nonsense', clock, 5000)).toBe(0);
  });
});

describe('durations', () => {
  it('are mm:ss under an hour and h:mm:ss from the first hour', () => {
    expect(formatDuration(0)).toBe('00:00');
    expect(formatDuration(7)).toBe('00:07');
    expect(formatDuration(754)).toBe('12:34');
    expect(formatDuration(3599)).toBe('59:59');
    expect(formatDuration(3600)).toBe('1:00:00');
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(formatDuration(36_000 + 59)).toBe('10:00:59');
  });

  it('drop fractions and never go below zero', () => {
    expect(formatDuration(9.99)).toBe('00:09');
    expect(formatDuration(-3)).toBe('00:00');
  });
});

describe('the time of day on a contact’s timeline', () => {
  it('is in the ISP’s zone, to the second (the demo city is UTC+5)', () => {
    expect(formatTimeOfDay('2025-03-01T09:20:05Z')).toBe('14:20:05');
    expect(formatTimeOfDay('2025-03-01T19:00:00Z')).toBe('00:00:00');
  });
});
