import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AlertState, nextAlertState, type PlacedAlert, sameAlertState } from './incoming.js';

const minute = (n: number) => new Date(Date.UTC(2026, 11, 6, 8, n));

const notification = fc.record({
  status: fc.constantFrom<'firing' | 'resolved'>('firing', 'resolved'),
  start: fc.integer({ min: 0, max: 30 }),
  length: fc.integer({ min: 0, max: 30 }),
  acknowledged: fc.constantFrom(undefined, true, false),
  nodeId: fc.constantFrom(null, 1, 2),
  summary: fc.constantFrom(null, 'a', 'b'),
});

type Notification = typeof notification extends fc.Arbitrary<infer T> ? T : never;

const placed = (n: Notification): PlacedAlert => ({
  source: 'zabbix',
  externalId: '1',
  identifiers: [],
  name: 'X',
  severity: null,
  status: n.status,
  ...(n.acknowledged === undefined ? {} : { acknowledged: n.acknowledged }),
  summary: n.summary,
  startedAt: minute(n.start),
  endedAt: n.status === 'resolved' ? minute(n.start + n.length) : null,
  nodeId: n.nodeId,
  nodeIdentifier: n.nodeId === null ? null : `node-${n.nodeId}`,
  receivedAt: minute(59),
});

const replay = (notifications: PlacedAlert[]) =>
  notifications.reduce<AlertState | null>((state, next) => nextAlertState(state, next), null);

describe('the state an alert is in after its notifications', () => {
  it('is the same whether a notification came once or twice in a row', () => {
    fc.assert(
      fc.property(fc.array(notification, { maxLength: 6 }), notification, (earlier, repeated) => {
        const before = replay(earlier.map(placed));
        const once = nextAlertState(before, placed(repeated));
        expect(sameAlertState(nextAlertState(once, placed(repeated)), once)).toBe(true);
      }),
    );
  });

  it("is resolved at the resolution's time whichever of an occurrence's firing and resolution came first", () => {
    fc.assert(
      fc.property(notification, (n) => {
        const firing = placed({ ...n, status: 'firing' });
        const resolved = placed({ ...n, status: 'resolved' });
        for (const order of [
          [firing, resolved],
          [resolved, firing],
        ]) {
          const state = replay(order);
          expect(state?.status).toBe('resolved');
          expect(state?.startedAt).toEqual(minute(n.start));
          expect(state?.endedAt).toEqual(minute(n.start + n.length));
        }
      }),
    );
  });

  it('fires again when a firing starts after the stored resolution, and leaves the acknowledgement behind', () => {
    const first = placed({ status: 'firing', start: 0, length: 0, acknowledged: true, nodeId: 1, summary: 'a' });
    const over = placed({ status: 'resolved', start: 0, length: 5, acknowledged: undefined, nodeId: 1, summary: 'a' });
    const again = placed({ status: 'firing', start: 10, length: 0, acknowledged: undefined, nodeId: 1, summary: 'a' });
    expect(replay([first, over, again])).toMatchObject({
      status: 'firing',
      acknowledged: false,
      startedAt: minute(10),
      endedAt: null,
    });
  });

  it('keeps the node it was on when a later notification names none Linedesk knows', () => {
    const onNode = placed({ status: 'firing', start: 0, length: 0, acknowledged: undefined, nodeId: 2, summary: 'a' });
    const nowhere = placed({
      status: 'firing',
      start: 0,
      length: 0,
      acknowledged: undefined,
      nodeId: null,
      summary: 'a',
    });
    expect(replay([onNode, nowhere])).toMatchObject({ nodeId: 2, nodeIdentifier: 'node-2' });
  });
});
