import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Desk } from '../../common/api/contacts.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { runDueJobs } from '../jobs/service.js';
import { contactJobs } from './jobs.js';
import type { PbxCommand } from './pbx.js';
import { applyPbxEvent } from './pbx-events.js';

// One call through its whole life, as the desk and the PBX see it, on either engine.
let t: TestApp;
let now = new Date('2026-11-25T09:00:00Z'); // 14:00 in the demo city: the lines are open
const sent: PbxCommand[] = [];
const recordingPbx = {
  connect: async (command: object) => void sent.push({ command: 'connect', ...command } as PbxCommand),
  announce: async (command: object) => void sent.push({ command: 'announce', ...command } as PbxCommand),
  transfer: async (command: object) => void sent.push({ command: 'transfer', ...command } as PbxCommand),
  originate: async (command: object) => void sent.push({ command: 'originate', ...command } as PbxCommand),
  hangUp: async (command: object) => void sent.push({ command: 'hangUp', ...command } as PbxCommand),
};
const handlers = contactJobs(recordingPbx);
let l1: string;
let l1Id: number;
let knownPhone: string;
let knownSubscriber: number;

const later = (seconds: number) => {
  now = new Date(now.getTime() + seconds * 1000);
  return now;
};
const runJobs = () => runDueJobs(t.ctx, handlers);
let eventNumber = 0;
const event = <const T extends object>(fields: T) => ({ eventId: `e-${++eventNumber}`, at: now, ...fields });

async function desk(cookie = l1): Promise<Desk> {
  const response = await t.app.inject({ method: 'GET', url: '/api/desk', headers: { cookie } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const post = (url: string, payload?: object, cookie = l1) =>
  t.app.inject({ method: 'POST', url, headers: { cookie }, ...(payload ? { payload } : {}) });
const setState = (state: string, breakReason?: string, cookie = l1) =>
  t.app.inject({ method: 'PUT', url: '/api/desk/state', headers: { cookie }, payload: { state, breakReason } });

beforeAll(async () => {
  t = await startTestApp({ clock: () => now });
  l1 = await t.loginAs('l1');
  const [member] = await t.database.rows<{ id: number }>(sql`select id from staff where login = 'l1'`);
  l1Id = member?.id ?? 0;
  // A number on record for exactly one subscriber: caller ID names them.
  const [phone] = await t.database.rows<{ phone: string; subscriberId: number }>(sql`
    select phone, min(subscriber_id) as "subscriberId" from subscriber_phones
    group by phone having count(distinct subscriber_id) = 1 order by phone limit 1`);
  knownPhone = phone?.phone ?? '';
  knownSubscriber = phone?.subscriberId ?? 0;
});
afterAll(() => t?.close());
beforeEach(async () => {
  // Every test starts with l1 the only agent serving, idle.
  await t.database.db.execute(sql`update agent_states set state = 'offline', calls = 0, chats = 0`);
  await t.database.db.execute(sql`delete from jobs`);
  // … and with no contact of an earlier test still waiting or on someone's desk.
  await t.database.db.execute(sql`update contacts set status = 'ended' where status <> 'ended'`);
  sent.length = 0;
});

async function handledOnLine1(): Promise<number> {
  const [row] = await t.database.rows<{ handled: number }>(
    sql`select handled from line_handle_times where line = 'l1'`,
  );
  return row?.handled ?? 0;
}

async function available() {
  const response = await setState('available');
  expect(response.statusCode, response.body).toBe(204);
}

describe('a call through the desk', () => {
  it('rings the available agent with the caller named, connects on accept, and ends through after-contact work', async () => {
    const handledBefore = await handledOnLine1();
    await desk();
    await available();
    const offered = await applyPbxEvent(
      t.ctx,
      event({ kind: 'offered', callId: 'life-1', from: knownPhone, dialled: '8 800 100-20-30' }),
    );
    expect(offered.result.applied).toBe('queued');

    const ringing = await desk();
    expect(ringing.agent.state).toBe('offered');
    expect(ringing.offer?.contact).toMatchObject({
      callerNumber: knownPhone,
      subscriberId: knownSubscriber,
      line: 'l1',
    });
    const contactId = ringing.offer?.contact.id ?? 0;

    expect((await post(`/api/desk/offers/${contactId}/accept`)).statusCode).toBe(204);
    await runJobs();
    expect(sent.find((command) => command.command === 'connect')).toMatchObject({ callId: 'life-1', contactId });
    const talking = await desk();
    expect(talking.agent.state).toBe('on_contact');
    expect(talking.current[0]).toMatchObject({ id: contactId, status: 'connected' });

    later(30);
    expect((await post(`/api/contacts/${contactId}/hold`, { hold: true })).statusCode).toBe(204);
    later(20);
    expect((await post(`/api/contacts/${contactId}/hold`, { hold: false })).statusCode).toBe(204);
    expect((await post(`/api/contacts/${contactId}/notes`, { text: 'Роутер перезагружен' })).statusCode).toBe(204);
    later(60);
    const ended = await post(`/api/contacts/${contactId}/end`, { reason: 'no_internet', outcome: 'resolved' });
    expect(ended.statusCode, ended.body).toBe(204);
    const writing = await desk();
    expect(writing.agent.state).toBe('after_contact_work');
    expect(writing.current[0]).toMatchObject({
      status: 'after_work',
      reason: 'no_internet',
      outcome: 'resolved',
      holdSeconds: 20,
    });

    later(31);
    await runJobs();
    const done = await desk();
    expect(done.agent.state).toBe('available');
    expect(done.current).toEqual([]);
    expect(await handledOnLine1()).toBe(handledBefore + 1);
    const kinds = await t.database.rows<{ kind: string }>(
      sql`select kind from contact_events where contact_id = ${contactId} order by at, id`,
    );
    expect(kinds.map((row) => row.kind)).toEqual([
      'queued',
      'announced',
      'offered',
      'accepted',
      'held',
      'resumed',
      'note',
      'ended',
      'after_work_ended',
    ]);
  });

  it('gives an offer nobody accepts back to the head of the queue and marks the agent missed', async () => {
    await available();
    await applyPbxEvent(t.ctx, event({ kind: 'offered', callId: 'lapse-1', from: '+73430000001', dialled: '1' }));
    const ringing = await desk();
    expect(ringing.offer).not.toBeNull();
    later(16);
    await runJobs();
    const missed = await desk();
    expect(missed.agent.state).toBe('missed');
    expect(missed.offer).toBeNull();
    expect(missed.queues[0]?.contacts[0]).toMatchObject({ id: ringing.offer?.contact.id });
    // Back to available: the same contact rings again, as the head of the queue.
    await available();
    expect((await desk()).offer?.contact.id).toBe(ringing.offer?.contact.id);
  });

  it('records a caller who hangs up while waiting as abandoned, and a repeated event changes nothing more', async () => {
    await applyPbxEvent(t.ctx, event({ kind: 'offered', callId: 'gone-1', from: null, dialled: '1' }));
    later(40);
    const hangUp = event({ kind: 'ended', callId: 'gone-1' });
    const first = await applyPbxEvent(t.ctx, hangUp);
    const again = await applyPbxEvent(t.ctx, hangUp);
    expect(first).toEqual({
      result: expect.objectContaining({ applied: 'abandoned', status: 'ended' }),
      repeated: false,
    });
    expect(again).toEqual({ result: first.result, repeated: true });
    const [row] = await t.database.rows<{ outcome: string; n: number }>(sql`
      select outcome, (select count(*)::int from contact_events e where e.contact_id = c.id and kind = 'abandoned') as n
      from contacts c where call_id = 'gone-1'`);
    expect(row).toEqual({ outcome: 'abandoned', n: 1 });
  });

  it('refuses an event about a call never offered, leaving no trace', async () => {
    await expect(applyPbxEvent(t.ctx, event({ kind: 'ended', callId: 'never-1' }))).rejects.toMatchObject({
      code: 'pbx.call_not_offered',
      status: 404,
    });
    const [row] = await t.database.rows<{ n: number }>(
      sql`select count(*)::int as n from pbx_events where call_id = 'never-1'`,
    );
    expect(row?.n).toBe(0);
  });

  it('applies an answer that arrives after the end by its own time: the call was answered, not abandoned', async () => {
    await applyPbxEvent(t.ctx, event({ kind: 'offered', callId: 'crossed-1', from: null, dialled: '1' }));
    const answeredAt = later(10);
    const endedAt = later(50);
    await applyPbxEvent(t.ctx, { eventId: 'crossed-end', kind: 'ended', callId: 'crossed-1', at: endedAt });
    const late = await applyPbxEvent(t.ctx, {
      eventId: 'crossed-answer',
      kind: 'answered',
      callId: 'crossed-1',
      at: answeredAt,
    });
    expect(late.result.applied).toBe('answered-before-end');
    const [row] = await t.database.rows<{ outcome: string | null; answeredAt: Date }>(
      sql`select outcome, answered_at as "answeredAt" from contacts where call_id = 'crossed-1'`,
    );
    expect(row?.outcome).toBeNull();
    expect(new Date(row?.answeredAt ?? 0).toISOString()).toBe(answeredAt.toISOString());
  });

  it('tells a caller with nobody serving the line that the wait is unknown and offers a callback; pressing 1 records the choice', async () => {
    await applyPbxEvent(t.ctx, event({ kind: 'offered', callId: 'cb-1', from: null, dialled: '2' }));
    await runJobs();
    expect(sent).toContainEqual(
      expect.objectContaining({
        command: 'announce',
        callId: 'cb-1',
        announcement: { kind: 'position', position: 1, minutes: null },
      }),
    );
    expect(sent).toContainEqual(
      expect.objectContaining({
        command: 'announce',
        callId: 'cb-1',
        announcement: { kind: 'callback-offer', digit: '1' },
      }),
    );
    const chosen = await applyPbxEvent(t.ctx, event({ kind: 'dtmf', callId: 'cb-1', digits: '1' }));
    expect(chosen.result).toMatchObject({ applied: 'callback-chosen', status: 'ended' });
    const [row] = await t.database.rows<{ outcome: string; chosen: boolean }>(
      sql`select outcome, callback_chosen as chosen from contacts where call_id = 'cb-1'`,
    );
    expect(row).toEqual({ outcome: 'callback', chosen: true });
  });

  it('marks a second call from the same subscriber within 48 hours as a repeat of the first', async () => {
    await applyPbxEvent(t.ctx, event({ kind: 'offered', callId: 'rep-1', from: knownPhone, dialled: '1' }));
    later(3600);
    await applyPbxEvent(t.ctx, event({ kind: 'offered', callId: 'rep-2', from: knownPhone, dialled: '1' }));
    const rows = await t.database.rows<{ id: number; callId: string; repeatOf: number | null }>(
      sql`select id, call_id as "callId", repeat_of as "repeatOf" from contacts where call_id in ('rep-1', 'rep-2') order by id`,
    );
    expect(rows[1]?.repeatOf).toBe(rows[0]?.id);
  });

  it('ends a call outside the line’s hours at once and tells the caller when it opens', async () => {
    const saved = now;
    now = new Date('2026-11-25T18:30:00Z'); // 23:30 in the demo city
    const result = await applyPbxEvent(t.ctx, event({ kind: 'offered', callId: 'night-1', from: null, dialled: '1' }));
    expect(result.result).toMatchObject({ applied: 'outside-hours', status: 'ended' });
    await runJobs();
    expect(sent).toContainEqual(
      expect.objectContaining({
        command: 'announce',
        callId: 'night-1',
        announcement: expect.objectContaining({ kind: 'outside-hours' }),
      }),
    );
    now = saved;
  });
});

describe('after-contact work finished early', () => {
  it('makes the agent available at once when they press Done', async () => {
    await available();
    await applyPbxEvent(t.ctx, event({ kind: 'offered', callId: 'done-1', from: null, dialled: '1' }));
    const contactId = (await desk()).offer?.contact.id ?? 0;
    await post(`/api/desk/offers/${contactId}/accept`);
    later(45);
    await post(`/api/contacts/${contactId}/end`, { reason: 'tariff', outcome: 'resolved' });
    expect((await desk()).agent.state).toBe('after_contact_work');
    later(5);
    const done = await post(`/api/contacts/${contactId}/finish-after-work`);
    expect(done.statusCode, done.body).toBe(204);
    const after = await desk();
    expect(after.agent.state).toBe('available');
    expect(after.current).toEqual([]);
    expect((await post(`/api/contacts/${contactId}/finish-after-work`)).statusCode).toBe(409);
  });
});

describe('the desk refuses what does not fit the agent’s state', () => {
  it('needs a reason for a break, refuses a break while a contact rings, and takes no one else’s offer', async () => {
    expect((await setState('break')).statusCode).toBe(400);
    await available();
    await applyPbxEvent(t.ctx, event({ kind: 'offered', callId: 'busy-1', from: null, dialled: '1' }));
    const ringing = await desk();
    expect((await setState('break', 'обед')).statusCode).toBe(409);
    const l2 = await t.loginAs('l2');
    expect((await post(`/api/desk/offers/${ringing.offer?.contact.id}/accept`, undefined, l2)).statusCode).toBe(404);
    const end = await post(
      `/api/contacts/${ringing.offer?.contact.id}/end`,
      { reason: 'other', outcome: 'resolved' },
      l2,
    );
    expect(end.statusCode).toBe(404);
    expect((await post(`/api/desk/offers/${ringing.offer?.contact.id}/accept`)).statusCode).toBe(204);
  });

  it('rejects unknown fields and values with 400 and changes nothing', async () => {
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/desk/state',
      headers: { cookie: l1 },
      payload: { state: 'on_contact' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const extra = await post('/api/contacts/1/end', { reason: 'other', outcome: 'resolved', priority: 99 });
    expect(extra.statusCode).toBe(400);
  });

  it('keeps the desk to the three lines: tech and supervisor get 403', async () => {
    for (const role of ['tech', 'supervisor'] as const) {
      const cookie = await t.loginAs(role);
      expect((await t.app.inject({ method: 'GET', url: '/api/desk', headers: { cookie } })).statusCode).toBe(403);
    }
  });
});

describe('an agent whose browser goes away', () => {
  it('keeps the call for the grace period, then it returns to the head of the queue and the agent goes offline', async () => {
    await available();
    await applyPbxEvent(t.ctx, event({ kind: 'offered', callId: 'flaky-1', from: null, dialled: '1' }));
    const contactId = (await desk()).offer?.contact.id ?? 0;
    await post(`/api/desk/offers/${contactId}/accept`);
    const { deskPresence } = await import('./presence.js');
    await deskPresence.closed(t.ctx, l1Id);
    later(30);
    await runJobs();
    expect((await desk()).current[0]?.id).toBe(contactId);
    later(31);
    await runJobs();
    const after = await desk();
    expect(after.agent.state).toBe('offline');
    expect(after.queues[0]?.contacts[0]?.id).toBe(contactId);
  });
});
