import { PassThrough } from 'node:stream';
import { LIVE_RESET } from '../../common/api/live.js';
import type { Role, SignedInStaff } from '../../common/api/staff.js';
import type { AppContext } from '../core/context.js';
import { resolveSession } from '../staff/sessions.js';
import type { LiveHub } from './hub.js';
import { liveEventsAfter, liveEventsKept, type StoredLiveEvent } from './service.js';

/**
 * Told when a staff member's browsers come and go on this instance, for the contacts module (an
 * agent whose browser went away keeps their contact for a grace period, then it returns to the
 * queue). `opened`: their first stream here opened; `closed`: their last one here closed;
 * `alive`: on each heartbeat, everyone streaming here. Calls for one staff member come in order.
 */
export interface LivePresence {
  opened(ctx: AppContext, staffId: number): Promise<void>;
  closed(ctx: AppContext, staffId: number): Promise<void>;
  alive(ctx: AppContext, staffIds: number[]): Promise<void>;
}

export interface LiveStreamsOptions {
  presence?: LivePresence;
  /** Between heartbeats (default 15 s): a comment that keeps proxies from closing an idle stream, and the session check. */
  heartbeatMs?: number;
  /** Events replayed to a reconnecting browser at most; past that it gets `reset` (default 500). */
  maxReplay?: number;
}

/** How long EventSource waits before reconnecting after the stream drops. */
const RETRY_MS = 2_000;
/** A browser that stops reading is dropped rather than buffered for without end. */
const UNREAD_LIMIT = 256 * 1024;
/**
 * A resume replays from this many ids before Last-Event-ID: ids commit out of order, so an event
 * whose id is below the last one the browser saw may have committed only after it went away.
 * Sending one twice costs a refetch (events are wake-ups: "this changed, refetch it"); missing one
 * leaves a screen stale.
 */
const RESUME_OVERLAP = 200;
/** Ids a stream remembers having sent, so an event in both its replay and the hub's hand-out goes once. */
const SENT_REMEMBERED = 2_000;

interface OpenStream {
  staffId: number;
  role: Role;
  token: string;
  out: PassThrough;
  /**
   * The ids written lately, oldest first. Not "everything up to the last id": ids commit out of
   * order, and one below the last written may come later and must still go out.
   */
  sent: Set<number>;
  /** Events handed out by the hub while the stream is still catching up; null once it has. */
  pending: StoredLiveEvent[] | null;
  unsubscribe: () => void;
  closed: boolean;
}

const frame = (event: StoredLiveEvent) =>
  `id: ${event.id}\nevent: ${event.topic}\ndata: ${JSON.stringify(event.data)}\n\n`;

export interface LiveStreams {
  /** A new stream for a signed-in staff member, resuming after `lastEventId` when given. */
  open(me: SignedInStaff, sessionToken: string, lastEventId: number | undefined): Promise<PassThrough>;
  /** Heartbeats from now on. */
  start(): void;
  /** Ends every stream (the server is stopping) and waits for the presence calls that follow. */
  closeAll(): Promise<void>;
  /** How many streams are open here (for tests and metrics). */
  count(): number;
}

export function createLiveStreams(ctx: AppContext, hub: LiveHub, options: LiveStreamsOptions = {}): LiveStreams {
  const streams = new Set<OpenStream>();
  const streamsPerStaff = new Map<number, number>();
  const presenceCalls = new Map<number, Promise<void>>();
  const maxReplay = options.maxReplay ?? 500;
  let heartbeat: NodeJS.Timeout | undefined;

  const tellPresence = (staffId: number, call: (presence: LivePresence) => Promise<void>) => {
    const presence = options.presence;
    if (!presence) return;
    const previous = presenceCalls.get(staffId) ?? Promise.resolve();
    const next = previous
      .then(() => call(presence))
      .catch((err: Error) => ctx.log.error({ err, staffId }, 'live: a presence hook failed'));
    presenceCalls.set(staffId, next);
    void next.then(() => {
      if (presenceCalls.get(staffId) === next) presenceCalls.delete(staffId);
    });
  };

  const write = (stream: OpenStream, text: string) => {
    if (stream.closed) return;
    if (stream.out.writableLength > UNREAD_LIMIT) {
      ctx.log.warn({ staffId: stream.staffId }, 'live: a browser stopped reading its stream; ending it');
      end(stream);
      return;
    }
    stream.out.write(text);
  };

  const send = (stream: OpenStream, event: StoredLiveEvent) => {
    if (stream.sent.has(event.id)) return;
    stream.sent.add(event.id);
    if (stream.sent.size > SENT_REMEMBERED) {
      for (const id of stream.sent) {
        stream.sent.delete(id);
        break;
      }
    }
    write(stream, frame(event));
  };

  const finish = (stream: OpenStream) => {
    if (stream.closed) return;
    stream.closed = true;
    stream.unsubscribe();
    streams.delete(stream);
    const left = (streamsPerStaff.get(stream.staffId) ?? 1) - 1;
    if (left > 0) {
      streamsPerStaff.set(stream.staffId, left);
    } else {
      streamsPerStaff.delete(stream.staffId);
      tellPresence(stream.staffId, (presence) => presence.closed(ctx, stream.staffId));
    }
  };

  function end(stream: OpenStream) {
    stream.out.end();
    finish(stream);
  }

  /**
   * Everything after `lastEventId` that is still kept, from a little before it (RESUME_OVERLAP), or
   * `reset` when it is not.
   */
  const catchUp = async (stream: OpenStream, me: SignedInStaff, lastEventId: number | undefined) => {
    if (lastEventId === undefined) {
      write(stream, `retry: ${RETRY_MS}\nid: ${hub.lastId()}\n\n`);
      return;
    }
    const kept = await liveEventsKept(ctx.database);
    const newest = Math.max(kept.newest ?? 0, hub.lastId());
    // Past the oldest kept, events may have been pruned; past the newest, the id is not ours at all.
    const resumable =
      lastEventId <= newest && (kept.oldest === null ? lastEventId === newest : lastEventId >= kept.oldest - 1);
    // At most RESUME_OVERLAP of them lie at or below `lastEventId`, so this many tell whether more
    // than maxReplay lie after it.
    const replay = resumable
      ? await liveEventsAfter(ctx.database, Math.max(0, lastEventId - RESUME_OVERLAP), maxReplay + RESUME_OVERLAP + 1, {
          to: { staffId: me.id, role: me.role },
        })
      : [];
    if (!resumable || replay.filter((event) => event.id > lastEventId).length > maxReplay) {
      write(stream, `retry: ${RETRY_MS}\nid: ${hub.lastId()}\nevent: ${LIVE_RESET}\ndata: {}\n\n`);
      return;
    }
    write(stream, `retry: ${RETRY_MS}\n\n`);
    // The browser has `lastEventId` itself.
    for (const event of replay) if (event.id !== lastEventId) send(stream, event);
  };

  const beat = async () => {
    const checks = new Map<string, Promise<SignedInStaff | null | 'unknown'>>();
    for (const stream of streams) {
      write(stream, ': heartbeat\n\n');
      if (!checks.has(stream.token)) {
        checks.set(
          stream.token,
          resolveSession(ctx.database.db, stream.token, ctx.clock()).catch((err: Error) => {
            ctx.log.warn({ err }, 'live: checking a session failed; the stream stays');
            return 'unknown' as const;
          }),
        );
      }
    }
    for (const stream of [...streams]) {
      const me = await checks.get(stream.token);
      // A revoked or expired session ends its stream; a changed role too (the browser comes back with the new one).
      if (
        me === null ||
        (me !== 'unknown' && me !== undefined && (me.id !== stream.staffId || me.role !== stream.role))
      ) {
        end(stream);
      }
    }
    const here = [...streamsPerStaff.keys()];
    if (options.presence && here.length > 0) {
      await options.presence
        .alive(ctx, here)
        .catch((err: Error) => ctx.log.error({ err }, 'live: the presence heartbeat failed'));
    }
  };

  return {
    async open(me, sessionToken, lastEventId) {
      const out = new PassThrough();
      const stream: OpenStream = {
        staffId: me.id,
        role: me.role,
        token: sessionToken,
        out,
        sent: new Set(),
        pending: [],
        unsubscribe: () => {},
        closed: false,
      };
      stream.unsubscribe = hub.subscribe({
        staffId: me.id,
        role: me.role,
        deliver: (event) => {
          if (stream.pending) stream.pending.push(event);
          else send(stream, event);
        },
      });
      streams.add(stream);
      const before = streamsPerStaff.get(me.id) ?? 0;
      streamsPerStaff.set(me.id, before + 1);
      if (before === 0) tellPresence(me.id, (presence) => presence.opened(ctx, me.id));
      // The browser went away (or the server ended the answer).
      out.on('close', () => finish(stream));
      try {
        await catchUp(stream, me, lastEventId);
      } catch (error) {
        end(stream);
        throw error;
      }
      const pending = stream.pending ?? [];
      stream.pending = null;
      for (const event of pending) send(stream, event);
      return out;
    },
    start() {
      if (heartbeat) return;
      heartbeat = setInterval(() => {
        beat().catch((err: Error) => ctx.log.error({ err }, 'live: heartbeat failed'));
      }, options.heartbeatMs ?? 15_000);
      heartbeat.unref();
    },
    async closeAll() {
      clearInterval(heartbeat);
      heartbeat = undefined;
      for (const stream of [...streams]) end(stream);
      await Promise.all([...presenceCalls.values()]);
    },
    count: () => streams.size,
  };
}
