import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionPanel } from '../../common/api/nas-sessions.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { accountingRecord, recordAccounting } from './service.js';

let t: TestApp;
const now = new Date('2026-11-25T12:00:00Z');
let subscriberId: number;
beforeAll(async () => {
  t = await startTestApp({ clock: () => now });
  const [row] = await t.database.rows<{ login: string; subscriber_id: number }>(sql`
    select sc.pppoe_login as login, a.subscriber_id from service_connections sc join accounts a on a.id = sc.account_id
    where sc.method = 'pppoe' order by sc.id limit 1`);
  subscriberId = row?.subscriber_id ?? 0;
  await recordAccounting(
    t.ctx,
    accountingRecord({
      nas: 'bras-1',
      status: 'start',
      sessionId: 'route-1',
      eventAt: new Date('2026-11-25T11:00:00Z'),
      userName: row?.login ?? '',
      framedIp: '100.64.3.7',
    }),
  );
});
afterAll(() => t?.close());

describe('GET /api/subscribers/:id/session', () => {
  it("gives the 2nd line the subscriber's session now, online since its start, with the time it was read", async () => {
    const response = await t.app.inject({
      url: `/api/subscribers/${subscriberId}/session`,
      headers: { cookie: await t.loginAs('l2') },
    });
    expect(response.statusCode, response.body).toBe(200);
    const panel = response.json() as SessionPanel;
    expect(panel.current).toMatchObject({
      nas: 'bras-1',
      acctSessionId: 'route-1',
      state: 'open',
      startedAt: '2026-11-25T11:00:00.000Z',
      framedIp: '100.64.3.7',
    });
    expect(panel.readAt).toBe(now.toISOString());
  });

  it('tells nothing without a signed-in staff member, and refuses an id that is not one', async () => {
    const anonymous = await t.app.inject({ url: `/api/subscribers/${subscriberId}/session` });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.body).not.toContain('100.64.3.7');
    const odd = await t.app.inject({
      url: '/api/subscribers/1%3Bdrop/session',
      headers: { cookie: await t.loginAs('l1') },
    });
    expect(odd.statusCode).toBe(400);
    expect(odd.headers['content-type']).toContain('application/problem+json');
  });
});
