import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Desk } from '../../common/api/contacts.js';
import type { Role } from '../../common/api/staff.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { runDueJobs } from '../jobs/service.js';
import { contactJobs } from './jobs.js';
import { applyPbxEvent } from './pbx-events.js';
import { recordingPbx } from './recording-pbx.js';

// The agent's phone does not pick up a call they accepted: the PBX's `unanswered`, on either engine.
let t: TestApp;
let now = new Date('2026-11-25T09:00:00Z'); // 14:00 in the demo city: the lines are open
const { pbx, sent } = recordingPbx();
const handlers = contactJobs(pbx);
let anna: string; // l1, extension 101
let maria: string; // l1-2, extension 102

const later = (seconds: number) => {
  now = new Date(now.getTime() + seconds * 1000);
  return now;
};
let eventNumber = 0;
const event = <const T extends object>(fields: T) => ({ eventId: `u-${++eventNumber}`, at: now, ...fields });

async function desk(cookie: string): Promise<Desk> {
  const response = await t.app.inject({ method: 'GET', url: '/api/desk', headers: { cookie } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
async function available(cookie: string) {
  const response = await t.app.inject({
    method: 'PUT',
    url: '/api/desk/state',
    headers: { cookie },
    payload: { state: 'available' },
  });
  expect(response.statusCode, response.body).toBe(204);
}
async function accept(cookie: string, contactId: number) {
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/desk/offers/${contactId}/accept`,
    headers: { cookie },
  });
  expect(response.statusCode, response.body).toBe(204);
  await runDueJobs(t.ctx, handlers);
}
async function contactRow(contactId: number) {
  const [row] = await t.database.rows<{
    status: string;
    agentId: number | null;
    offeredTo: number | null;
    answeredAt: Date | null;
    queuedAt: string;
  }>(sql`select status, agent_id as "agentId", offered_to as "offeredTo", answered_at as "answeredAt",
      queued_at::text as "queuedAt" from contacts where id = ${contactId}`);
  return row;
}

/** Anna is rung first (idle longest), accepts, and Linedesk asks the PBX to connect her extension. */
async function acceptedByAnna(callId: string): Promise<number> {
  await available(anna);
  later(1);
  await available(maria);
  // Maria takes a break so the call rings at Anna's alone; she comes back in the tests that need her.
  await t.database.db.execute(sql`update agent_states set state = 'break' from staff s
    where s.id = agent_states.staff_id and s.login = 'l1-2'`);
  await applyPbxEvent(t.ctx, event({ kind: 'offered', callId, from: null, dialled: '1' }));
  const contactId = (await desk(anna)).offer?.contact.id;
  if (!contactId) throw new Error('no offer for Anna');
  later(2);
  await accept(anna, contactId);
  expect(sent.filter((command) => command.command === 'connect')).toEqual([
    expect.objectContaining({ callId, contactId, extension: '101' }),
  ]);
  return contactId;
}

beforeAll(async () => {
  t = await startTestApp({ clock: () => now });
  anna = await t.loginAs('l1');
  maria = await t.loginAs('l1-2' as Role);
});
afterAll(() => t?.close());
beforeEach(async () => {
  await t.database.db.execute(sql`update agent_states set state = 'offline', calls = 0, chats = 0`);
  await t.database.db.execute(sql`delete from jobs`);
  await t.database.db.execute(sql`update contacts set status = 'ended' where status <> 'ended'`);
  sent.length = 0;
});

describe("the agent's phone does not pick up", () => {
  it('puts the call back at the head of its line, marks the agent missed, and offers it to the next agent', async () => {
    const contactId = await acceptedByAnna('unanswered-1');
    const queuedBefore = (await contactRow(contactId))?.queuedAt;
    await t.database.db.execute(sql`update agent_states set state = 'available' from staff s
      where s.id = agent_states.staff_id and s.login = 'l1-2'`);
    later(30);
    const rangOut = event({ kind: 'unanswered', callId: 'unanswered-1', agentExtension: '101' });
    const applied = await applyPbxEvent(t.ctx, rangOut);
    expect(applied).toEqual({
      result: { contactId, status: 'waiting', applied: 'requeued' },
      repeated: false,
    });

    const annasDesk = await desk(anna);
    expect(annasDesk.agent.state).toBe('missed');
    expect(annasDesk.current).toEqual([]);
    const [load] = await t.database.rows<{ calls: number }>(
      sql`select calls from agent_states a join staff s on s.id = a.staff_id where s.login = 'l1'`,
    );
    expect(load?.calls).toBe(0);
    // The line routed again at once: Maria rings with it; it kept its place (queued_at).
    const mariasDesk = await desk(maria);
    expect(mariasDesk.offer?.contact).toMatchObject({ id: contactId, answeredAt: null });
    const row = await contactRow(contactId);
    expect(row).toMatchObject({ status: 'offered', agentId: null, answeredAt: null, queuedAt: queuedBefore });

    // The same report again (a retry) is a repeat and changes nothing.
    expect(await applyPbxEvent(t.ctx, rangOut)).toEqual({ result: applied.result, repeated: true });
    expect((await desk(maria)).offer?.contact.id).toBe(contactId);

    later(3);
    await accept(maria, contactId);
    expect(sent.filter((command) => command.command === 'connect').map((command) => command.extension)).toEqual([
      '101',
      '102',
    ]);
    const picked = await applyPbxEvent(
      t.ctx,
      event({ kind: 'answered', callId: 'unanswered-1', agentExtension: '102' }),
    );
    expect(picked.result).toMatchObject({ status: 'connected' });
    const kinds = await t.database.rows<{ kind: string }>(
      sql`select kind from contact_events where contact_id = ${contactId} order by at, id`,
    );
    expect(kinds.map((line) => line.kind)).toEqual([
      'queued',
      'announced',
      'offered',
      'accepted',
      'unanswered',
      'missed',
      'offered',
      'accepted',
      'answered',
    ]);
  });

  it('changes nothing for a call the phone picked up, whatever is reported after', async () => {
    const contactId = await acceptedByAnna('unanswered-2');
    later(5);
    await applyPbxEvent(t.ctx, event({ kind: 'answered', callId: 'unanswered-2', agentExtension: '101' }));
    later(1);
    const late = await applyPbxEvent(
      t.ctx,
      event({ kind: 'unanswered', callId: 'unanswered-2', agentExtension: '101' }),
    );
    expect(late.result).toEqual({ contactId, status: 'connected', applied: 'already-answered' });
    expect((await contactRow(contactId))?.status).toBe('connected');
    expect((await desk(anna)).agent.state).toBe('on_contact');
  });

  it("changes nothing when another extension did not answer (a transfer's target): the call stays the agent's", async () => {
    const contactId = await acceptedByAnna('unanswered-3');
    later(5);
    const other = await applyPbxEvent(
      t.ctx,
      event({ kind: 'unanswered', callId: 'unanswered-3', agentExtension: '105' }),
    );
    expect(other.result).toEqual({ contactId, status: 'connected', applied: 'not-ringing' });
    expect((await desk(anna)).current.map((contact) => contact.id)).toEqual([contactId]);
  });

  it('changes nothing for a call already over', async () => {
    const contactId = await acceptedByAnna('unanswered-4');
    later(5);
    await applyPbxEvent(t.ctx, event({ kind: 'ended', callId: 'unanswered-4' }));
    const late = await applyPbxEvent(
      t.ctx,
      event({ kind: 'unanswered', callId: 'unanswered-4', agentExtension: '101' }),
    );
    expect(late.result).toEqual({ contactId, status: 'after_work', applied: 'already-ended' });
    expect((await desk(anna)).agent.state).toBe('after_contact_work');
  });

  it('takes back an offer still ringing when the PBX rang the phone before the accept', async () => {
    await available(anna);
    await applyPbxEvent(t.ctx, event({ kind: 'offered', callId: 'unanswered-5', from: null, dialled: '1' }));
    const contactId = (await desk(anna)).offer?.contact.id;
    later(4);
    const rangOut = await applyPbxEvent(
      t.ctx,
      event({ kind: 'unanswered', callId: 'unanswered-5', agentExtension: '101' }),
    );
    expect(rangOut.result).toEqual({ contactId, status: 'waiting', applied: 'requeued' });
    const annasDesk = await desk(anna);
    expect(annasDesk.agent.state).toBe('missed');
    expect(annasDesk.offer).toBeNull();
    expect(annasDesk.queues[0]?.contacts[0]).toMatchObject({ id: contactId });
    // The offer's lapse timer went with the offer.
    const [jobs] = await t.database.rows<{ n: number }>(
      sql`select count(*)::int as n from jobs where key = ${`contacts.offer:${contactId}`}`,
    );
    expect(jobs?.n).toBe(0);
  });
});
