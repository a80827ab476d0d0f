import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLiveStream, type ReceivedEvent } from '../../testing/live-stream.js';
import { startSecondInstance, startTestApp, type TestApp } from '../../testing/test-app.js';
import { publishLive } from './service.js';

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

  it('delivers every event of many concurrent transactions on both instances, in id order, none skipped, whatever order they commit in', async () => {
    const reader = await openLiveStream(urlB, await b.loginAs('l1'));
    await expect.poll(() => reader.lastEventId()).toBeDefined();
    await Promise.all(
      Array.from({ length: 60 }, (_, n) =>
        (n % 2 === 0 ? a : b).database.db.transaction(async (tx) => {
          await publishLive(tx, { topic: 'concurrent', data: { n } });
          // Commits come in another order than the publishes began.
          await sleep(Math.random() * 20);
        }),
      ),
    );
    await a.database.db.transaction((tx) => publishLive(tx, { topic: 'done' }));
    await reader.next(topicIs('done'));
    const received = reader.events.filter(topicIs('concurrent'));
    expect(received.map((event) => (event.data as { n: number }).n).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 60 }, (_, n) => n),
    );
    const ids = received.map((event) => Number(event.id));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
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
    expect(onB.events.map((event) => event.event)).toEqual(['missed']);
    onB.close();
  });
});
