import { LIVE_PATH, LIVE_RESET, type LiveData } from '@common/api/live.ts';

/**
 * One wake-up from the server (docs/api.md, "Live channel"): refetch what `topic` names. `reset`:
 * events were missed and are no longer kept (or could not be asked for), so refetch everything
 * this screen shows; `data` is then empty.
 */
export interface LiveMessage {
  topic: string;
  id: string | null;
  data: LiveData;
  reset: boolean;
}

export type LiveListener = (message: LiveMessage) => void;

/** The part of the browser's EventSource the channel uses, so tests can give it a fake. */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

export type EventSourceFactory = (url: string) => EventSourceLike;

const CLOSED = 2;
const RETRY_FIRST_MS = 2_000;
const RETRY_MAX_MS = 30_000;

/**
 * One EventSource for the tab, shared by every screen that listens. EventSource reconnects by
 * itself after a dropped connection (sending Last-Event-ID, so the server replays what was
 * missed); when it gives up instead (an answer other than 200: the server restarting, a session
 * check), the channel opens a new one after a pause, with `?lastEventId=` when it knows the id,
 * else telling every listener to refetch.
 */
export class LiveChannel {
  readonly #open: EventSourceFactory;
  readonly #listeners = new Map<string, Set<LiveListener>>();
  readonly #statusListeners = new Set<() => void>();
  #source: EventSourceLike | null = null;
  #attached = new Set<string>();
  #lastId: string | null = null;
  #connected = false;
  #stopped = true;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #retryMs = RETRY_FIRST_MS;
  #everConnected = false;

  constructor(open: EventSourceFactory) {
    this.#open = open;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retry);
    this.#source?.close();
    this.#source = null;
    this.#setConnected(false);
  }

  get connected(): boolean {
    return this.#connected;
  }

  onStatusChange(listener: () => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  subscribe(topic: string, listener: LiveListener): () => void {
    let listeners = this.#listeners.get(topic);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(topic, listeners);
    }
    listeners.add(listener);
    this.#attach(topic);
    return () => {
      listeners.delete(listener);
    };
  }

  #connect(): void {
    const query = this.#lastId === null ? '' : `?lastEventId=${encodeURIComponent(this.#lastId)}`;
    // A new EventSource without the last id cannot resume: whatever happened meanwhile is refetched.
    const resumes = this.#lastId !== null || !this.#everConnected;
    const source = this.#open(`${LIVE_PATH}${query}`);
    this.#source = source;
    this.#attached = new Set();
    source.onopen = () => {
      this.#retryMs = RETRY_FIRST_MS;
      this.#everConnected = true;
      this.#setConnected(true);
    };
    source.onerror = () => {
      this.#setConnected(false);
      if (source.readyState !== CLOSED || this.#stopped || this.#source !== source) return;
      source.close();
      this.#retry = setTimeout(() => {
        if (!this.#stopped) this.#connect();
      }, this.#retryMs);
      this.#retryMs = Math.min(this.#retryMs * 2, RETRY_MAX_MS);
    };
    source.addEventListener(LIVE_RESET, (event) => {
      this.#remember(event);
      this.#resetAll(event.lastEventId || null);
    });
    for (const topic of this.#listeners.keys()) this.#attach(topic);
    if (!resumes) this.#resetAll(null);
  }

  #attach(topic: string): void {
    const source = this.#source;
    if (!source || this.#attached.has(topic) || topic === LIVE_RESET) return;
    this.#attached.add(topic);
    source.addEventListener(topic, (event) => {
      this.#remember(event);
      let data: LiveData = {};
      try {
        data = JSON.parse(event.data) as LiveData;
      } catch {
        // A wake-up without readable data still wakes.
      }
      this.#emit(topic, { topic, id: event.lastEventId || null, data, reset: false });
    });
  }

  #remember(event: MessageEvent<string>): void {
    if (event.lastEventId) this.#lastId = event.lastEventId;
  }

  #resetAll(id: string | null): void {
    for (const topic of this.#listeners.keys()) this.#emit(topic, { topic, id, data: {}, reset: true });
  }

  #emit(topic: string, message: LiveMessage): void {
    for (const listener of [...(this.#listeners.get(topic) ?? [])]) {
      try {
        listener(message);
      } catch (error) {
        console.error(`live: a listener of ${topic} failed`, error);
      }
    }
  }

  #setConnected(connected: boolean): void {
    if (this.#connected === connected) return;
    this.#connected = connected;
    for (const listener of this.#statusListeners) listener();
  }
}
