import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Desk } from '../../common/api/contacts.js';
import type { Role } from '../../common/api/staff.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { runDueJobs } from '../jobs/service.js';
import { contactJobs } from './jobs.js';
import { applyPbxEvent } from './pbx-events.js';
import { recordingPbx } from './recording-pbx.js';

// A caller handed over from line 1 to line 2's queue, on either engine.
let t: TestApp;
let now = new Date('2026-11-25T09:00:00Z'); // 14:00 in the demo city: the lines are open
const { pbx, sent } = recordingPbx();
const handlers = contactJobs(pbx);
let anna: string; // l1, extension 101
let maria: string; // l1-2
let boris: string; // l2, extension 201
let tech: string;

const later = (seconds: number) => {
  now = new Date(now.getTime() + seconds * 1000);
  return now;
};
let eventNumber = 0;
const event = <const T extends object>(fields: T) => ({ eventId: `t-${++eventNumber}`, at: now, ...fields });

async function desk(cookie: string): Promise<Desk> {
  const response = await t.app.inject({ method: 'GET', url: '/api/desk', headers: { cookie } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
const inject = (cookie: string, method: 'PUT' | 'POST', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
const transfer = (cookie: string, contactId: number, payload: object) =>
  inject(cookie, 'POST', `/api/contacts/${contactId}/transfer`, payload);

/** Anna on a call of line 1, picked up on the PBX. */
async function annaTalking(callId: string): Promise<number> {
  expect((await inject(anna, 'PUT', '/api/desk/state', { state: 'available' })).statusCode).toBe(204);
  await applyPbxEvent(t.ctx, event({ kind: 'offered', callId, from: null, dialled: '1' }));
  const contactId = (await desk(anna)).offer?.contact.id;
  if (!contactId) throw new Error('no offer for Anna');
  expect((await inject(anna, 'POST', `/api/desk/offers/${contactId}/accept`)).statusCode).toBe(204);
  later(2);
  await applyPbxEvent(t.ctx, event({ kind: 'answered', callId, agentExtension: '101' }));
  await runDueJobs(t.ctx, handlers);
  sent.length = 0;
  return contactId;
}

beforeAll(async () => {
  t = await startTestApp({ clock: () => now });
  anna = await t.loginAs('l1');
  maria = await t.loginAs('l1-2' as Role);
  boris = await t.loginAs('l2');
  tech = await t.loginAs('tech');
});
afterAll(() => t?.close());
beforeEach(async () => {
  await t.database.db.execute(sql`update agent_states set state = 'offline', calls = 0, chats = 0`);
  await t.database.db.execute(sql`delete from jobs`);
  await t.database.db.execute(sql`update contacts set status = 'ended' where status <> 'ended'`);
  sent.length = 0;
});

describe('a transfer to another line', () => {
  it("puts the caller in that line's queue, frees the agent at once, and tells the PBX to hold the caller for that line's agent", async () => {
    const contactId = await annaTalking('transfer-1');
    expect((await inject(boris, 'PUT', '/api/desk/state', { state: 'available' })).statusCode).toBe(204);
    later(60);
    const moved = await transfer(anna, contactId, { line: 'l2' });
    expect(moved.statusCode, moved.body).toBe(204);

    const annasDesk = await desk(anna);
    expect(annasDesk.agent.state).toBe('available');
    expect(annasDesk.current).toEqual([]);
    // Line 2's agent rings with it at once, the contact as line 1 left it.
    const borisDesk = await desk(boris);
    expect(borisDesk.offer?.contact).toMatchObject({ id: contactId, line: 'l2', transfers: 1, answeredAt: null });
    await runDueJobs(t.ctx, handlers);
    expect(sent).toEqual([{ command: 'transfer', callId: 'transfer-1', contactId, target: 'l2', targetType: 'line' }]);

    later(3);
    expect((await inject(boris, 'POST', `/api/desk/offers/${contactId}/accept`)).statusCode).toBe(204);
    await runDueJobs(t.ctx, handlers);
    expect(sent.at(-1)).toMatchObject({ command: 'connect', callId: 'transfer-1', extension: '201' });
    const [timeline] = await t.database.rows<{ details: unknown; staffId: number; login: string }>(sql`
      select e.details, s.login from contact_events e join staff s on s.id = e.staff_id
      where e.contact_id = ${contactId} and e.kind = 'transferred'`);
    expect(timeline).toEqual({ details: { fromLine: 'l1', toLine: 'l2' }, login: 'l1' });
    // And on the audit log: who handed the caller on, from where, to which line.
    const audit = await t.database.rows<{ login: string; ip: string | null; details: unknown }>(sql`
      select s.login, a.ip, a.details from audit_log a join staff s on s.id = a.staff_id
      where a.action = 'contacts.transferred' and a.target_type = 'contact' and a.target_id = ${String(contactId)}`);
    expect(audit).toEqual([{ login: 'l1', ip: expect.any(String), details: { fromLine: 'l1', toLine: 'l2' } }]);
  });

  it('lets the next agent whose phone does not answer pass the transferred call on as any other', async () => {
    const contactId = await annaTalking('transfer-2');
    await transfer(anna, contactId, { line: 'l2' });
    expect((await inject(boris, 'PUT', '/api/desk/state', { state: 'available' })).statusCode).toBe(204);
    expect((await inject(boris, 'POST', `/api/desk/offers/${contactId}/accept`)).statusCode).toBe(204);
    later(30);
    // The picked_up_at of Anna's leg went with the transfer: Boris's ring-out counts.
    const rangOut = await applyPbxEvent(
      t.ctx,
      event({ kind: 'unanswered', callId: 'transfer-2', agentExtension: '201' }),
    );
    expect(rangOut.result).toEqual({ contactId, status: 'waiting', applied: 'requeued' });
  });

  it('refuses a line that does not exist, a bad body, the same line, a contact not yours, and a role without a desk — changing nothing', async () => {
    const contactId = await annaTalking('transfer-3');
    const unknown = await transfer(anna, contactId, { line: 'l9' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe('contacts.unknown_line');
    for (const body of [{}, { line: '' }, { line: 'L2; drop table' }, { line: 'l2', extra: 1 }, { line: 2 }]) {
      expect((await transfer(anna, contactId, body)).statusCode, JSON.stringify(body)).toBe(400);
    }
    const same = await transfer(anna, contactId, { line: 'l1' });
    expect(same.statusCode).toBe(409);
    expect(same.json().code).toBe('contacts.same_line');
    const notHers = await transfer(maria, contactId, { line: 'l2' });
    expect(notHers.statusCode).toBe(404);
    expect((await transfer(tech, contactId, { line: 'l2' })).statusCode).toBe(403);
    const unsigned = await t.app.inject({
      method: 'POST',
      url: `/api/contacts/${contactId}/transfer`,
      payload: { line: 'l2' },
    });
    expect(unsigned.statusCode).toBe(401);

    const [row] = await t.database.rows<{ line: string; status: string; transfers: number }>(
      sql`select line, status, transfers from contacts where id = ${contactId}`,
    );
    expect(row).toEqual({ line: 'l1', status: 'connected', transfers: 0 });
    const audited = await t.database.rows(sql`
      select 1 from audit_log where action = 'contacts.transferred' and target_id = ${String(contactId)}`);
    expect(audited).toEqual([]);
    await runDueJobs(t.ctx, handlers);
    expect(sent).toEqual([]);
    // Once transferred it is no longer hers to transfer again.
    expect((await transfer(anna, contactId, { line: 'l2' })).statusCode).toBe(204);
    expect((await transfer(anna, contactId, { line: 'l3' })).statusCode).toBe(404);
  });
});
