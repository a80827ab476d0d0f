// Shared by the contacts benchmarks (queue, cti, card-pop; budgets in docs/benchmarks.md,
// "Budgets": queue assignment p99 ≤ 50 ms with 500 agents and 2,000 waiting, never one contact to
// two agents; ≥ 1,000 telephony events/s; card popped ≤ 300 ms after the offer): their databases,
// made afresh for every run, the server's settings they need, a keep-alive HTTP client, the PBX
// webhook's signature and a server-sent events reader as a browser's EventSource reads.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import pg from 'pg';
import { signatureHeaders } from '../src/integrations/pbx-webhook/signature.js';
import { databaseUrl, loadAverage, PG_ADMIN_URL, runChild } from './lib.js';

/** The contacts steps' databases are their own: `<prefix>_queue`, `_cti`, `_cardpop`, and a PGlite folder. */
const PREFIX = process.env.BENCH_CONTACTS_PREFIX ?? 'linedesk_bench';
export const contactsDatabaseName = (step: 'queue' | 'cti' | 'cardpop') => `${PREFIX}_${step}`;
export const CARD_POP_PGLITE_DIR = process.env.BENCH_CARDPOP_PGLITE_DIR ?? '/tmp/linedesk-bench-cardpop-pglite';

export interface ContactsDatabase {
  engine: 'postgres' | 'pglite';
  /** DATABASE_URL or DATA_DIR. */
  env: Record<string, string>;
  url?: string;
  subscribers: number;
  generationSeconds: number;
}

/**
 * A database made anew for this run (dropped first when it exists) with a small demo of its own:
 * each contacts step leaves contacts, agents and jobs behind, so no run inherits another's.
 */
export async function freshContactsDatabase(
  where: { postgres: string } | { pglite: string },
  subscribers: number,
): Promise<ContactsDatabase> {
  let env: Record<string, string>;
  let url: string | undefined;
  if ('postgres' in where) {
    url = databaseUrl(where.postgres);
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`drop database if exists ${where.postgres} with (force)`);
      await admin.query(`create database ${where.postgres}`);
    } finally {
      await admin.end();
    }
    env = { DATABASE_URL: url };
  } else {
    fs.rmSync(where.pglite, { recursive: true, force: true });
    fs.mkdirSync(where.pglite, { recursive: true });
    env = { DATA_DIR: where.pglite };
  }
  const name = 'postgres' in where ? where.postgres : where.pglite;
  console.log(
    `  making ${name}: demo of ${subscribers.toLocaleString('en')} subscribers (load ${loadAverage().join(' ')})`,
  );
  const started = performance.now();
  await runChild('npm', ['run', 'demo-data', '--', '--subscribers', String(subscribers), '--seed', '1'], {
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    prefix: '  [demo-data] ',
    capture: true,
  });
  const generationSeconds = (performance.now() - started) / 1000;
  if (url) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    // autovacuum is off on this machine's server (docs/benchmarks.md, "Running").
    await client.query('vacuum analyze');
    await client.end();
  }
  return { engine: 'postgres' in where ? 'postgres' : 'pglite', env, url, subscribers, generationSeconds };
}

/**
 * `count` agents of line l1 besides the demo's, offline, each with a PBX extension `b<n>`
 * (logins `bench-agent-<n>`; they never log in: the queue step calls the desk's code with them).
 */
export async function addBenchAgents(url: string, count: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `with made as (
         insert into staff (login, full_name, role, password_hash)
         select 'bench-agent-' || n, 'Агент ' || n, 'l1', 'x' from generate_series(1, $1::int) n
         returning id, login)
       insert into agent_states (staff_id, state, since, lines, skills, extension)
       select id, 'offline', now(), array['l1'], array['call', 'chat'], 'b' || substring(login from 13) from made`,
      [count],
    );
  } finally {
    await client.end();
  }
}

/** A new settings key per run: secrets are sealed with it (no key file is written anywhere). */
export const settingsKeyForRun = () => randomBytes(32).toString('hex');
export const pbxSecretForRun = () => `bench-${randomBytes(24).toString('hex')}`;

/** The advisory lock key publishLive took before 88b56c2, for the floor row's old statement. */
export const PUBLISH_LOCK_KEY = String(0x4c4e444c49);
/**
 * publishLive's statement before 88b56c2 (lock, insert, pg_notify in the writer's transaction),
 * kept for the floor row that shows why it went: parameters lock key, topic, staff id, roles, data, channel.
 */
export const NOTIFYING_PUBLISH = `with turn as (select pg_advisory_xact_lock($1::bigint)),
    written as (
      insert into live_events (topic, staff_id, roles, data)
      select $2, $3::int, $4::text[], $5::jsonb from turn
      returning id
    )
    select pg_notify($6, id::text) from written`;

// ---------------------------------------------------------------------------------------------
// HTTP

export interface Answer {
  status: number;
  text: string;
  ms: number;
}

/** Requests over keep-alive connections, timed from the call to the last byte of the answer. */
export class HttpClient {
  readonly agent: http.Agent;
  constructor(
    readonly baseUrl: string,
    sockets: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  }

  send(method: string, path: string, options: { body?: string; headers?: Record<string, string> } = {}) {
    const url = new URL(path, this.baseUrl);
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    const started = performance.now();
    return new Promise<Answer>((resolve, reject) => {
      const request = http.request(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            accept: 'application/json',
            ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}),
            ...options.headers,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              text: Buffer.concat(chunks).toString('utf8'),
              ms: performance.now() - started,
            }),
          );
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.setTimeout(30_000, () => request.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
      request.end(body);
    });
  }

  /** Throws unless the status is one of `ok`; the JSON answer otherwise (or null for an empty body). */
  async json<T>(method: string, path: string, options: { body?: unknown; cookie?: string; ok?: number[] } = {}) {
    const answer = await this.send(method, path, {
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      headers: options.cookie ? { cookie: options.cookie } : {},
    });
    if (!(options.ok ?? [200, 204]).includes(answer.status)) {
      throw new Error(`${method} ${path}: ${answer.status} ${answer.text.slice(0, 500)}`);
    }
    return { value: (answer.text ? JSON.parse(answer.text) : null) as T, ms: answer.ms };
  }

  async login(login: string, password = 'demo'): Promise<string> {
    const url = new URL('/api/auth/login', this.baseUrl);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login, password }),
    });
    const cookie = response.headers.getSetCookie().find((value) => value.startsWith('linedesk_session='));
    if (response.status !== 200 || !cookie) throw new Error(`login as ${login}: ${response.status}`);
    return cookie.split(';')[0]!;
  }

  close() {
    this.agent.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// The PBX's side

export const PBX_EVENTS_PATH = '/api/integrations/pbx/events';

/** One wire event as the generic PBX adapter sends it (docs/integrations/telephony.md). */
export interface WireEvent {
  id: string;
  type: 'offered' | 'answered' | 'ended' | 'dtmf' | 'recording';
  callId: string;
  timestamp: string;
  from?: string;
  to?: string;
  agentExtension?: string;
  digits?: string;
  recordingUrl?: string;
}

/** The body and headers of a signed POST of events, as a PBX sends them. */
export function signedEvents(secret: string, events: WireEvent[], now = new Date()) {
  const body = JSON.stringify({ events });
  return { body, headers: signatureHeaders(secret, body, now) };
}

/**
 * As an administrator, on the running server: line l1 open round the clock (the bench runs at any
 * hour), the routing mode, and the PBX secret the webhook checks.
 */
export async function configureContacts(
  client: HttpClient,
  options: { routingMode: 'acd' | 'card-pop'; pbxSecret: string },
): Promise<void> {
  const cookie = await client.login('admin');
  type View = {
    lines: { id: string; alwaysOpen: boolean }[];
    linesVersion: number;
    contacts: { routingMode: string };
    contactsVersion: number;
  };
  let { value: view } = await client.json<View>('GET', '/api/settings', { cookie });
  const lines = view.lines.map((line) => (line.id === 'l1' ? { ...line, alwaysOpen: true } : line));
  await client.json('PUT', '/api/settings/lines', { cookie, body: { version: view.linesVersion, lines } });
  ({ value: view } = await client.json<View>('GET', '/api/settings', { cookie }));
  if (view.contacts.routingMode !== options.routingMode) {
    await client.json('PUT', '/api/settings/contacts', {
      cookie,
      body: { version: view.contactsVersion, contacts: { ...view.contacts, routingMode: options.routingMode } },
    });
  }
  await client.json('PUT', '/api/settings/secrets/pbx.webhookSecret', { cookie, body: { value: options.pbxSecret } });
}

// ---------------------------------------------------------------------------------------------
// The browser's side

export interface LiveEvent {
  id: string | undefined;
  event: string;
  data: unknown;
  /** performance.now() when its block was read. */
  at: number;
}

export interface LiveReader {
  events: LiveEvent[];
  /** The first event at index ≥ `from` that fits, received already or later. */
  next(
    from: number,
    fits: (event: LiveEvent) => boolean,
    timeoutMs?: number,
  ): Promise<{ event: LiveEvent; index: number }>;
  close(): void;
}

/** GET /api/live read as EventSource reads it (one text/event-stream, blocks split by a blank line). */
export async function openLive(baseUrl: string, cookie: string): Promise<LiveReader> {
  const abort = new AbortController();
  const response = await fetch(new URL('/api/live', baseUrl), {
    headers: { cookie, accept: 'text/event-stream' },
    signal: abort.signal,
  });
  if (response.status !== 200 || !response.body) throw new Error(`GET /api/live: ${response.status}`);
  const events: LiveEvent[] = [];
  const waiters = new Set<() => void>();
  let finished = false;
  let lastId: string | undefined;
  const take = (block: string, at: number) => {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') lastId = value;
    }
    if (data.length === 0) return;
    events.push({ id: lastId, event, data: JSON.parse(data.join('\n')), at });
    for (const wake of waiters) wake();
  };
  void (async () => {
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const at = performance.now();
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          take(buffer.slice(0, end), at);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // closed
    } finally {
      finished = true;
      for (const wake of waiters) wake();
    }
  })();
  return {
    events,
    next(from, fits, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          for (let index = from; index < events.length; index++) {
            if (fits(events[index]!)) {
              done();
              resolve({ event: events[index]!, index });
              return;
            }
          }
          if (finished) {
            done();
            reject(new Error('the live stream ended'));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no live event within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () => abort.abort(),
  };
}
