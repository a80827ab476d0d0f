import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { type AriConfig, Secret } from '../../config.js';
import type { AriEvent, Bridge, Channel, ChannelState, Playback } from './models.js';

/**
 * An in-process stand-in for Asterisk's ARI, for tests only (Asterisk is not packaged for the test
 * machine): HTTP and the event WebSocket on 127.0.0.1, with channels and bridges kept as Asterisk
 * keeps them, and requests and events shaped as ARI's published models (models.ts). It answers the
 * REST calls Linedesk makes and records them; a test plays the callers and the agents' phones.
 */

export interface RecordedRequest {
  method: string;
  /** The path under /ari, e.g. /channels/1764061200.1/play. */
  path: string;
  query: Record<string, string>;
}

/**
 * How an endpoint (PJSIP/101) behaves when originated to: picks up after `afterMs`, rings out, or
 * cannot be rung at all (`refused`: the status ARI's originate answers, as for an unknown endpoint).
 */
export type EndpointBehaviour =
  | { answer: true; afterMs?: number }
  | { answer: false; afterMs?: number }
  | { refused: 400 | 500 };

interface FakeChannel extends Channel {
  inStasis: boolean;
  bridge: string | null;
  moh: boolean;
}

export interface FakeAriOptions {
  username?: string;
  password?: string;
  /** The time the events carry (ARI's timestamp); the test's clock. */
  clock?: () => Date;
}

/** The settings that point Linedesk's adapter at this fake. */
export function ariConfigFor(fake: FakeAri, app = 'linedesk'): AriConfig {
  return {
    url: fake.url,
    username: fake.username,
    password: new Secret(fake.password),
    app,
    dialling: {
      agentEndpoint: 'PJSIP/{extension}',
      outboundEndpoint: 'Local/{number}@linedesk-outbound',
      ringSeconds: 30,
    },
  };
}

/** Waits for what follows an event on the WebSocket (a test's view of an asynchronous PBX). */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  what: string,
  ms = 5000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** ARI writes its timestamps with a numeric offset without a colon: 2026-11-25T09:00:00.000+0000. */
export function ariTimestamp(at: Date): string {
  return at.toISOString().replace('Z', '+0000');
}

export class FakeAri {
  readonly requests: RecordedRequest[] = [];
  readonly channels = new Map<string, FakeChannel>();
  readonly bridges = new Map<string, Bridge>();
  readonly endpoints = new Map<string, EndpointBehaviour>();
  /** Events sent to the application, in order (also those sent while nobody was connected are not here: Asterisk drops them). */
  readonly sent: AriEvent[] = [];
  private readonly server: Server;
  private readonly sockets = new WebSocketServer({ noServer: true });
  private socket: WebSocket | undefined;
  private app = '';
  private nextId = 1;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly playing = new Map<string, Promise<void>>();
  /** How long each playback plays. */
  playbackMs = 20;
  url = '';
  readonly username: string;
  readonly password: string;
  private readonly clock: () => Date;

  constructor(options: FakeAriOptions = {}) {
    this.username = options.username ?? 'linedesk';
    this.password = options.password ?? 'ari-test-password';
    this.clock = options.clock ?? (() => new Date());
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: Error) => {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: error.message }));
      });
    });
    this.server.on('upgrade', (request, socket, head) => {
      const url = new URL(request.url ?? '/', 'http://fake');
      if (url.pathname !== '/ari/events' || !this.authorised(request)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
        return;
      }
      this.sockets.handleUpgrade(request, socket, head, (ws) => {
        // ARI keeps one WebSocket per application: a newer one replaces the older.
        const previous = this.socket;
        this.socket = ws;
        this.app = url.searchParams.get('app') ?? '';
        previous?.close(1000, 'replaced');
        ws.on('close', () => {
          if (this.socket === ws) this.socket = undefined;
        });
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    for (const client of this.sockets.clients) client.terminate();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Whether an application holds the event WebSocket now. */
  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /** Sends a message as it is, well-formed or not. */
  sendRaw(text: string): void {
    this.socket?.send(text);
  }

  /** Drops the application's WebSocket, as a network failure would. */
  dropConnection(): void {
    this.socket?.terminate();
    this.socket = undefined;
  }

  requestsTo(method: string, pattern: RegExp): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method && pattern.test(request.path));
  }

  // ---- what the callers and phones do ----

  /** A call the dialplan hands to Stasis(app[,args]): `exten` the number dialled, `from` the caller ID. */
  inboundCall(call: { from: string; exten: string; args?: string[] }): Channel {
    const id = `1764061200.${this.nextId++}`;
    const channel = this.newChannel(
      id,
      `PJSIP/trunk-${id}`,
      'Ring',
      { name: '', number: call.from },
      {
        context: 'from-trunk',
        exten: call.exten,
        priority: 2,
        app_name: 'Stasis',
        app_data: [this.app, ...(call.args ?? [])].join(','),
      },
    );
    channel.inStasis = true;
    this.emit({ type: 'StasisStart', ...this.event(), args: call.args ?? [], channel: this.view(channel) });
    return this.view(channel);
  }

  pressDigit(channelId: string, digit: string): void {
    const channel = this.must(channelId);
    this.emit({ type: 'ChannelDtmfReceived', ...this.event(), digit, duration_ms: 120, channel: this.view(channel) });
  }

  /** The phone at that channel hangs up. */
  hangUpPhone(channelId: string): void {
    this.destroy(channelId, 16, 'Normal Clearing');
  }

  // ---- ARI's REST interface ----

  private authorised(request: IncomingMessage): boolean {
    const expected = `Basic ${Buffer.from(`${this.username}:${this.password}`).toString('base64')}`;
    return request.headers.authorization === expected;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const reply = (status: number, body?: unknown) => {
      response.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
      response.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (!this.authorised(request)) return reply(401, { message: 'Authentication required' });
    const path = url.pathname.replace(/^\/ari/, '');
    const query = Object.fromEntries(url.searchParams);
    const method = request.method ?? 'GET';
    this.requests.push({ method, path, query });
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const [resource, id, action] = parts;
    if (resource === 'channels') {
      if (method === 'GET' && !id)
        return reply(
          200,
          [...this.channels.values()].map((c) => this.view(c)),
        );
      if (method === 'POST' && !id) return this.originate(query, reply);
      const channel = id ? this.channels.get(id) : undefined;
      if (!channel) return reply(404, { message: 'Channel not found' });
      if (method === 'GET' && !action) return reply(200, this.view(channel));
      if (method === 'DELETE' && !action) {
        this.destroy(channel.id, 16, 'Normal Clearing');
        return reply(204);
      }
      if (!channel.inStasis) return reply(409, { message: 'Channel not in Stasis application' });
      if (action === 'answer' && method === 'POST') {
        this.setState(channel, 'Up');
        return reply(204);
      }
      if (action === 'moh') {
        channel.moh = method === 'POST';
        return reply(204);
      }
      if (action === 'play' && method === 'POST') {
        if (!query.media) return reply(400, { message: 'media is required' });
        const media = query.media.split(',');
        const playback: Playback = {
          id: query.playbackId ?? `playback-${this.nextId++}`,
          media_uri: media[0] as string,
          next_media_uri: media[1],
          target_uri: `channel:${channel.id}`,
          language: query.lang ?? 'en',
          state: 'queued',
        };
        // As Asterisk does, a channel's playbacks play one after another, each queued behind the last.
        const before = this.playing.get(channel.id) ?? Promise.resolve();
        const done = before.then(
          () =>
            new Promise<void>((resolve) => {
              this.later(5, () => {
                this.emit({ type: 'PlaybackStarted', ...this.event(), playback: { ...playback, state: 'playing' } });
                this.later(this.playbackMs, () => {
                  this.emit({ type: 'PlaybackFinished', ...this.event(), playback: { ...playback, state: 'done' } });
                  resolve();
                });
              });
            }),
        );
        this.playing.set(channel.id, done);
        return reply(201, playback);
      }
      if (action === 'snoop' && method === 'POST') {
        const snoopId = query.snoopId ?? `snoop-${this.nextId++}`;
        const snoop = this.newChannel(snoopId, `Snoop/${channel.id}-${this.nextId++}`, 'Up', {
          name: '',
          number: '',
        });
        snoop.inStasis = true;
        this.emit({
          type: 'StasisStart',
          ...this.event(),
          args: query.appArgs ? query.appArgs.split(',') : [],
          channel: this.view(snoop),
        });
        return reply(200, this.view(snoop));
      }
      return reply(404, { message: 'Resource not found' });
    }
    if (resource === 'bridges') {
      if (method === 'GET' && !id) return reply(200, [...this.bridges.values()]);
      if (!id) return reply(404, { message: 'Resource not found' });
      if (method === 'POST' && !action) {
        const bridge: Bridge = this.bridges.get(id) ?? {
          id,
          technology: 'simple_bridge',
          bridge_type: query.type ?? 'mixing',
          bridge_class: 'stasis',
          creator: 'Stasis',
          name: query.name ?? '',
          channels: [],
          creationtime: ariTimestamp(this.clock()),
        };
        this.bridges.set(id, bridge);
        return reply(200, bridge);
      }
      const bridge = this.bridges.get(id);
      if (!bridge) return reply(404, { message: 'Bridge not found' });
      if (method === 'GET' && !action) return reply(200, bridge);
      if (method === 'DELETE' && !action) {
        for (const channelId of [...bridge.channels]) this.leaveBridge(channelId);
        this.bridges.delete(id);
        this.emit({ type: 'BridgeDestroyed', ...this.event(), bridge });
        return reply(204);
      }
      const ids = (query.channel ?? '').split(',').filter(Boolean);
      const channels = ids.map((channelId) => this.channels.get(channelId));
      if (ids.length === 0 || channels.some((channel) => !channel)) return reply(400, { message: 'Channel not found' });
      if (channels.some((channel) => !channel?.inStasis)) {
        return reply(422, { message: 'Channel not in Stasis application' });
      }
      if (action === 'addChannel' && method === 'POST') {
        for (const channel of channels as FakeChannel[]) {
          if (channel.bridge === id) continue;
          if (channel.bridge) this.leaveBridge(channel.id);
          channel.bridge = id;
          bridge.channels.push(channel.id);
          this.emit({
            type: 'ChannelEnteredBridge',
            ...this.event(),
            bridge: { ...bridge },
            channel: this.view(channel),
          });
        }
        return reply(204);
      }
      if (action === 'removeChannel' && method === 'POST') {
        if (channels.some((channel) => channel?.bridge !== id))
          return reply(422, { message: 'Channel not in this bridge' });
        for (const channel of channels as FakeChannel[]) this.leaveBridge(channel.id);
        return reply(204);
      }
    }
    return reply(404, { message: 'Resource not found' });
  }

  private originate(query: Record<string, string>, reply: (status: number, body?: unknown) => void): void {
    if (!query.endpoint) {
      reply(400, { message: 'Endpoint must be specified' });
      return;
    }
    const id = query.channelId ?? `1764061300.${this.nextId++}`;
    if (this.channels.has(id)) {
      reply(409, { message: 'Channel with given unique ID already exists' });
      return;
    }
    const behaviour = this.endpoints.get(query.endpoint) ?? { answer: true };
    if ('refused' in behaviour) {
      reply(behaviour.refused, { message: 'Allocation failed' });
      return;
    }
    const channel = this.newChannel(id, `${query.endpoint}-${this.nextId++}`, 'Down', {
      name: '',
      number: query.endpoint.replace(/^\w+\//, ''),
    });
    const args = query.appArgs ? query.appArgs.split(',') : [];
    this.later(5, () => {
      if (!this.channels.has(id)) return;
      this.setState(channel, 'Ringing');
      this.later(behaviour.afterMs ?? 20, () => {
        if (!this.channels.has(id)) return;
        if (!behaviour.answer) {
          this.destroy(id, 19, 'No answer');
          return;
        }
        this.setState(channel, 'Up');
        channel.inStasis = true;
        this.emit({ type: 'StasisStart', ...this.event(), args, channel: this.view(channel) });
      });
    });
    reply(200, this.view(channel));
  }

  // ---- the state Asterisk keeps ----

  private newChannel(
    id: string,
    name: string,
    state: ChannelState,
    caller: { name: string; number: string },
    dialplan = { context: 'default', exten: 's', priority: 1, app_name: '', app_data: '' },
  ): FakeChannel {
    const channel: FakeChannel = {
      id,
      protocol_id: '',
      name,
      state,
      caller,
      connected: { name: '', number: '' },
      accountcode: '',
      dialplan,
      creationtime: ariTimestamp(this.clock()),
      language: 'ru',
      inStasis: false,
      bridge: null,
      moh: false,
    };
    this.channels.set(id, channel);
    return channel;
  }

  private view(channel: FakeChannel): Channel {
    const { inStasis: _inStasis, bridge: _bridge, moh: _moh, ...model } = channel;
    return structuredClone(model);
  }

  private setState(channel: FakeChannel, state: ChannelState): void {
    if (channel.state === state) return;
    channel.state = state;
    this.emit({ type: 'ChannelStateChange', ...this.event(), channel: this.view(channel) });
  }

  private leaveBridge(channelId: string): void {
    const channel = this.channels.get(channelId);
    const bridge = channel?.bridge ? this.bridges.get(channel.bridge) : undefined;
    if (!channel || !bridge) return;
    bridge.channels = bridge.channels.filter((id) => id !== channelId);
    channel.bridge = null;
    this.emit({ type: 'ChannelLeftBridge', ...this.event(), bridge: { ...bridge }, channel: this.view(channel) });
  }

  private destroy(channelId: string, cause: number, causeText: string): void {
    const channel = this.channels.get(channelId);
    if (!channel) return;
    this.emit({ type: 'ChannelHangupRequest', ...this.event(), cause, channel: this.view(channel) });
    this.leaveBridge(channelId);
    if (channel.inStasis) this.emit({ type: 'StasisEnd', ...this.event(), channel: this.view(channel) });
    this.channels.delete(channelId);
    this.emit({ type: 'ChannelDestroyed', ...this.event(), cause, cause_txt: causeText, channel: this.view(channel) });
  }

  private event() {
    return { application: this.app, timestamp: ariTimestamp(this.clock()) };
  }

  private emit(event: AriEvent): void {
    if (!this.connected) return;
    this.sent.push(event);
    this.socket?.send(JSON.stringify(event));
  }

  private must(channelId: string): FakeChannel {
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`no channel ${channelId}`);
    return channel;
  }

  private later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }
}
