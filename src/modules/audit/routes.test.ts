import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRow } from '../../common/api/audit.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
let supervisor: string;
beforeAll(async () => {
  t = await startTestApp();
  supervisor = await t.loginAs('supervisor');
});
afterAll(async () => {
  await t.close();
});

const get = (url: string, cookie = supervisor) => t.app.inject({ url, headers: { cookie } });

describe('GET /api/audit', () => {
  it('lets a supervisor and an administrator read the log, and nobody else', async () => {
    expect((await get('/api/audit')).statusCode).toBe(200);
    expect((await get('/api/audit', await t.loginAs('admin'))).statusCode).toBe(200);
    for (const role of ['l1', 'l2', 'l3', 'tech'] as const) {
      expect((await get('/api/audit', await t.loginAs(role))).statusCode, role).toBe(403);
      expect((await get('/api/audit/staff', await t.loginAs(role))).statusCode, role).toBe(403);
    }
  });

  it('filters by staff member, action family and time, newest first, and pages by the last id', async () => {
    const staffId = (await t.app.inject({ url: '/api/auth/me', headers: { cookie: supervisor } })).json().id;
    const since = new Date(Date.now() - 60_000).toISOString();
    const rows = (await get(`/api/audit?staffId=${staffId}&action=staff.&from=${since}`)).json() as AuditRow[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.staffId === staffId && row.action.startsWith('staff.'))).toBe(true);
    expect(rows.every((row) => row.at >= since)).toBe(true);

    const first = (await get('/api/audit?limit=2')).json() as AuditRow[];
    const next = (await get(`/api/audit?limit=2&beforeId=${first.at(-1)!.id}`)).json() as AuditRow[];
    expect(next[0]!.id).toBeLessThan(first.at(-1)!.id);
  });

  it('names the staff member and the subscriber of each row instead of their ids', async () => {
    const l1 = await t.loginAs('l1');
    const listed = (await get('/api/subscribers?kind=person&limit=1', l1)).json();
    const subscriber = listed.items[0];
    expect((await get(`/api/subscribers/${subscriber.id}`, l1)).statusCode).toBe(200);
    const rows = (
      await get(`/api/audit?subscriberId=${subscriber.id}&action=subscriber.card_opened`)
    ).json() as AuditRow[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]).toMatchObject({ staffLogin: 'l1', targetName: subscriber.name });
    expect(rows[0]!.staffName).toEqual(expect.any(String));
    const staff = (await get('/api/audit/staff')).json() as { login: string }[];
    expect(staff.map((member) => member.login)).toContain('l1');
  });

  it.each(['nas-sessions.', 'subscribers.account-changed', 'access-line.bounce'])(
    'takes action names with a hyphen (%s), as the NAS, account and access-line actions have',
    async (action) => {
      const response = await get(`/api/audit?action=${action}`);
      expect(response.statusCode, response.body).toBe(200);
    },
  );

  it.each([
    ['a time that is not one', 'from=yesterday'],
    ['`from` after `to`', 'from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z'],
    ['an action that is not an action name', 'action=DROP%20TABLE'],
    ['a staff id that is not an id', 'staffId=0'],
    ['a subscriber id that is not an id', 'subscriberId=abc'],
    ['an unknown filter', 'who=l1'],
  ])('answers 400 to %s', async (_name, query) => {
    const response = await get(`/api/audit?${query}`);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().code).toBe('request.invalid');
  });
});
