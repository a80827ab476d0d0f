import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { contactJobs } from '../../modules/contacts/jobs.js';
import { runDueJobs } from '../../modules/jobs/service.js';
import { startSecondInstance, startTestApp, type TestApp } from '../../testing/test-app.js';
import { type AsteriskAri, startAsteriskAri } from './application.js';
import { callBridgeId, channelIdOf } from './call-ids.js';
import { ariConfigFor, eventually, FakeAri } from './fake-ari-server.js';

// Two app instances on one PostgreSQL and one Asterisk: one holds the application's event
// WebSocket under the advisory lock; when it goes away mid-call the other takes over and the
// call is not lost.
const now = new Date('2026-11-25T09:00:00Z'); // 14:00 in the demo city: the lines are open
let first: TestApp;
let second: TestApp;
let fake: FakeAri;
let a: AsteriskAri;
let b: AsteriskAri;
let l1: string;

async function contactOf(callId: string) {
  const [row] = await first.database.rows<{ id: number; status: string; outcome: string | null }>(
    sql`select id::int as id, status, outcome from contacts where call_id = ${callId}`,
  );
  return row;
}

beforeAll(async () => {
  first = await startTestApp({ clock: () => now });
  second = await startSecondInstance(first, { clock: () => now });
  fake = new FakeAri({ clock: () => now });
  await fake.start();
  await first.database.db.execute(sql`update agent_states set state = 'offline', calls = 0, chats = 0`);
  await first.database.db.execute(sql`update agent_states set extension = '101' from staff s
    where s.id = agent_states.staff_id and s.login = 'l1'`);
  l1 = await first.loginAs('l1');
  a = await startAsteriskAri(first.ctx, ariConfigFor(fake), { retryMs: 200 });
  await eventually(() => a.leading && fake.connected, 'the first instance leads');
  b = await startAsteriskAri(second.ctx, ariConfigFor(fake), { retryMs: 200 });
});
afterAll(async () => {
  await b?.stop();
  await a?.stop();
  await fake?.close();
  await second?.close();
  await first?.close();
});

it('takes the event WebSocket over when the leader loses its database connection, and carries the call on', async () => {
  await new Promise((resolve) => setTimeout(resolve, 600));
  expect(b.leading).toBe(false);
  expect(
    (
      await first.app.inject({
        method: 'PUT',
        url: '/api/desk/state',
        headers: { cookie: l1 },
        payload: { state: 'available' },
      })
    ).statusCode,
  ).toBe(204);
  const talking = fake.inboundCall({ from: '+79122345601', exten: '88001002030' });
  const contact = await eventually(async () => {
    const row = await contactOf(talking.id);
    return row?.status === 'offered' ? row : undefined;
  }, 'offered to l1');
  const accepted = await first.app.inject({
    method: 'POST',
    url: `/api/desk/offers/${contact.id}/accept`,
    headers: { cookie: l1 },
  });
  expect(accepted.statusCode).toBe(204);
  // The job runs on the instance that does not lead: REST needs no WebSocket.
  await runDueJobs(second.ctx, contactJobs(b.pbx));
  await eventually(() => fake.bridges.get(callBridgeId(talking.id))?.channels.length === 2, 'bridged');
  await eventually(async () => (await contactOf(talking.id))?.status === 'connected', 'connected');
  const waiting = fake.inboundCall({ from: '+79122345602', exten: '88001002030' });
  await eventually(async () => (await contactOf(waiting.id))?.status === 'waiting', 'a second caller waits');
  await a.settled();

  // The leader's lock connection dies (a network cut, a restarted PgBouncer…): PostgreSQL gives
  // the lock to the other instance, and the first stops listening.
  const [holder] = await first.database.rows<{ pid: number }>(sql`select pid from pg_locks
    where locktype = 'advisory' and classid = 1279869252 and granted`);
  expect(holder).toBeDefined();
  // While nobody listens, the waiting caller gives up.
  fake.dropConnection();
  fake.hangUpPhone(waiting.id);
  await first.database.rows(sql`select pg_terminate_backend(${holder?.pid ?? 0}::int)`);
  await eventually(() => b.leading && !a.leading && fake.connected, 'the second instance leads', 5000);
  // Reconciled: the call whose channel went meanwhile is ended (an abandon); the other kept.
  const abandoned = await eventually(async () => {
    const row = await contactOf(waiting.id);
    return row?.status === 'ended' ? row : undefined;
  }, 'the gone caller ended');
  expect(abandoned.outcome).toBe('abandoned');
  expect((await contactOf(talking.id))?.status).toBe('connected');
  expect(fake.channels.has(talking.id)).toBe(true);

  // The call goes on under the second instance: a key, then the hang-up.
  fake.pressDigit(talking.id, '7');
  await eventually(async () => {
    const [row] = await first.database.rows<{ n: number }>(
      sql`select count(*)::int as n from contact_events where contact_id = ${contact.id} and kind = 'dtmf'`,
    );
    return (row?.n ?? 0) > 0;
  }, 'the key reported by the second instance');
  fake.hangUpPhone(talking.id);
  await eventually(async () => (await contactOf(talking.id))?.status === 'after_work', 'after-contact work');
  await b.settled();
  expect(fake.channels.has(channelIdOf(talking.id, 'agent', '101'))).toBe(false);
});

it('gives the application back to the first instance when the second stops', async () => {
  const call = fake.inboundCall({ from: '+79122345603', exten: '2' });
  await eventually(() => contactOf(call.id), 'recorded by the second');
  await b.stop();
  await eventually(() => a.leading && fake.connected, 'the first leads again', 5000);
  fake.hangUpPhone(call.id);
  await eventually(async () => (await contactOf(call.id))?.status === 'ended', 'ended through the first');
});
