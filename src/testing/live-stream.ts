import { LIVE_PATH } from '../common/api/live.js';

/** One server-sent event as a browser's EventSource would see it. */
export interface ReceivedEvent {
  id: string | undefined;
  event: string;
  data: unknown;
}

export interface LiveStreamReader {
  status: number;
  headers: Headers;
  /** Every event received so far (comments and id-only blocks are not events). */
  events: ReceivedEvent[];
  /** The last id the stream set (what EventSource would send as Last-Event-ID). */
  lastEventId(): string | undefined;
  /** Comments received (heartbeats). */
  comments(): number;
  /** Waits for an event that fits, received already or later. */
  next(fits: (event: ReceivedEvent) => boolean, timeoutMs?: number): Promise<ReceivedEvent>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/**
 * Opens GET /api/live over real HTTP (inject() cannot stream) and parses what arrives as
 * EventSource does (https://html.spec.whatwg.org/multipage/server-sent-events.html).
 */
export async function openLiveStream(
  baseUrl: string,
  cookie: string,
  options: { lastEventId?: string; query?: string } = {},
): Promise<LiveStreamReader> {
  const abort = new AbortController();
  const headers: Record<string, string> = { cookie, accept: 'text/event-stream' };
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
  const response = await fetch(`${baseUrl}${LIVE_PATH}${options.query ?? ''}`, { headers, signal: abort.signal });
  const events: ReceivedEvent[] = [];
  const waiters = new Set<() => void>();
  let lastId: string | undefined;
  let comments = 0;
  let finished = false;

  const takeBlock = (block: string) => {
    let event = 'message';
    const data: string[] = [];
    let id: string | undefined;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        comments++;
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }
    if (id !== undefined) lastId = id;
    if (data.length === 0) return;
    events.push({ id: lastId, event, data: JSON.parse(data.join('\n')) });
    for (const wake of waiters) wake();
  };

  const ended = (async () => {
    if (!response.body) return;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          takeBlock(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // Aborted by close().
    } finally {
      finished = true;
      for (const wake of waiters) wake();
    }
  })();

  return {
    status: response.status,
    headers: response.headers,
    events,
    lastEventId: () => lastId,
    comments: () => comments,
    next(fits, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(fits);
          if (found) {
            done();
            resolve(found);
          } else if (finished) {
            done();
            reject(new Error(`the stream ended without the event; received ${JSON.stringify(events)}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no such event within ${timeoutMs} ms; received ${JSON.stringify(events)}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    ended,
    close: () => abort.abort(),
  };
}
