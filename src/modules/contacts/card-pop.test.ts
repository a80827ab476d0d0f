import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Desk } from '../../common/api/contacts.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { runDueJobs } from '../jobs/service.js';
import { contactJobs } from './jobs.js';
import { noPbx } from './pbx.js';
import { applyPbxEvent } from './pbx-events.js';

let t: TestApp;
let now = new Date('2026-11-25T09:00:00Z');
let admin: string;
beforeAll(async () => {
  t = await startTestApp({ clock: () => now });
  admin = await t.loginAs('admin');
});
afterAll(() => t?.close());

async function desk(cookie: string): Promise<Desk> {
  return (await t.app.inject({ method: 'GET', url: '/api/desk', headers: { cookie } })).json();
}
const setAvailable = (cookie: string) =>
  t.app.inject({ method: 'PUT', url: '/api/desk/state', headers: { cookie }, payload: { state: 'available' } });

async function setRoutingMode(mode: 'acd' | 'card-pop') {
  const view = (await t.app.inject({ method: 'GET', url: '/api/settings', headers: { cookie: admin } })).json();
  const saved = await t.app.inject({
    method: 'PUT',
    url: '/api/settings/contacts',
    headers: { cookie: admin },
    payload: { version: view.contactsVersion, contacts: { ...view.contacts, routingMode: mode } },
  });
  expect(saved.statusCode, saved.body).toBe(200);
}

describe('routing mode: an offer nobody accepts goes to the next agent', () => {
  it('rings the longest-idle agent first, then, after the timeout, the next one', async () => {
    const first = await t.loginAs('l1');
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: 'l1-2', password: 'demo' },
    });
    const secondCookie = `linedesk_session=${second.cookies.find((c) => c.name === 'linedesk_session')?.value}`;
    await setAvailable(first);
    now = new Date(now.getTime() + 5_000);
    await setAvailable(secondCookie);
    await applyPbxEvent(t.ctx, {
      kind: 'offered',
      eventId: 'next-1',
      callId: 'next-1',
      at: now,
      from: null,
      dialled: '1',
    });
    const ringing = await desk(first);
    expect(ringing.offer?.contact).toMatchObject({ status: 'offered' });
    expect((await desk(secondCookie)).offer).toBeNull();
    now = new Date(now.getTime() + 16_000);
    await runDueJobs(t.ctx, contactJobs(noPbx));
    expect((await desk(first)).agent.state).toBe('missed');
    expect((await desk(secondCookie)).offer?.contact.id).toBe(ringing.offer?.contact.id);
  });
});

describe('card-pop mode: the PBX queues and routes, Linedesk pops the card', () => {
  it('rings the agent whose extension the PBX rang, with the card, and connects when the PBX says answered', async () => {
    await setRoutingMode('card-pop');
    try {
      const l2 = await t.loginAs('l2');
      await t.database.db.execute(sql`update agent_states set state = 'offline', calls = 0, chats = 0`);
      const [phone] = await t.database.rows<{ phone: string; subscriberId: number }>(sql`
        select phone, min(subscriber_id) as "subscriberId" from subscriber_phones
        group by phone having count(distinct subscriber_id) = 1 order by phone desc limit 1`);
      const [ext] = await t.database.rows<{ extension: string }>(sql`
        select extension from agent_states a join staff s on s.id = a.staff_id where s.login = 'l2'`);
      const offered = await applyPbxEvent(t.ctx, {
        kind: 'offered',
        eventId: 'pop-1',
        callId: 'pop-1',
        at: now,
        from: phone?.phone ?? null,
        dialled: '2',
        agentExtension: ext?.extension,
      });
      expect(offered.result.applied).toBe('offered-to-agent');
      // The PBX keeps its own queue and announcements in this mode.
      const [announced] = await t.database.rows<{ n: number }>(sql`select count(*)::int as n from contact_events
        where kind = 'announced' and contact_id = ${offered.result.contactId}`);
      expect(announced?.n).toBe(0);
      const ringing = await desk(l2);
      expect(ringing.offer?.contact).toMatchObject({ subscriberId: phone?.subscriberId, line: 'l2' });
      // No lapse in this mode: the PBX decides who rings next.
      now = new Date(now.getTime() + 60_000);
      await runDueJobs(t.ctx, contactJobs(noPbx));
      expect((await desk(l2)).offer).not.toBeNull();
      await applyPbxEvent(t.ctx, {
        kind: 'answered',
        eventId: 'pop-2',
        callId: 'pop-1',
        at: now,
        agentExtension: ext?.extension,
      });
      const talking = await desk(l2);
      expect(talking.agent.state).toBe('on_contact');
      expect(talking.current[0]).toMatchObject({ status: 'connected', subscriberId: phone?.subscriberId });
    } finally {
      await setRoutingMode('acd');
    }
  });
});
