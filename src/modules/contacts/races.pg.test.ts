import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Desk } from '../../common/api/contacts.js';
import { startSecondInstance, startTestApp, type TestApp } from '../../testing/test-app.js';
import { runDueJobs } from '../jobs/service.js';
import { contactJobs } from './jobs.js';
import { noPbx } from './pbx.js';
import { applyPbxEvent } from './pbx-events.js';
import { offerLapsed, routeAllLines } from './routing.js';

// PostgreSQL only: the writes two instances can make to one contact at the same moment.
let first: TestApp;
let second: TestApp;
let now = new Date('2026-11-25T09:00:00Z');
let l1: string;
beforeAll(async () => {
  first = await startTestApp({ clock: () => now });
  second = await startSecondInstance(first, { clock: () => now });
  l1 = await first.loginAs('l1');
});
afterAll(async () => {
  await second?.close();
  await first?.close();
});
beforeEach(async () => {
  await first.database.db.execute(sql`update agent_states set state = 'offline', calls = 0, chats = 0`);
  await first.database.db.execute(sql`update contacts set status = 'ended' where status <> 'ended'`);
  await first.database.db.execute(sql`delete from jobs`);
});

let eventNumber = 0;
const offered = (callId: string) => ({
  kind: 'offered' as const,
  eventId: `race-${++eventNumber}`,
  callId,
  at: now,
  from: null,
  dialled: '1',
});

async function ringL1(callId: string): Promise<{ contactId: number; offers: number; staffId: number }> {
  const available = await first.app.inject({
    method: 'PUT',
    url: '/api/desk/state',
    headers: { cookie: l1 },
    payload: { state: 'available' },
  });
  expect(available.statusCode).toBe(204);
  await applyPbxEvent(first.ctx, offered(callId));
  const desk: Desk = (await first.app.inject({ method: 'GET', url: '/api/desk', headers: { cookie: l1 } })).json();
  const contact = desk.offer?.contact;
  if (!contact) throw new Error('no offer');
  return { contactId: contact.id, offers: 1, staffId: desk.agent.staffId };
}

describe('one contact, two instances, one moment', () => {
  it('applies an event sent to both instances at once exactly once; the other gets the same result as a repeat', async () => {
    const event = offered('twice-1');
    const [a, b] = await Promise.all([applyPbxEvent(first.ctx, event), applyPbxEvent(second.ctx, event)]);
    expect([a.repeated, b.repeated].sort()).toEqual([false, true]);
    expect(a.result).toEqual(b.result);
    const [row] = await first.database.rows<{ contacts: number; queued: number }>(sql`
      select count(*)::int as contacts,
        (select count(*)::int from contact_events where kind = 'queued' and contact_id = min(c.id)) as queued
      from contacts c where call_id = 'twice-1'`);
    expect(row).toEqual({ contacts: 1, queued: 1 });
  });

  it('lets an accept and the offer lapsing at the same moment end one way only', async () => {
    for (let round = 0; round < 10; round++) {
      await first.database.db.execute(sql`update agent_states set state = 'offline', calls = 0, chats = 0`);
      const ring = await ringL1(`lapse-race-${round}`);
      const [accept] = await Promise.all([
        second.app.inject({
          method: 'POST',
          url: `/api/desk/offers/${ring.contactId}/accept`,
          headers: { cookie: l1 },
        }),
        offerLapsed(first.ctx, { contactId: ring.contactId, staffId: ring.staffId, offers: ring.offers }),
      ]);
      const [row] = await first.database.rows<{ status: string; agentState: string; calls: number }>(sql`
        select c.status, a.state as "agentState", a.calls from contacts c, agent_states a
        where c.id = ${ring.contactId} and a.staff_id = ${ring.staffId}`);
      if (accept.statusCode === 204) expect(row).toEqual({ status: 'connected', agentState: 'on_contact', calls: 1 });
      else {
        expect(accept.statusCode).toBe(409);
        expect(row).toEqual({ status: 'waiting', agentState: 'missed', calls: 0 });
      }
      await first.database.db.execute(sql`update contacts set status = 'ended' where id = ${ring.contactId}`);
    }
  }, 60_000);

  it('lets the caller hanging up and the agent ending at once leave one after-contact work and a free agent', async () => {
    const ring = await ringL1('hangup-race');
    await first.app.inject({
      method: 'POST',
      url: `/api/desk/offers/${ring.contactId}/accept`,
      headers: { cookie: l1 },
    });
    now = new Date(now.getTime() + 60_000);
    const [end] = await Promise.all([
      second.app.inject({
        method: 'POST',
        url: `/api/contacts/${ring.contactId}/end`,
        headers: { cookie: l1 },
        payload: { reason: 'billing', outcome: 'resolved' },
      }),
      applyPbxEvent(first.ctx, { kind: 'ended', eventId: 'hangup-race-end', callId: 'hangup-race', at: now }),
    ]);
    expect(end.statusCode).toBe(204);
    const [row] = await first.database.rows<{
      status: string;
      outcome: string;
      agentState: string;
      calls: number;
      jobs: number;
    }>(sql`
      select c.status, c.outcome, a.state as "agentState", a.calls,
        (select count(*)::int from jobs where key = ${`contacts.after-work:${ring.contactId}`}) as jobs
      from contacts c, agent_states a where c.id = ${ring.contactId} and a.staff_id = ${ring.staffId}`);
    expect(row).toEqual({
      status: 'after_work',
      outcome: 'resolved',
      agentState: 'after_contact_work',
      calls: 0,
      jobs: 1,
    });
  });

  it("lets the agent's phone ringing out and the caller hanging up at once end one way only, the agent's load given back once", async () => {
    for (let round = 0; round < 10; round++) {
      await first.database.db.execute(sql`update agent_states set state = 'offline', calls = 0, chats = 0`);
      await first.database.db.execute(sql`update agent_states set extension = '101' from staff s
        where s.id = agent_states.staff_id and s.login = 'l1'`);
      const callId = `unanswered-race-${round}`;
      const ring = await ringL1(callId);
      const accepted = await first.app.inject({
        method: 'POST',
        url: `/api/desk/offers/${ring.contactId}/accept`,
        headers: { cookie: l1 },
      });
      expect(accepted.statusCode).toBe(204);
      now = new Date(now.getTime() + 30_000);
      const phoneRangOut = () =>
        applyPbxEvent(second.ctx, {
          kind: 'unanswered',
          eventId: `${callId}-unanswered`,
          callId,
          at: now,
          agentExtension: '101',
        });
      const callerHungUp = () =>
        applyPbxEvent(first.ctx, { kind: 'ended', eventId: `${callId}-ended`, callId, at: now });
      // Started in either order, so neither instance is always first to the contact's lock.
      const [unanswered, ended] =
        round % 2 === 0
          ? await Promise.all([phoneRangOut(), callerHungUp()])
          : await Promise.all([callerHungUp(), phoneRangOut()]).then(([hungUp, rangOut]) => [rangOut, hungUp]);
      const [row] = await first.database.rows<{
        status: string;
        outcome: string | null;
        agentState: string;
        calls: number;
        afterWork: number;
      }>(sql`
        select c.status, c.outcome, a.state as "agentState", a.calls,
          (select count(*)::int from jobs where key = ${`contacts.after-work:${ring.contactId}`}) as "afterWork"
        from contacts c, agent_states a where c.id = ${ring.contactId} and a.staff_id = ${ring.staffId}`);
      if (unanswered?.result.applied === 'requeued') {
        // The phone's report first: back in the queue, then the caller gone from it.
        expect(ended?.result.applied).toBe('abandoned');
        expect(row).toEqual({ status: 'ended', outcome: 'abandoned', agentState: 'missed', calls: 0, afterWork: 0 });
      } else {
        // The hang-up first: the agent writes it up, and the phone's report changes nothing.
        expect(unanswered?.result.applied).toBe('already-ended');
        expect(ended?.result.applied).toBe('after-work');
        expect(row).toEqual({
          status: 'after_work',
          outcome: null,
          agentState: 'after_contact_work',
          calls: 0,
          afterWork: 1,
        });
      }
      await first.database.db.execute(sql`update contacts set status = 'ended' where id = ${ring.contactId}`);
      await first.database.db.execute(sql`delete from jobs`);
    }
  }, 60_000);

  it('routes contacts left waiting when a new instance starts, losing none', async () => {
    const ring = await ringL1('restart-1');
    // The instance that offered it goes away; the offer lapses and the contact waits.
    await offerLapsed(first.ctx, { contactId: ring.contactId, staffId: ring.staffId, offers: ring.offers });
    await first.database.db.execute(sql`update agent_states set state = 'available' where staff_id = ${ring.staffId}`);
    const third = await startSecondInstance(first, { clock: () => now });
    try {
      // What the new instance's runner does first: the routing sweep.
      await routeAllLines(third.ctx);
      await runDueJobs(third.ctx, contactJobs(noPbx));
      const [row] = await first.database.rows<{ status: string; offeredTo: number }>(
        sql`select status, offered_to as "offeredTo" from contacts where id = ${ring.contactId}`,
      );
      expect(row).toEqual({ status: 'offered', offeredTo: ring.staffId });
    } finally {
      await third.close();
    }
  });
});
