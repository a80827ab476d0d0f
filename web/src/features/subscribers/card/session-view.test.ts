import type { NasSession, SessionPanel } from '@common/api/nas-sessions.ts';
import { describe, expect, it } from 'vitest';
import {
  ageOf,
  causeOf,
  durationParts,
  endReason,
  formatBytes,
  lastEnded,
  lineState,
  notApplied,
  stripSegments,
} from './session-view.ts';

const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

function session(overrides: Partial<NasSession> = {}): NasSession {
  return {
    nas: 'bras-1',
    acctSessionId: '81000001',
    state: 'open',
    startSeen: true,
    startedAt: '2026-11-25T09:00:00.000Z',
    lastEventAt: '2026-11-25T09:05:00.000Z',
    endedAt: null,
    terminateCause: null,
    framedIp: '100.64.3.4',
    framedIpv6Prefix: null,
    delegatedIpv6Prefix: null,
    bytesDown: 0,
    bytesUp: 0,
    changes: [],
    ...overrides,
  };
}

const panel = (timeline: NasSession[], overrides: Partial<SessionPanel> = {}): SessionPanel => ({
  current: timeline.find((each) => each.state !== 'closed') ?? null,
  timeline,
  application: null,
  readAt: '2026-11-25T10:00:00.000Z',
  ...overrides,
});

const closed = (overrides: Partial<NasSession> = {}) =>
  session({
    state: 'closed',
    endedAt: '2026-11-24T20:00:00.000Z',
    startedAt: '2026-11-24T08:00:00.000Z',
    ...overrides,
  });

describe("the card's line state", () => {
  it('says online for an open session, not heard of lately for a stale one, offline after a Stop, unknown with none', () => {
    expect(lineState(panel([session()]))).toBe('online');
    expect(lineState(panel([session({ state: 'stale' })]))).toBe('stale');
    expect(lineState(panel([closed()]))).toBe('offline');
    expect(lineState(panel([]))).toBe('unknown');
  });

  it('finds the newest ended session while a newer one is online', () => {
    const older = closed({ acctSessionId: 'old', terminateCause: 'Lost Carrier' });
    const oldest = closed({ acctSessionId: 'oldest', terminateCause: 'User Request' });
    expect(lastEnded(panel([session(), older, oldest]))?.acctSessionId).toBe('old');
    expect(lastEnded(panel([session()]))).toBeNull();
  });

  it("names the NAS's terminate cause by its RFC words, and keeps words no dictionary knows", () => {
    expect(causeOf('Lost Carrier')).toEqual({ kind: 'cause', cause: 'lost_carrier', words: 'Lost Carrier' });
    expect(causeOf('NAS Request')).toMatchObject({ cause: 'nas_request' });
    expect(causeOf('Port Administratively Disabled')).toMatchObject({ cause: 'port_administratively_disabled' });
    expect(causeOf('Unknown cause 40')).toEqual({ kind: 'words', words: 'Unknown cause 40' });
  });

  it("says a session without a Stop was closed by the NAS's restart or by a newer session of its id", () => {
    const byNas = (status: string) =>
      closed({ changes: [{ at: '2026-11-24T20:00:00.000Z', change: 'closed_by_nas', details: { status } }] });
    expect(endReason(byNas('accounting_on'))).toEqual({ kind: 'nas-restarted' });
    expect(endReason(byNas('accounting_off'))).toEqual({ kind: 'nas-stopped' });
    expect(
      endReason(
        closed({
          changes: [
            { at: '2026-11-24T19:00:00.000Z', change: 'replaced', details: {} },
            { at: '2026-11-24T19:30:00.000Z', change: 'stale', details: {} },
          ],
        }),
      ),
    ).toEqual({ kind: 'replaced' });
    expect(endReason(closed({ terminateCause: 'Idle Timeout' }))).toMatchObject({
      kind: 'cause',
      cause: 'idle_timeout',
    });
    expect(endReason(closed())).toEqual({ kind: 'none' });
  });

  it('warns while a change waits for the NAS or was refused, not once applied', () => {
    const application = {
      reason: 'account-state' as const,
      requestedAt: '2026-11-25T09:59:00.000Z',
      lastAnswer: null,
    };
    expect(notApplied({ ...application, state: 'waiting' })?.state).toBe('waiting');
    expect(notApplied({ ...application, state: 'refused' })?.state).toBe('refused');
    expect(notApplied({ ...application, state: 'applied' })).toBeNull();
    expect(notApplied(null)).toBeNull();
  });
});

describe('figures on the panel', () => {
  it('shows octets in decimal units, one decimal under ten', () => {
    expect(plain(formatBytes(0, 'en-GB'))).toBe('0 byte');
    expect(plain(formatBytes(999, 'en-GB'))).toBe('999 byte');
    expect(plain(formatBytes(1_234_567, 'en-GB'))).toBe('1.2 MB');
    expect(plain(formatBytes(2 * 2 ** 32 + 11, 'ru-RU'))).toBe('8,6 ГБ');
    expect(plain(formatBytes(45_600_000_000, 'ru-RU'))).toBe('46 ГБ');
  });

  it('gives a duration as its two largest units', () => {
    expect(durationParts(30_000)).toEqual([]);
    expect(durationParts(15 * 60_000)).toEqual([{ unit: 'minutes', count: 15 }]);
    expect(durationParts((2 * 60 + 15) * 60_000)).toEqual([
      { unit: 'hours', count: 2 },
      { unit: 'minutes', count: 15 },
    ]);
    expect(durationParts((3 * 1440 + 4 * 60 + 59) * 60_000)).toEqual([
      { unit: 'days', count: 3 },
      { unit: 'hours', count: 4 },
    ]);
    expect(durationParts(2 * 1440 * 60_000 + 5 * 60_000)).toEqual([{ unit: 'days', count: 2 }]);
  });

  it('gives its own age in the one unit that reads best', () => {
    expect(ageOf(-3)).toEqual({ unit: 'seconds', count: 0 });
    expect(ageOf(40.9)).toEqual({ unit: 'seconds', count: 40 });
    expect(ageOf(185)).toEqual({ unit: 'minutes', count: 3 });
    expect(ageOf(7300)).toEqual({ unit: 'hours', count: 2 });
    expect(ageOf(3 * 86_400)).toEqual({ unit: 'days', count: 3 });
  });

  it('lays the 30 days on a strip, oldest first, an open session reaching the right edge', () => {
    const open = session({ startedAt: '2026-11-25T04:00:00.000Z' });
    const tenDaysAgo = closed({ startedAt: '2026-11-15T10:00:00.000Z', endedAt: '2026-11-20T10:00:00.000Z' });
    const beforeTheWindow = closed({ startedAt: '2026-10-20T10:00:00.000Z', endedAt: '2026-10-30T10:00:00.000Z' });
    const segments = stripSegments(panel([open, tenDaysAgo, beforeTheWindow]));
    expect(segments.map((segment) => segment.session.startedAt)).toEqual([
      beforeTheWindow.startedAt,
      tenDaysAgo.startedAt,
      open.startedAt,
    ]);
    const [first, second, third] = segments;
    expect(first?.from).toBe(0);
    // The window opens on 26 October at 10:00: four days of that session are in it.
    expect(first?.to).toBeCloseTo(4 / 30, 5);
    expect(second?.from).toBeCloseTo(20 / 30, 5);
    expect(second?.to).toBeCloseTo(25 / 30, 5);
    expect(third?.from).toBeCloseTo(1 - 6 / (30 * 24), 5);
    expect(third?.to).toBe(1);
  });

  it('gives a session of a few seconds a visible sliver', () => {
    const blink = closed({ startedAt: '2026-11-25T09:59:58.000Z', endedAt: '2026-11-25T09:59:59.000Z' });
    const [segment] = stripSegments(panel([blink]), 0.01);
    expect(segment?.to).toBeLessThanOrEqual(1);
    expect((segment?.to ?? 0) - (segment?.from ?? 0)).toBeGreaterThanOrEqual(0.01 - 1e-9);
  });
});
