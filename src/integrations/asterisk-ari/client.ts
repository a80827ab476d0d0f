import WebSocket from 'ws';
import { readAriEvent } from './events.js';
import type { AriEvent, Bridge, Channel, Playback, SnoopDirection } from './models.js';

/** Where ARI is and who Linedesk is to it (ari.conf's user); the password never reaches a log line. */
export interface AriConnection {
  /** http(s)://host:port of Asterisk's HTTP server (http.conf); ARI lives under /ari. */
  url: string;
  username: string;
  password: string;
  /** The Stasis application's name, as the dialplan's Stasis() names it. */
  app: string;
}

/** ARI answered a request with anything but 2xx; `status` is ARI's (404 channel not found, 409 not in Stasis …). */
export class AriError extends Error {
  constructor(
    readonly status: number,
    readonly operation: string,
    message: string,
  ) {
    super(`ARI ${operation}: ${status} ${message}`);
  }
}

type Query = Record<string, string | number | boolean | string[] | undefined>;

/**
 * The REST calls Linedesk makes, named after ARI's operations (channels.json, bridges.json): each
 * a request with HTTP basic authentication, answered within `timeoutMs`.
 */
export class AriClient {
  private readonly base: string;
  private readonly authorization: string;

  constructor(
    readonly connection: AriConnection,
    private readonly timeoutMs = 5000,
  ) {
    this.base = `${connection.url.replace(/\/+$/, '')}/ari`;
    this.authorization = `Basic ${Buffer.from(`${connection.username}:${connection.password}`).toString('base64')}`;
  }

  get app(): string {
    return this.connection.app;
  }

  private async request<T>(
    operation: string,
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    query: Query = {},
    body?: object,
  ): Promise<T> {
    const url = new URL(`${this.base}${path}`);
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      // ARI's allowMultiple parameters (play's media) are one comma-separated value.
      url.searchParams.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
    const response = await fetch(url, {
      method,
      headers: { authorization: this.authorization, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      redirect: 'error',
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {}
      throw new AriError(response.status, operation, message);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** channels.json list. */
  listChannels(): Promise<Channel[]> {
    return this.request('channels.list', 'GET', '/channels');
  }
  /** channels.json get; null when the channel is gone. */
  async getChannel(channelId: string): Promise<Channel | null> {
    try {
      return await this.request<Channel>('channels.get', 'GET', `/channels/${encodeURIComponent(channelId)}`);
    } catch (error) {
      if (error instanceof AriError && error.status === 404) return null;
      throw error;
    }
  }
  /** channels.json answer. */
  async answer(channelId: string): Promise<void> {
    await this.request('channels.answer', 'POST', `/channels/${encodeURIComponent(channelId)}/answer`);
  }
  /** channels.json hangup; a channel already gone (404) is what was asked for. */
  async hangup(channelId: string, reason = 'normal'): Promise<boolean> {
    try {
      await this.request('channels.hangup', 'DELETE', `/channels/${encodeURIComponent(channelId)}`, { reason });
      return true;
    } catch (error) {
      if (error instanceof AriError && error.status === 404) return false;
      throw error;
    }
  }
  /** channels.json startMoh. */
  async startMoh(channelId: string, mohClass?: string): Promise<void> {
    await this.request('channels.startMoh', 'POST', `/channels/${encodeURIComponent(channelId)}/moh`, { mohClass });
  }
  /** channels.json stopMoh. */
  async stopMoh(channelId: string): Promise<void> {
    await this.request('channels.stopMoh', 'DELETE', `/channels/${encodeURIComponent(channelId)}/moh`);
  }
  /** channels.json play: `media` a list of URIs (`sound:queue-thereare`, `number:4`, `digits:15`), played in turn. */
  play(channelId: string, media: string[], playbackId: string, lang?: string): Promise<Playback> {
    return this.request('channels.play', 'POST', `/channels/${encodeURIComponent(channelId)}/play`, {
      media,
      playbackId,
      lang,
    });
  }
  /** channels.json originate (with channelId): the endpoint is called and, once it answers, enters `app` with `appArgs`. */
  originate(options: {
    endpoint: string;
    channelId: string;
    appArgs: string[];
    callerId?: string;
    timeoutSeconds?: number;
  }): Promise<Channel> {
    return this.request('channels.originate', 'POST', '/channels', {
      endpoint: options.endpoint,
      app: this.app,
      appArgs: options.appArgs.join(','),
      channelId: options.channelId,
      callerId: options.callerId,
      timeout: options.timeoutSeconds,
    });
  }
  /** channels.json snoopChannel: a channel that hears (`spy`) and may speak into (`whisper`) the one snooped on. */
  snoop(
    channelId: string,
    options: { snoopId: string; spy: SnoopDirection; whisper: SnoopDirection; appArgs: string[] },
  ): Promise<Channel> {
    return this.request('channels.snoopChannel', 'POST', `/channels/${encodeURIComponent(channelId)}/snoop`, {
      spy: options.spy,
      whisper: options.whisper,
      app: this.app,
      appArgs: options.appArgs.join(','),
      snoopId: options.snoopId,
    });
  }
  /** bridges.json list. */
  listBridges(): Promise<Bridge[]> {
    return this.request('bridges.list', 'GET', '/bridges');
  }
  /** bridges.json createWithId: creating one that exists updates it, so a repeat is harmless. */
  createBridge(bridgeId: string, type = 'mixing'): Promise<Bridge> {
    return this.request('bridges.createWithId', 'POST', `/bridges/${encodeURIComponent(bridgeId)}`, {
      type,
      name: bridgeId,
    });
  }
  /** bridges.json addChannel. */
  async addChannel(bridgeId: string, channelIds: string[]): Promise<void> {
    await this.request('bridges.addChannel', 'POST', `/bridges/${encodeURIComponent(bridgeId)}/addChannel`, {
      channel: channelIds,
    });
  }
  /** bridges.json removeChannel. */
  async removeChannel(bridgeId: string, channelIds: string[]): Promise<void> {
    await this.request('bridges.removeChannel', 'POST', `/bridges/${encodeURIComponent(bridgeId)}/removeChannel`, {
      channel: channelIds,
    });
  }
  /** bridges.json destroy; one already gone is fine. */
  async destroyBridge(bridgeId: string): Promise<void> {
    try {
      await this.request('bridges.destroy', 'DELETE', `/bridges/${encodeURIComponent(bridgeId)}`);
    } catch (error) {
      if (!(error instanceof AriError && error.status === 404)) throw error;
    }
  }

  /**
   * The application's event WebSocket (`/ari/events?app=<app>`), reconnected with back-off until
   * closed. ARI keeps one connection per application and a newer one replaces the older, so only
   * the instance holding the leader lock opens it (leader.ts).
   */
  events(handlers: AriEventHandlers): AriEventStream {
    return new AriEventStream(this.base, this.authorization, this.app, handlers);
  }
}

export interface AriEventHandlers {
  event(event: AriEvent): void;
  /** Connected: at the start and after each reconnect. Events sent meanwhile are lost: reconcile now. */
  connected?(): void;
  /** A message that is no event Linedesk acts on, or is malformed (its first 200 characters). */
  ignored?(message: string): void;
  /** The connection was lost or refused; another is tried after a pause (250 ms doubling to 10 s). */
  lost?(reason: string): void;
}

const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 10_000;

export class AriEventStream {
  private socket: WebSocket | undefined;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;
  private pause = RETRY_FIRST_MS;

  constructor(
    private readonly base: string,
    private readonly authorization: string,
    private readonly app: string,
    private readonly handlers: AriEventHandlers,
  ) {
    this.open();
  }

  private open(): void {
    const url = new URL(`${this.base}/events`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('app', this.app);
    // The password goes in the Authorization header, never in the URL (where proxies log it).
    const socket = new WebSocket(url, { headers: { authorization: this.authorization }, handshakeTimeout: 5000 });
    this.socket = socket;
    let gone = false;
    const lost = (reason: string) => {
      if (gone) return;
      gone = true;
      socket.removeAllListeners();
      socket.on('error', () => {});
      socket.terminate();
      if (this.socket === socket) this.socket = undefined;
      if (this.closed) return;
      this.handlers.lost?.(reason);
      this.retry = setTimeout(() => {
        this.retry = undefined;
        if (!this.closed) this.open();
      }, this.pause);
      this.pause = Math.min(this.pause * 2, RETRY_MAX_MS);
    };
    socket.on('open', () => {
      this.pause = RETRY_FIRST_MS;
      this.handlers.connected?.();
    });
    socket.on('message', (data) => {
      const text = String(data);
      const event = readAriEvent(text);
      if (event) this.handlers.event(event);
      else this.handlers.ignored?.(text.slice(0, 200));
    });
    socket.on('unexpected-response', (_request, response) =>
      lost(`ARI refused the event connection: ${response.statusCode}`),
    );
    socket.on('error', (error) => lost(error.message));
    socket.on('close', (code) => lost(`closed (${code})`));
  }

  close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return Promise.resolve();
    socket.removeAllListeners();
    socket.on('error', () => {});
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.close();
      setTimeout(() => {
        socket.terminate();
        resolve();
      }, 1000).unref();
    });
  }
}
