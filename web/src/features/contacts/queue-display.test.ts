import type { LineQueue } from '@common/api/contacts.ts';
import { describe, expect, it } from 'vitest';
import { estimateWording, inQueueOrder, queuesInOrder, type WaitingContact } from './queue-display.ts';

const waiting = (id: number, position: number, waitedSeconds: number): WaitingContact => ({
  id,
  channel: 'call',
  callerNumber: null,
  priority: 0,
  waitedSeconds,
  estimate: { position, seconds: null, offerCallback: false },
});

const queue = (line: string): LineQueue => ({
  line,
  name: line,
  open: true,
  waiting: 0,
  longestWaitSeconds: null,
  contacts: [],
});

describe('the wait as the agent reads it', () => {
  it('says "unknown" when nobody serves the line, not a number', () => {
    expect(estimateWording(null)).toEqual({ key: 'unknown' });
    expect(estimateWording(Number.NaN)).toEqual({ key: 'unknown' });
    expect(estimateWording(-1)).toEqual({ key: 'unknown' });
  });

  it('says "any moment" when an agent is free for this caller', () => {
    expect(estimateWording(0)).toEqual({ key: 'anyMoment' });
  });

  it('says "under a minute" below 60 seconds', () => {
    expect(estimateWording(1)).toEqual({ key: 'underMinute' });
    expect(estimateWording(59.9)).toEqual({ key: 'underMinute' });
  });

  it('rounds to whole minutes from one minute on: 2 min 47 s is "about 3 min"', () => {
    expect(estimateWording(60)).toEqual({ key: 'aboutMinutes', minutes: 1 });
    expect(estimateWording(89)).toEqual({ key: 'aboutMinutes', minutes: 1 });
    expect(estimateWording(167)).toEqual({ key: 'aboutMinutes', minutes: 3 });
    expect(estimateWording(600)).toEqual({ key: 'aboutMinutes', minutes: 10 });
  });
});

describe('the queue as the agent sees it', () => {
  it('lists the waiting contacts by their position, the head first', () => {
    const ordered = inQueueOrder([waiting(3, 3, 10), waiting(1, 1, 50), waiting(2, 2, 70)]);
    expect(ordered.map((contact) => contact.id)).toEqual([1, 2, 3]);
  });

  it('does not change the list it was given', () => {
    const given = [waiting(2, 2, 1), waiting(1, 1, 2)];
    inQueueOrder(given);
    expect(given.map((contact) => contact.id)).toEqual([2, 1]);
  });

  it('shows the agent’s own lines first, in their profile’s order', () => {
    const lines = queuesInOrder([queue('l3'), queue('l1'), queue('l2')], ['l2', 'l1']);
    expect(lines.map((line) => line.line)).toEqual(['l2', 'l1', 'l3']);
  });
});
