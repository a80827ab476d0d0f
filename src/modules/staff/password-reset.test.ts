import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.loginAs('admin');
});
afterAll(async () => {
  await t?.close();
});

async function idOf(login: string): Promise<number> {
  const staff = (await t.app.inject({ url: '/api/admin/staff', headers: { cookie: admin } })).json();
  return staff.find((member: { login: string }) => member.login === login).id;
}

const reset = (id: number, password: string, cookie = admin) =>
  t.app.inject({ method: 'POST', url: `/api/admin/staff/${id}/password`, headers: { cookie }, payload: { password } });

describe('an administrator resetting a password', () => {
  it('sets the new password, ends every session of that member, and audits it', async () => {
    const l2 = await t.loginAs('l2');
    const id = await idOf('l2');
    const response = await reset(id, 'a new long password');
    expect(response.statusCode).toBe(200);
    expect(response.json().endedSessions).toBeGreaterThanOrEqual(1);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: l2 } })).statusCode).toBe(401);
    const login = (password: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'l2', password } });
    expect((await login('demo')).statusCode).toBe(401);
    expect((await login('a new long password')).statusCode).toBe(200);
    const audit = await t.database.rows<{ staff_id: number; details: { endedSessions: number } }>(
      sql`select staff_id, details from audit_log where action = 'staff.password_reset' and target_id = ${String(id)}`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]?.staff_id).toBe(await idOf('admin'));
    expect(JSON.stringify(audit)).not.toContain('a new long password');
  });

  it('refuses a short password, an unknown member, one’s own password and non-administrators', async () => {
    expect((await reset(await idOf('l3'), 'short')).statusCode).toBe(400);
    expect((await reset(999_999, 'long enough password')).json().code).toBe('staff.not_found');
    const own = await reset(await idOf('admin'), 'long enough password');
    expect(own.statusCode).toBe(409);
    expect(own.json().code).toBe('staff.cannot_reset_own_password');
    const supervisor = await t.loginAs('supervisor');
    expect((await reset(await idOf('l3'), 'long enough password', supervisor)).statusCode).toBe(403);
  });
});
