import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type EventSourceLike, LiveChannel, type LiveMessage } from './live-channel.ts';

/** Stands in for the browser's EventSource: the test plays the server's side. */
class FakeEventSource implements EventSourceLike {
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  readonly listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();
  closed = false;
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  send(type: string, id: string, data: unknown) {
    const event = { data: JSON.stringify(data), lastEventId: id } as MessageEvent<string>;
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
  /** The server answered other than 200: EventSource gives up. */
  fail() {
    this.readyState = 2;
    this.onerror?.(new Event('error'));
  }
  /** The connection dropped: EventSource reconnects by itself. */
  drop() {
    this.readyState = 0;
    this.onerror?.(new Event('error'));
  }
}

let sources: FakeEventSource[];
let channel: LiveChannel;
const latest = () => sources[sources.length - 1] as FakeEventSource;

beforeEach(() => {
  vi.useFakeTimers();
  sources = [];
  channel = new LiveChannel((url) => {
    const source = new FakeEventSource(url);
    sources.push(source);
    return source;
  });
});
afterEach(() => {
  channel.stop();
  vi.useRealTimers();
});

describe('the live channel in the browser', () => {
  it('shares one EventSource among listeners and hands each the events of its topic', () => {
    const desk: LiveMessage[] = [];
    const queue: LiveMessage[] = [];
    channel.subscribe('desk', (message) => desk.push(message));
    channel.start();
    channel.subscribe('queue', (message) => queue.push(message));
    expect(sources).toHaveLength(1);
    latest().open();
    latest().send('desk', '5', { contactId: 7 });
    latest().send('queue', '6', { line: 'l1' });
    expect(desk).toEqual([{ topic: 'desk', id: '5', data: { contactId: 7 }, reset: false }]);
    expect(queue).toEqual([{ topic: 'queue', id: '6', data: { line: 'l1' }, reset: false }]);
  });

  it('calls every listener with reset when the server says events were missed', () => {
    const seen: LiveMessage[] = [];
    channel.subscribe('desk', (message) => seen.push(message));
    channel.subscribe('queue', (message) => seen.push(message));
    channel.start();
    latest().send('reset', '40', {});
    expect(seen.map((message) => [message.topic, message.reset])).toEqual([
      ['desk', true],
      ['queue', true],
    ]);
  });

  it('says whether it is connected, and lets EventSource reconnect by itself after a drop', () => {
    const changes: boolean[] = [];
    channel.onStatusChange(() => changes.push(channel.connected));
    channel.start();
    latest().open();
    latest().drop();
    latest().open();
    expect(changes).toEqual([true, false, true]);
    expect(sources).toHaveLength(1);
  });

  it('opens a new EventSource after a pause when the old one gave up, resuming after the last id seen', () => {
    channel.subscribe('desk', () => {});
    channel.start();
    latest().open();
    latest().send('desk', '12', {});
    latest().fail();
    expect(sources).toHaveLength(1);
    vi.advanceTimersByTime(2_000);
    expect(sources).toHaveLength(2);
    expect(latest().url).toBe('/api/live?lastEventId=12');
    // The new source hears the topics subscribed before.
    const seen: LiveMessage[] = [];
    channel.subscribe('desk', (message) => seen.push(message));
    latest().send('desk', '13', {});
    expect(seen.map((message) => message.id)).toEqual(['13']);
    // It gives up again: the pause doubles.
    latest().fail();
    vi.advanceTimersByTime(2_000);
    expect(sources).toHaveLength(2);
    vi.advanceTimersByTime(2_000);
    expect(sources).toHaveLength(3);
  });

  it('tells listeners to refetch when a new EventSource cannot say where the old one stopped', () => {
    const seen: LiveMessage[] = [];
    channel.subscribe('board', (message) => seen.push(message));
    channel.start();
    latest().open();
    latest().fail();
    vi.advanceTimersByTime(2_000);
    expect(latest().url).toBe('/api/live');
    expect(seen.map((message) => message.reset)).toEqual([true]);
  });

  it('closes its EventSource and opens no other once stopped', () => {
    channel.start();
    const source = latest();
    source.fail();
    channel.stop();
    vi.advanceTimersByTime(60_000);
    expect(source.closed).toBe(true);
    expect(sources).toHaveLength(1);
  });
});
