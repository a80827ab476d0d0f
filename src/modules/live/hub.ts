import type { Role } from '../../common/api/staff.js';
import type { Listening } from '../../db/connection.js';
import type { AppContext } from '../core/context.js';
import { concerns, LIVE_CHANNEL, liveEventsAfter, liveEventsKept, type StoredLiveEvent } from './service.js';

/** Someone on this instance who receives the events that concern them (an SSE stream). */
export interface LiveSubscriber {
  staffId: number;
  role: Role;
  deliver(event: StoredLiveEvent): void;
}

/**
 * One per instance: one LISTEN connection; on each wake-up it reads the events after the last it
 * delivered and hands each to the subscribers it concerns. A burst of notifications while a read is
 * under way leads to one more read, not one per notification.
 */
export interface LiveHub {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The newest event read and handed out; a subscriber that joins now receives everything after it. */
  lastId(): number;
  subscribe(subscriber: LiveSubscriber): () => void;
}

export interface LiveHubOptions {
  /**
   * Reads anyway this often (default 5 s), so a notification lost between a dropped connection
   * and its replacement, or a listener behind a pooler that drops them, delays events, never loses them.
   */
  pollMs?: number;
}

const PAGE = 500;

export function createLiveHub(ctx: AppContext, options: LiveHubOptions = {}): LiveHub {
  const subscribers = new Set<LiveSubscriber>();
  let last = 0;
  let running = false;
  let listening: Listening | undefined;
  let poll: NodeJS.Timeout | undefined;
  let reading: Promise<void> | undefined;
  let readAgain = false;

  const handOut = (event: StoredLiveEvent) => {
    last = event.id;
    for (const subscriber of subscribers) {
      if (!concerns(event, subscriber.staffId, subscriber.role)) continue;
      try {
        subscriber.deliver(event);
      } catch (err) {
        ctx.log.warn({ err, eventId: event.id }, 'live: a stream refused an event');
      }
    }
  };

  const readNew = async () => {
    for (;;) {
      const events = await liveEventsAfter(ctx.database, last, PAGE);
      for (const event of events) handOut(event);
      if (events.length < PAGE || !running) return;
    }
  };

  const wake = () => {
    if (!running) return;
    if (reading) {
      readAgain = true;
      return;
    }
    reading = (async () => {
      do {
        readAgain = false;
        try {
          await readNew();
        } catch (err) {
          // The next notification or poll reads again from the same place.
          ctx.log.warn({ err }, 'live: reading new events failed');
        }
      } while (readAgain && running);
      reading = undefined;
    })();
  };

  return {
    async start() {
      if (running) return;
      last = (await liveEventsKept(ctx.database)).newest ?? 0;
      running = true;
      // `connected` also comes after each reconnect: what was committed meanwhile is read then.
      try {
        listening = await ctx.database.listen(LIVE_CHANNEL, {
          notify: wake,
          connected: wake,
          lost: (err) => ctx.log.warn({ err }, 'live: the listening connection was lost; reconnecting'),
        });
      } catch (error) {
        running = false;
        throw error;
      }
      poll = setInterval(wake, options.pollMs ?? 5_000);
      poll.unref();
    },
    async stop() {
      if (!running) return;
      running = false;
      clearInterval(poll);
      await listening?.close();
      listening = undefined;
      await reading;
    },
    lastId: () => last,
    subscribe(subscriber) {
      subscribers.add(subscriber);
      return () => {
        subscribers.delete(subscriber);
      };
    },
  };
}
