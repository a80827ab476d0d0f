import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../common/api/staff.js';
import { type LiveStreamReader, openLiveStream, type ReceivedEvent } from '../../testing/live-stream.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { type LiveEvent, liveEventsKept, pruneLiveEvents, publishLive } from './service.js';
import type { LivePresence } from './streams.js';

let t: TestApp;
let baseUrl: string;
const staffIds: Partial<Record<Role, number>> = {};
const cookies: Partial<Record<Role, string>> = {};
const presenceCalls: string[] = [];
const presence: LivePresence = {
  opened: async (_ctx, staffId) => {
    presenceCalls.push(`opened ${staffId}`);
  },
  closed: async (_ctx, staffId) => {
    presenceCalls.push(`closed ${staffId}`);
  },
  alive: async (_ctx, ids) => {
    presenceCalls.push(`alive ${[...ids].sort((a, b) => a - b).join(',')}`);
  },
};
const open: LiveStreamReader[] = [];

beforeAll(async () => {
  t = await startTestApp({ live: { presence, heartbeatMs: 150 } });
  baseUrl = await t.listen();
  const rows = await t.database.rows<{ id: number; login: Role }>(
    sql`select id, login from staff where login in ('l1', 'l2', 'supervisor', 'admin')`,
  );
  for (const row of rows) staffIds[row.login] = row.id;
  for (const role of ['l1', 'l2', 'supervisor', 'admin'] as const) cookies[role] = await t.loginAs(role);
});
afterAll(async () => {
  for (const stream of open) stream.close();
  await t?.close();
});

const stream = async (role: Role, options: { lastEventId?: string; query?: string } = {}) => {
  const opened = await openLiveStream(baseUrl, cookies[role] ?? '', options);
  open.push(opened);
  return opened;
};
const publish = (event: LiveEvent) => publishLive(t.database.db, event);
const topicIs = (topic: string) => (event: ReceivedEvent) => event.event === topic;
/** A broadcast after the others: once a stream has it, it has had every earlier event meant for it. */
let markers = 0;
async function allDelivered(...streams: LiveStreamReader[]) {
  const marker = `marker.${++markers}`;
  await publish({ topic: marker });
  await Promise.all(streams.map((s) => s.next(topicIs(marker))));
}
const topics = (reader: LiveStreamReader) =>
  reader.events.map((event) => event.event).filter((e) => !e.startsWith('marker.'));

describe('GET /api/live', () => {
  it('streams as text/event-stream with the security headers, unbuffered', async () => {
    const l1 = await stream('l1');
    expect(l1.status).toBe(200);
    expect(l1.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(l1.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(l1.headers.get('x-accel-buffering')).toBe('no');
    expect(l1.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(l1.headers.get('x-content-type-options')).toBe('nosniff');
    expect(l1.headers.get('content-encoding')).toBeNull();
    // The stream starts at the newest event, so a reconnect resumes from there.
    await expect.poll(() => l1.lastEventId()).toBe(String(t.liveHub.lastId()));
    l1.close();
  });

  it('answers 401 without a session and 400 for a Last-Event-ID that is not an id', async () => {
    const anonymous = await t.app.inject({ url: '/api/live' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');
    const bad = await t.app.inject({ url: '/api/live?lastEventId=1%0Aevent:%20x', headers: { cookie: cookies.l1 } });
    expect(bad.statusCode).toBe(400);
    const badHeader = await t.app.inject({
      url: '/api/live',
      headers: { cookie: cookies.l1, 'last-event-id': '-1' },
    });
    expect(badHeader.statusCode).toBe(400);
  });

  it('delivers a committed event with its id, topic and data, and never one whose transaction rolled back', async () => {
    const l1 = await stream('l1');
    await expect(
      t.database.db.transaction(async (tx) => {
        await publishLive(tx, { topic: 'rolled-back', data: { contactId: 1 } });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await t.database.db.transaction(async (tx) => {
      await publishLive(tx, { topic: 'committed', data: { contactId: 2, line: 'l1', urgent: true, agent: null } });
    });
    const received = await l1.next(topicIs('committed'));
    expect(received.data).toEqual({ contactId: 2, line: 'l1', urgent: true, agent: null });
    expect(Number(received.id)).toBeGreaterThan(0);
    await allDelivered(l1);
    expect(topics(l1)).toEqual(['committed']);
    l1.close();
  });

  it('delivers an event for one staff member to their streams only, and one for roles to those roles only', async () => {
    const [l1, l2, supervisor, admin] = await Promise.all([
      stream('l1'),
      stream('l2'),
      stream('supervisor'),
      stream('admin'),
    ]);
    await publish({ topic: 'for-l1', staffId: staffIds.l1 });
    await publish({ topic: 'for-supervisors', roles: ['supervisor'] });
    await publish({ topic: 'for-agents', roles: ['l1', 'l2'] });
    await publish({ topic: 'for-l2-as-agent', staffId: staffIds.l2, roles: ['l1', 'l2'] });
    await publish({ topic: 'for-l2-as-admin', staffId: staffIds.l2, roles: ['admin'] });
    await publish({ topic: 'for-everyone' });
    await allDelivered(l1, l2, supervisor, admin);
    expect(topics(l1)).toEqual(['for-l1', 'for-agents', 'for-everyone']);
    expect(topics(l2)).toEqual(['for-agents', 'for-l2-as-agent', 'for-everyone']);
    expect(topics(supervisor)).toEqual(['for-supervisors', 'for-everyone']);
    expect(topics(admin)).toEqual(['for-everyone']);
    for (const s of [l1, l2, supervisor, admin]) s.close();
  });

  it('delivers each event of a burst from many transactions once, to a stream open throughout and to one resuming in the middle of it', async () => {
    const l1 = await stream('l1');
    const earlier = await stream('l1');
    await allDelivered(l1, earlier);
    const from = earlier.lastEventId();
    earlier.close();
    const burst = Promise.all(Array.from({ length: 40 }, (_, n) => publish({ topic: 'burst', data: { n } })));
    // Its replay and the hub's hand-outs overlap while the burst commits: neither may repeat an event.
    const resumed = await stream('l1', { lastEventId: from });
    await burst;
    await allDelivered(l1, resumed);
    for (const reader of [l1, resumed]) {
      const received = reader.events.filter(topicIs('burst'));
      expect(received.map((event) => (event.data as { n: number }).n).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 40 }, (_, n) => n),
      );
      expect(new Set(received.map((event) => event.id)).size).toBe(40);
    }
    l1.close();
    resumed.close();
  });

  it('resumes after Last-Event-ID with the events missed that concern this staff member, from the header or the query', async () => {
    const first = await stream('l1');
    await publish({ topic: 'seen' });
    const seen = await first.next(topicIs('seen'));
    first.close();
    await publish({ topic: 'missed-1', staffId: staffIds.l1 });
    await publish({ topic: 'not-mine', staffId: staffIds.l2 });
    await publish({ topic: 'missed-2', roles: ['l1'] });

    const byHeader = await stream('l1', { lastEventId: seen.id });
    const byQuery = await stream('l1', { query: `?lastEventId=${seen.id}` });
    await publish({ topic: 'after' });
    await Promise.all([byHeader.next(topicIs('after')), byQuery.next(topicIs('after'))]);
    for (const resumed of [byHeader, byQuery]) {
      const afterSeen = resumed.events.filter((event) => Number(event.id) > Number(seen.id));
      expect(afterSeen.map((event) => event.event)).toEqual(['missed-1', 'missed-2', 'after']);
      expect(topics(resumed)).not.toContain('not-mine');
      expect(topics(resumed)).not.toContain('seen');
      // The replay starts a little before the id (ids commit out of order): the events of the
      // tests above come again, each once, and only those meant for l1.
      const before = resumed.events.filter((event) => Number(event.id) < Number(seen.id));
      expect(before.length).toBeGreaterThan(0);
      expect(new Set(before.map((event) => event.id)).size).toBe(before.length);
      expect(before.map((event) => event.event)).not.toContain('for-supervisors');
    }
    byHeader.close();
    byQuery.close();
  });

  it('sends `reset` when the events after Last-Event-ID are no longer kept, or the id was never ours', async () => {
    const before = await liveEventsKept(t.database);
    await t.database.db.execute(sql`update live_events set at = now() - interval '2 hours'`);
    await publish({ topic: 'kept' });
    expect(await pruneLiveEvents(t.ctx)).toBeGreaterThan(0);
    const after = await liveEventsKept(t.database);
    expect(after.oldest).toBe(after.newest);
    // The hub has read 'kept' before the stream opens (a loaded machine reads late): else it
    // would come after the reset as a new event, rightly, and this test would race.
    await expect.poll(() => t.liveHub.lastId(), { timeout: 10_000 }).toBeGreaterThanOrEqual(after.newest ?? 0);

    const tooOld = await stream('l1', { lastEventId: String(before.oldest ?? 1) });
    const reset = await tooOld.next(topicIs('reset'));
    expect(reset.id).toBe(String(t.liveHub.lastId()));
    expect(topics(tooOld)).toEqual(['reset']);

    const fromElsewhere = await stream('l1', { lastEventId: String((after.newest ?? 0) + 1000) });
    await fromElsewhere.next(topicIs('reset'));
    await publish({ topic: 'next' });
    await fromElsewhere.next(topicIs('next'));
    tooOld.close();
    fromElsewhere.close();
  });

  it('keeps the newest event when pruning, so a browser that saw it resumes without a reset', async () => {
    const l1 = await stream('l1');
    await publish({ topic: 'last-one' });
    const last = await l1.next(topicIs('last-one'));
    l1.close();
    await t.database.db.execute(sql`update live_events set at = now() - interval '2 hours'`);
    await pruneLiveEvents(t.ctx);
    const again = await stream('l1', { lastEventId: last.id });
    await publish({ topic: 'fresh' });
    await again.next(topicIs('fresh'));
    expect(topics(again)).toEqual(['fresh']);
    again.close();
  });

  it('sends a heartbeat comment and ends the stream at the next one after its session is revoked', async () => {
    const own = await t.loginAs('l2');
    const reader = await openLiveStream(baseUrl, own);
    open.push(reader);
    await expect.poll(() => reader.comments(), { timeout: 3_000 }).toBeGreaterThan(0);
    const logout = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: own } });
    expect(logout.statusCode).toBeLessThan(300);
    await reader.ended;
    // The other l2 session is untouched.
    const other = await stream('l2');
    await allDelivered(other);
    other.close();
  });
});

describe('presence hooks', () => {
  it('are told when a staff member’s first stream here opens, on each heartbeat, and when their last one closes', async () => {
    const l1 = staffIds.l1;
    // The streams of the tests before have closed on the server too.
    const openOrClosed = () => presenceCalls.filter((call) => call === `opened ${l1}` || call === `closed ${l1}`);
    // Under load the server may take a few seconds to see those sockets close.
    await expect.poll(() => openOrClosed().at(-1) ?? `closed ${l1}`, { timeout: 15_000 }).toBe(`closed ${l1}`);
    presenceCalls.length = 0;
    const first = await stream('l1');
    const second = await stream('l1');
    await expect.poll(() => presenceCalls.includes(`alive ${l1}`), { timeout: 3_000 }).toBe(true);
    expect(presenceCalls.filter((call) => call === `opened ${l1}`)).toHaveLength(1);
    first.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(presenceCalls).not.toContain(`closed ${l1}`);
    second.close();
    await expect.poll(() => presenceCalls.includes(`closed ${l1}`), { timeout: 3_000 }).toBe(true);
    expect(openOrClosed()).toEqual([`opened ${l1}`, `closed ${l1}`]);
  });
});

describe('publishLive', () => {
  it('refuses a topic that could break the stream’s lines, and data past its limit', async () => {
    await expect(publish({ topic: 'desk\nevent: forged' })).rejects.toThrow('not a plain name');
    await expect(publish({ topic: '' })).rejects.toThrow('not a plain name');
    await expect(publish({ topic: 'big', data: { text: 'x'.repeat(3000) } })).rejects.toThrow('characters of data');
  });
});

describe('closing the app', () => {
  it('ends its open streams instead of waiting for them', async () => {
    const other = await startTestApp({ live: { heartbeatMs: 60_000 } });
    const url = await other.listen();
    const reader = await openLiveStream(url, await other.loginAs('l1'));
    const started = Date.now();
    await other.close();
    await reader.ended;
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
