import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAnotherPool } from '../../testing/database.js';
import { type LiveStreamReader, openLiveStream, type ReceivedEvent } from '../../testing/live-stream.js';
import { startSecondInstance, startTestApp, type TestApp } from '../../testing/test-app.js';
import { LIVE_CHANNEL, publishLive } from './service.js';

// PostgreSQL only: two instances of the app on one database, as behind a load balancer.
let a: TestApp;
let b: TestApp;
let urlA: string;
let urlB: string;
beforeAll(async () => {
  a = await startTestApp();
  b = await startSecondInstance(a);
  [urlA, urlB] = await Promise.all([a.listen(), b.listen()]);
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

const topicIs = (topic: string) => (event: ReceivedEvent) => event.event === topic;
const count = (reader: LiveStreamReader, topic: string) => reader.events.filter(topicIs(topic)).length;

/** A transaction that has published `topic` (its id drawn) and commits only when told. */
async function publishAndHold(app: TestApp, topic: string) {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let published = () => {};
  const drawn = new Promise<void>((resolve) => {
    published = resolve;
  });
  const done = app.database.db.transaction(async (tx) => {
    await publishLive(tx, { topic });
    published();
    await released;
  });
  await drawn;
  return {
    commit: async () => {
      release();
      await done;
    },
  };
}

/** A connection of its own, as another process's would be, that hears the hubs' NOTIFYs. */
async function listenAsAnotherProcess(app: TestApp) {
  const database = await openAnotherPool(app.database);
  const heard: number[] = [];
  const listening = await database.listen(LIVE_CHANNEL, { notify: () => heard.push(Date.now()) });
  return {
    heard,
    close: async () => {
      await listening.close();
      await database.close();
    },
  };
}

describe('the live channel across instances', () => {
  it('brings an event published through instance A to a stream on instance B within a second', async () => {
    const onB = await openLiveStream(urlB, await b.loginAs('supervisor'));
    const onA = await openLiveStream(urlA, await a.loginAs('supervisor'));
    await expect.poll(() => onB.lastEventId()).toBeDefined();
    const published = Date.now();
    await a.database.db.transaction((tx) => publishLive(tx, { topic: 'agents', roles: ['supervisor'] }));
    const [onBReceived] = await Promise.all([onB.next(topicIs('agents'), 1_000), onA.next(topicIs('agents'), 1_000)]);
    expect(Date.now() - published).toBeLessThan(1_000);
    expect(onBReceived.id).toBe(onA.events.find(topicIs('agents'))?.id);
    onA.close();
    onB.close();
  });

  it('wakes the other instances only after the commit, with a NOTIFY outside the writing transaction, within a second', async () => {
    const onB = await openLiveStream(urlB, await b.loginAs('supervisor'));
    await expect.poll(() => onB.lastEventId()).toBeDefined();
    const other = await listenAsAnotherProcess(a);
    try {
      const held = await publishAndHold(a, 'held');
      await sleep(400);
      // Uncommitted: nobody is woken, nobody receives it.
      expect(other.heard).toEqual([]);
      expect(count(onB, 'held')).toBe(0);
      const committing = Date.now();
      await held.commit();
      await onB.next(topicIs('held'), 1_000);
      await expect.poll(() => other.heard.length, { timeout: 1_000 }).toBeGreaterThan(0);
      expect((other.heard[0] ?? 0) - committing).toBeLessThan(1_000);
    } finally {
      await other.close();
      onB.close();
    }
  });

  it('reads on another process’s NOTIFY: a row written and announced from outside reaches both instances within a second', async () => {
    const onA = await openLiveStream(urlA, await a.loginAs('l2'));
    const onB = await openLiveStream(urlB, await b.loginAs('l2'));
    await Promise.all([
      expect.poll(() => onA.lastEventId()).toBeDefined(),
      expect.poll(() => onB.lastEventId()).toBeDefined(),
    ]);
    // No publishLive here, so neither hub hears of it from this process: only the NOTIFY wakes them.
    await a.database.rows(sql`insert into live_events (topic) values ('from-elsewhere')`);
    await a.database.rows(sql`select pg_notify(${LIVE_CHANNEL}, 'another process')`);
    await Promise.all([onA.next(topicIs('from-elsewhere'), 1_000), onB.next(topicIs('from-elsewhere'), 1_000)]);
    onA.close();
    onB.close();
  });

  it('delivers every event of many concurrent transactions on both instances exactly once, whatever order they commit in', async () => {
    const readers = await Promise.all([
      openLiveStream(urlA, await a.loginAs('l1')),
      openLiveStream(urlB, await b.loginAs('l1')),
    ]);
    for (const reader of readers) await expect.poll(() => reader.lastEventId()).toBeDefined();
    await Promise.all(
      Array.from({ length: 60 }, (_, n) =>
        (n % 2 === 0 ? a : b).database.db.transaction(async (tx) => {
          await publishLive(tx, { topic: 'concurrent', data: { n } });
          // Commits come in another order than the ids were drawn.
          await sleep(Math.random() * 20);
        }),
      ),
    );
    await a.database.db.transaction((tx) => publishLive(tx, { topic: 'done' }));
    for (const reader of readers) {
      await reader.next(topicIs('done'));
      // Anything still on its way would come within the second.
      await sleep(300);
      const received = reader.events.filter(topicIs('concurrent'));
      expect(received.map((event) => (event.data as { n: number }).n).sort((x, y) => x - y)).toEqual(
        Array.from({ length: 60 }, (_, n) => n),
      );
      expect(new Set(received.map((event) => event.id)).size).toBe(60);
      reader.close();
    }
  });

  it('delivers an event whose id was drawn before a later one committed, to a connected stream and to one resuming after the later one', async () => {
    const connected = await openLiveStream(urlB, await b.loginAs('l1'));
    const leaving = await openLiveStream(urlA, await a.loginAs('l1'));
    await Promise.all([
      expect.poll(() => connected.lastEventId()).toBeDefined(),
      expect.poll(() => leaving.lastEventId()).toBeDefined(),
    ]);
    const first = await publishAndHold(a, 'drawn-first');
    await b.database.db.transaction((tx) => publishLive(tx, { topic: 'committed-first' }));
    const [later] = await Promise.all([
      leaving.next(topicIs('committed-first'), 1_000),
      connected.next(topicIs('committed-first'), 1_000),
    ]);
    // The browser goes away having seen the later id; then the earlier one commits.
    leaving.close();
    await first.commit();
    const received = await connected.next(topicIs('drawn-first'), 1_000);
    expect(Number(received.id)).toBeLessThan(Number(later.id));
    const resumed = await openLiveStream(urlB, await b.loginAs('l1'), { lastEventId: later.id });
    await resumed.next(topicIs('drawn-first'), 1_000);
    await a.database.db.transaction((tx) => publishLive(tx, { topic: 'done-out-of-order' }));
    await Promise.all([connected.next(topicIs('done-out-of-order')), resumed.next(topicIs('done-out-of-order'))]);
    for (const reader of [connected, resumed]) {
      expect(count(reader, 'drawn-first')).toBe(1);
      expect(count(reader, 'committed-first')).toBe(reader === connected ? 1 : 0);
    }
    connected.close();
    resumed.close();
  });

  it('still delivers a publish whose transaction commits seconds after later ones, past the hub’s wait for its id', async () => {
    const reader = await openLiveStream(urlB, await b.loginAs('l2'));
    await expect.poll(() => reader.lastEventId()).toBeDefined();
    const slow = await publishAndHold(a, 'slow');
    await b.database.db.transaction((tx) => publishLive(tx, { topic: 'quick' }));
    await reader.next(topicIs('quick'), 1_000);
    // Longer than the hubs wait for a missing id before taking it for a rollback.
    await sleep(2_500);
    await slow.commit();
    await reader.next(topicIs('slow'), 1_500);
    expect(count(reader, 'slow')).toBe(1);
    reader.close();
  });

  it('catches up on what was committed while its listening connection was down', async () => {
    const reader = await openLiveStream(urlB, await b.loginAs('l2'));
    await expect.poll(() => reader.lastEventId()).toBeDefined();
    // Every instance's listening connection is cut; each reconnects and reads what it missed.
    const cut = await a.database.rows<{ cut: boolean }>(
      sql`select pg_terminate_backend(pid) as cut from pg_stat_activity
          where application_name = 'linedesk listen' and datname = current_database()`,
    );
    expect(cut.length).toBeGreaterThanOrEqual(2);
    await a.database.db.transaction((tx) => publishLive(tx, { topic: 'while-down' }));
    await reader.next(topicIs('while-down'), 5_000);
    reader.close();
  });

  it('resumes a browser on instance B after the event it last saw on instance A', async () => {
    const onA = await openLiveStream(urlA, await a.loginAs('l1'));
    await a.database.db.transaction((tx) => publishLive(tx, { topic: 'seen-on-a' }));
    const seen = await onA.next(topicIs('seen-on-a'));
    onA.close();
    await a.database.db.transaction((tx) => publishLive(tx, { topic: 'missed' }));
    const onB = await openLiveStream(urlB, await b.loginAs('l1'), { lastEventId: seen.id });
    await onB.next(topicIs('missed'));
    expect(count(onB, 'missed')).toBe(1);
    expect(count(onB, 'seen-on-a')).toBe(0);
    onB.close();
  });
});
