import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactDetail, SubscriberContacts } from '../../common/api/contacts.js';
import type { Role } from '../../common/api/staff.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { CONTACTS_LISTED } from './history.js';

// A subscriber's contacts and one contact's timeline, over the demo's three months of history.
let t: TestApp;
const cookies = {} as Record<Role, string>;
const get = (url: string, role: Role = 'l1') =>
  t.app.inject({ method: 'GET', url, headers: { cookie: cookies[role] } });

beforeAll(async () => {
  t = await startTestApp();
  for (const role of ['l1', 'l2', 'l3', 'supervisor', 'tech', 'admin'] as Role[]) cookies[role] = await t.loginAs(role);
});
afterAll(() => t?.close());

/** Contacts made in the test: a subscriber of their own, `count` calls an hour apart from `from`. */
async function callsOf(subscriberId: number, count: number, from: Date, callerNumber = '+79990001122') {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const at = new Date(from.getTime() + i * 3_600_000);
    const [row] = await t.database.rows<{ id: number }>(sql`
      insert into contacts (channel, caller_number, line, status, arrived_at, queued_at, ended_at, outcome, subscriber_id,
        subscribers_fitting, repeat_of)
      values ('call', ${callerNumber}, 'l1', 'ended', ${at}, ${at}, ${at}, 'abandoned', ${subscriberId}, 1, ${ids.at(-1) ?? null})
      returning id`);
    ids.push(row?.id ?? 0);
  }
  return ids;
}

describe('GET /api/subscribers/:id/contacts', () => {
  it("lists the subscriber's contacts newest first with their agents' names and repeat marks", async () => {
    const [subscriber] = await t.database.rows<{ id: number }>(sql`
      select subscriber_id as id from contacts where repeat_of is not null and agent_id is not null
      order by subscriber_id limit 1`);
    const response = await get(`/api/subscribers/${subscriber?.id}/contacts`);
    expect(response.statusCode, response.body).toBe(200);
    const { contacts, repeatWindowHours } = response.json<SubscriberContacts>();
    expect(repeatWindowHours).toBe(48);
    expect(contacts.length).toBeGreaterThan(1);
    const arrivals = contacts.map((contact) => contact.arrivedAt);
    expect(arrivals).toEqual([...arrivals].sort().reverse());
    const repeat = contacts.find((contact) => contact.repeatOf !== null);
    const earlier = contacts.find((contact) => contact.id === repeat?.repeatOf);
    expect(earlier).toBeDefined();
    const gap = Date.parse(repeat?.arrivedAt ?? '') - Date.parse(earlier?.arrivedAt ?? '');
    expect(gap).toBeGreaterThan(0);
    expect(gap).toBeLessThanOrEqual(48 * 3_600_000);
    for (const contact of contacts.filter((row) => row.agentId !== null)) {
      expect(contact.agentName).toMatch(/линия|NOC/);
    }
  });

  it(`shows the newest ${CONTACTS_LISTED} of a subscriber who called more often`, async () => {
    const [subscriber] = await t.database.rows<{ id: number }>(sql`
      select s.id from subscribers s where not exists (select 1 from contacts c where c.subscriber_id = s.id)
      order by s.id limit 1`);
    const ids = await callsOf(subscriber?.id ?? 0, CONTACTS_LISTED + 5, new Date('2026-10-01T05:00:00Z'));
    const { contacts } = (await get(`/api/subscribers/${subscriber?.id}/contacts`)).json<SubscriberContacts>();
    expect(contacts.map((contact) => contact.id)).toEqual(ids.slice(-CONTACTS_LISTED).reverse());
    expect(contacts[0]?.repeatOf).toBe(ids.at(-2));
  });

  it('answers an empty list for a subscriber who never called, and 404 for no such subscriber', async () => {
    const [quiet] = await t.database.rows<{ id: number }>(sql`
      select s.id from subscribers s where not exists (select 1 from contacts c where c.subscriber_id = s.id)
      order by s.id desc limit 1`);
    const empty = await get(`/api/subscribers/${quiet?.id}/contacts`);
    expect(empty.statusCode).toBe(200);
    expect(empty.json<SubscriberContacts>().contacts).toEqual([]);
    const missing = await get('/api/subscribers/99999999/contacts');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'subscriber.not_found' });
  });

  it('masks the numbers calls came from for field technicians, not for the hotline', async () => {
    const [subscriber] = await t.database.rows<{ id: number }>(sql`
      select s.id from subscribers s where not exists (select 1 from contacts c where c.subscriber_id = s.id)
      order by s.id limit 1 offset 1`);
    await callsOf(subscriber?.id ?? 0, 1, new Date('2026-11-20T05:00:00Z'), '+79123456789');
    const url = `/api/subscribers/${subscriber?.id}/contacts`;
    for (const role of ['l1', 'l2', 'l3', 'supervisor', 'admin'] as Role[]) {
      expect((await get(url, role)).json<SubscriberContacts>().contacts[0]?.callerNumber, role).toBe('+79123456789');
    }
    const tech = (await get(url, 'tech')).json<SubscriberContacts>();
    expect(tech.contacts[0]?.callerNumber).toBe('+7 *** ***-**-89');
    const id = tech.contacts[0]?.id;
    expect((await get(`/api/contacts/${id}`, 'tech')).json<ContactDetail>().contact.callerNumber).toBe(
      '+7 *** ***-**-89',
    );
  });

  it('refuses a malformed id and anyone signed out', async () => {
    expect((await get('/api/subscribers/abc/contacts')).statusCode).toBe(400);
    expect((await get('/api/subscribers/0/contacts')).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/subscribers/1/contacts' })).statusCode).toBe(401);
  });
});

describe('GET /api/contacts/:id', () => {
  it("gives the contact and its timeline in order, with the staff's names", async () => {
    const [row] = await t.database.rows<{ id: number; agentId: number }>(sql`
      select id, agent_id as "agentId" from contacts where agent_id is not null and transfers = 0 order by id limit 1`);
    const response = await get(`/api/contacts/${row?.id}`, 'supervisor');
    expect(response.statusCode, response.body).toBe(200);
    const { contact, timeline } = response.json<ContactDetail>();
    expect(contact).toMatchObject({ id: row?.id, agentId: row?.agentId, status: 'ended' });
    expect(contact.agentName).toMatch(/линия|NOC/);
    expect(timeline.map((event) => event.kind)).toEqual(
      expect.arrayContaining(['queued', 'offered', 'answered', 'ended']),
    );
    const moments = timeline.map((event) => event.at);
    expect(moments).toEqual([...moments].sort());
    const ended = timeline.find((event) => event.kind === 'ended');
    expect(ended).toMatchObject({ staffId: row?.agentId, staffName: contact.agentName });
    expect(ended?.details).toEqual({ reason: contact.reason, outcome: contact.outcome });
    expect(timeline.find((event) => event.kind === 'queued')?.staffName).toBeNull();
  });

  it('answers 404 problem for no such contact and 400 for a malformed id', async () => {
    const missing = await get('/api/contacts/2147483647');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/problem\+json/);
    expect(missing.json()).toMatchObject({ code: 'contacts.contact_not_found' });
    expect((await get('/api/contacts/1.5')).statusCode).toBe(400);
    expect((await get('/api/contacts/-1')).statusCode).toBe(400);
  });
});
