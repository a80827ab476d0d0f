import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Role } from '../../common/api/staff.js';
import type { Listening } from '../../db/connection.js';
import type { AppContext } from '../core/context.js';
import {
  concerns,
  LIVE_CHANNEL,
  liveEventsAfter,
  liveEventsKept,
  onLocalPublish,
  type StoredLiveEvent,
} from './service.js';

/** Someone on this instance who receives the events that concern them (an SSE stream). */
export interface LiveSubscriber {
  staffId: number;
  role: Role;
  deliver(event: StoredLiveEvent): void;
}

/**
 * One per instance: one LISTEN connection; on each wake-up it reads the events committed since and
 * hands each, once, to the subscribers it concerns. Events come in commit order, not id order: a
 * transaction that drew id 10 may commit after the one that drew 11 (docs/decisions.md, "Live
 * channel"). A burst of wake-ups while a read is under way leads to one more read, not one per
 * wake-up.
 */
export interface LiveHub {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The highest event id handed out; a stream that opens now starts from it. */
  lastId(): number;
  subscribe(subscriber: LiveSubscriber): () => void;
}

export interface LiveHubOptions {
  /**
   * Reads anyway this often (default 5 s; every second while an id is missing), so a notification
   * lost between a dropped connection and its replacement, or a listener behind a pooler that drops
   * them, delays events, never loses them.
   */
  pollMs?: number;
}

const PAGE = 500;
/**
 * After a publish here, the read that follows: on PostgreSQL long enough for the publisher to
 * commit (publish last in the transaction) and for a burst of publishes to share one read; on
 * PGlite at once, since a read waits there for the transaction in progress to end (one at a time)
 * and so sees its commit.
 */
const AFTER_PUBLISH_MS = { postgres: 10, pglite: 0 } as const;
/** Then again this often while one of this process's publishes is still not there. */
const AGAIN_MS = 20;
/**
 * An id missing this long below ids already read is taken for a rolled-back publish (its id never
 * appears): the floor moves past it, so the hub stops re-reading everything above it.
 */
const GIVE_UP_MS = 2_000;
/** ...but it is still looked for this long, in case its transaction was only slow to commit. */
const LATE_WATCH_MS = 60_000;
/** How often the hub reads while an id is missing or late. */
const WATCH_POLL_MS = 1_000;
/**
 * Ids the hub tracks one by one; past that (a sequence that jumped, rows deleted above the newest
 * read) the rest are given up at once. Ids really in flight are those of the transactions
 * committing at this moment, a few hundred at the most; each tracked id is looked up on every read.
 */
const MAX_TRACKED = 1_000;

export function createLiveHub(ctx: AppContext, options: LiveHubOptions = {}): LiveHub {
  const subscribers = new Set<LiveSubscriber>();
  /** This hub's NOTIFY payload, so it can tell its own echo from another instance's wake-up. */
  const self = randomUUID();
  // Every id at or below `floor` has been handed out or given up; `top` is the highest handed out.
  let floor = 0;
  let top = 0;
  /** Ids above the floor already handed out. */
  const handedOut = new Set<number>();
  /** Ids between the floor and `top` not read yet: since when. */
  const missing = new Map<number, number>();
  /** Ids below the floor given up on but still looked for: since when. */
  const late = new Map<number, number>();
  /** Ids published in this process and not read yet: since when. */
  const publishedHere = new Map<number, number>();
  let checkedUpTo = 0;
  let running = false;
  let listening: Listening | undefined;
  let stopListeningHere: (() => void) | undefined;
  let poll: NodeJS.Timeout | undefined;
  let soon: NodeJS.Timeout | undefined;
  let lastRead = 0;
  let reading: Promise<void> | undefined;
  let readAgain = false;
  let notifying: Promise<void> | undefined;
  let notifyAgain = false;

  const handOut = (event: StoredLiveEvent) => {
    for (const subscriber of subscribers) {
      if (!concerns(event, subscriber.staffId, subscriber.role)) continue;
      try {
        subscriber.deliver(event);
      } catch (err) {
        ctx.log.warn({ err, eventId: event.id }, 'live: a stream refused an event');
      }
    }
  };

  const seen = (id: number) => handedOut.has(id) || (id <= floor && !late.has(id));

  /** Moves the floor over what was handed out and over ids missing for longer than GIVE_UP_MS. */
  const advance = (now: number) => {
    for (let id = Math.max(checkedUpTo, floor, top - MAX_TRACKED) + 1; id <= top; id++) {
      if (!handedOut.has(id)) missing.set(id, now);
    }
    checkedUpTo = Math.max(checkedUpTo, top);
    while (floor < top) {
      const next = floor + 1;
      if (handedOut.delete(next)) {
        floor = next;
        continue;
      }
      const since = missing.get(next);
      if (since !== undefined && now - since < GIVE_UP_MS) break;
      missing.delete(next);
      if (since !== undefined && late.size < MAX_TRACKED) late.set(next, now);
      floor = next;
    }
    for (const [id, since] of late) if (now - since > LATE_WATCH_MS) late.delete(id);
    for (const [id, since] of publishedHere) if (seen(id) || now - since > LATE_WATCH_MS) publishedHere.delete(id);
  };

  /** Wakes the other instances, after this one has read what they are to read (so it is committed). */
  const tellOthers = () => {
    // A PGlite data folder belongs to one process: there is no other instance.
    if (ctx.database.engine === 'pglite') return;
    if (notifying) {
      notifyAgain = true;
      return;
    }
    notifying = (async () => {
      do {
        notifyAgain = false;
        try {
          // On a pooled connection of its own, outside every writer's transaction.
          await ctx.database.rows(sql`select pg_notify(${LIVE_CHANNEL}, ${self})`);
        } catch (err) {
          // The other instances' polls read the events anyway, later.
          ctx.log.warn({ err }, 'live: notifying the other instances failed');
        }
      } while (notifyAgain && running);
      notifying = undefined;
    })();
  };

  const readNew = async () => {
    // Everything between the floor and `top` is handed out or missing, so only the missing, the
    // late and what lies above `top` are read: not, again and again, all that a gap holds back.
    let after = top;
    let alsoIds = [...missing.keys(), ...late.keys()];
    let wakeOthers = false;
    for (;;) {
      const events = await liveEventsAfter(ctx.database, after, PAGE, { alsoIds });
      for (const event of events) {
        if (seen(event.id)) continue;
        if (late.delete(event.id)) {
          // The other instances may have stopped looking for it sooner.
          wakeOthers = true;
        } else {
          handedOut.add(event.id);
          missing.delete(event.id);
          top = Math.max(top, event.id);
        }
        if (publishedHere.delete(event.id)) wakeOthers = true;
        handOut(event);
      }
      if (events.length < PAGE || !running) break;
      after = Math.max(after, events.at(-1)?.id ?? after);
      alsoIds = [];
    }
    lastRead = Date.now();
    advance(lastRead);
    if (wakeOthers) tellOthers();
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
          // The next wake-up or poll reads again from the same place.
          ctx.log.warn({ err }, 'live: reading new events failed');
        }
      } while (readAgain && running);
      reading = undefined;
      const now = Date.now();
      for (const since of publishedHere.values()) {
        if (now - since < GIVE_UP_MS) {
          readSoon(AGAIN_MS);
          break;
        }
      }
    })();
  };

  const readSoon = (ms: number) => {
    if (soon || !running) return;
    soon = setTimeout(() => {
      soon = undefined;
      wake();
    }, ms);
    soon.unref();
  };

  const pollMs = options.pollMs ?? 5_000;
  const tick = () => {
    const watching = missing.size > 0 || late.size > 0 || publishedHere.size > 0;
    if (watching || Date.now() - lastRead >= pollMs) wake();
  };

  return {
    async start() {
      if (running) return;
      const newest = (await liveEventsKept(ctx.database)).newest ?? 0;
      // A little before the newest, so a publish still committing around the start is handed out
      // when it lands (nobody subscribes before the start: what was committed goes to no one).
      floor = Math.max(0, newest - 200);
      top = floor;
      checkedUpTo = floor;
      running = true;
      stopListeningHere = onLocalPublish((id) => {
        if (!running) return;
        // Published outside a transaction, it may have been read already, before this call.
        if (seen(id)) {
          tellOthers();
          return;
        }
        publishedHere.set(id, Date.now());
        readSoon(AFTER_PUBLISH_MS[ctx.database.engine]);
      });
      try {
        await readNew();
        // `connected` also comes after each reconnect: what was committed meanwhile is read then.
        listening = await ctx.database.listen(LIVE_CHANNEL, {
          notify: (payload) => {
            if (payload !== self) wake();
          },
          connected: wake,
          lost: (err) => ctx.log.warn({ err }, 'live: the listening connection was lost; reconnecting'),
        });
      } catch (error) {
        running = false;
        stopListeningHere();
        throw error;
      }
      poll = setInterval(tick, Math.min(pollMs, WATCH_POLL_MS));
      poll.unref();
    },
    async stop() {
      if (!running) return;
      running = false;
      stopListeningHere?.();
      clearInterval(poll);
      clearTimeout(soon);
      soon = undefined;
      await listening?.close();
      listening = undefined;
      await reading;
      await notifying;
    },
    lastId: () => top,
    subscribe(subscriber) {
      subscribers.add(subscriber);
      return () => {
        subscribers.delete(subscriber);
      };
    },
  };
}
