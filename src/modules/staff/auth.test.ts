import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../testing/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const login = (body: unknown, ip = '127.0.0.1') =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: body as object, remoteAddress: ip });

describe('logging in', () => {
  it('opens a session for a demo login and answers /me with the role', async () => {
    const response = await login({ login: 'l1', password: 'demo' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ login: 'l1', role: 'l1' });
    const cookie = response.cookies.find((c) => c.name === 'linedesk_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
    const me = await t.app.inject({ url: '/api/auth/me', headers: { cookie: `linedesk_session=${cookie?.value}` } });
    expect(me.json()).toMatchObject({ login: 'l1', role: 'l1' });
  });

  it('stores passwords as argon2id hashes, never in clear', async () => {
    const rows = await t.database.rows<{ password_hash: string }>(
      (await import('drizzle-orm')).sql`select password_hash from staff where login = 'l1'`,
    );
    expect(rows[0]?.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('answers a wrong password and an unknown login alike, with 401', async () => {
    const wrong = await login({ login: 'l2', password: 'nope' }, '10.9.0.1');
    const unknown = await login({ login: 'nobody', password: 'nope' }, '10.9.0.2');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().code).toBe('auth.invalid_credentials');
    expect(unknown.json().code).toBe('auth.invalid_credentials');
    expect(wrong.headers['content-type']).toContain('application/problem+json');
  });

  it('locks a login from one address after ten failures, even with the right password, but not from another address', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/admin/staff',
      headers: { cookie: await t.loginAs('admin') },
      payload: { login: 'victim', fullName: 'Жертва Перебора', role: 'l1', password: 'correct horse' },
    });
    for (let attempt = 0; attempt < 10; attempt++) {
      const response = await login({ login: 'victim', password: `guess${attempt}` }, '10.8.0.1');
      expect(response.statusCode).toBe(401);
    }
    const locked = await login({ login: 'victim', password: 'correct horse' }, '10.8.0.1');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('auth.locked');
    // Whoever guessed from 10.8.0.1 cannot lock the member out: from their own address they sign in.
    expect((await login({ login: 'victim', password: 'correct horse' }, '10.8.1.1')).statusCode).toBe(200);
  }, 90_000);

  it('counts failures per address too and records each failure in the audit log', async () => {
    const rows = await t.database.rows<{ failures: number }>(
      (await import('drizzle-orm')).sql`select failures from login_throttle where key = 'login:victim'`,
    );
    expect(rows[0]?.failures).toBeGreaterThanOrEqual(10);
    const audit = await t.database.rows<{ n: number }>(
      (await import('drizzle-orm'))
        .sql`select count(*)::int as n from audit_log where action = 'staff.login_failed' and target_id = 'victim'`,
    );
    expect(audit[0]?.n).toBeGreaterThanOrEqual(10);
  });
});

describe('sessions', () => {
  it('logs out: the cookie no longer works', async () => {
    const cookie = await t.loginAs('l2');
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } })).statusCode).toBe(204);
    const me = await t.app.inject({ url: '/api/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(401);
    expect(me.json().code).toBe('auth.required');
  });

  it('lets an administrator list and revoke another person’s session, and audits it', async () => {
    const victim = await t.loginAs('l3');
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: victim } })).statusCode).toBe(200);
    const admin = await t.loginAs('admin');
    const sessions = await t.app.inject({ url: '/api/admin/sessions', headers: { cookie: admin } });
    expect(sessions.statusCode).toBe(200);
    const l3Session = sessions.json().find((s: { staffLogin: string }) => s.staffLogin === 'l3');
    expect(l3Session).toBeDefined();
    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `/api/admin/sessions/${l3Session.id}`,
      headers: { cookie: admin },
    });
    expect(revoked.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: victim } })).statusCode).toBe(401);
    const audit = await t.app.inject({
      url: `/api/audit?action=staff.session_revoked&targetId=${l3Session.id}`,
      headers: { cookie: admin },
    });
    expect(audit.json()).toHaveLength(1);
  });

  it('ends every session of a deactivated member and refuses their login', async () => {
    const admin = await t.loginAs('admin');
    const techCookie = await t.loginAs('tech');
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: techCookie } })).statusCode).toBe(200);
    const staff = (await t.app.inject({ url: '/api/admin/staff', headers: { cookie: admin } })).json();
    const tech = staff.find((s: { login: string }) => s.login === 'tech');
    const update = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/staff/${tech.id}`,
      headers: { cookie: admin },
      payload: { isActive: false },
    });
    expect(update.json()).toMatchObject({ isActive: false, activeSessions: 0 });
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: techCookie } })).statusCode).toBe(401);
    expect((await login({ login: 'tech', password: 'demo' }, '10.7.0.1')).statusCode).toBe(401);
    await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/staff/${tech.id}`,
      headers: { cookie: admin },
      payload: { isActive: true },
    });
    expect((await login({ login: 'tech', password: 'demo' }, '10.7.0.2')).statusCode).toBe(200);
  });
});

describe('permissions', () => {
  it('refuses the administration to everyone but administrators', async () => {
    for (const role of ['l1', 'l2', 'l3', 'supervisor', 'tech'] as const) {
      const response = await t.app.inject({ url: '/api/admin/staff', headers: { cookie: await t.loginAs(role) } });
      expect(response.statusCode, role).toBe(403);
      expect(response.json().code).toBe('auth.forbidden');
    }
  });

  it('asks for a login before anything but health and login', async () => {
    for (const url of ['/api/subscribers', '/api/subscribers/1', '/api/admin/staff', '/api/audit', '/api/tariffs']) {
      const response = await t.app.inject({ url });
      expect(response.statusCode, url).toBe(401);
    }
    expect((await t.app.inject({ url: '/api/health' })).statusCode).toBe(200);
  });

  it('audits role changes and refuses an administrator demoting themselves', async () => {
    const admin = await t.loginAs('admin');
    const staff = (await t.app.inject({ url: '/api/admin/staff', headers: { cookie: admin } })).json();
    const self = staff.find((s: { login: string }) => s.login === 'admin');
    const l1 = staff.find((s: { login: string }) => s.login === 'l1');
    const l1Cookie = await t.loginAs('l1');
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: l1Cookie } })).json().role).toBe('l1');
    const demote = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/staff/${self.id}`,
      headers: { cookie: admin },
      payload: { role: 'l1' },
    });
    expect(demote.statusCode).toBe(409);
    const promote = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/staff/${l1.id}`,
      headers: { cookie: admin },
      payload: { role: 'l2' },
    });
    expect(promote.json().role).toBe('l2');
    // At once, not after a session cache expires.
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: l1Cookie } })).json().role).toBe('l2');
    const audit = await t.app.inject({
      url: `/api/audit?action=staff.role_changed&targetId=${l1.id}`,
      headers: { cookie: admin },
    });
    expect(audit.json()[0]).toMatchObject({ details: { from: 'l1', to: 'l2' } });
    await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/staff/${l1.id}`,
      headers: { cookie: admin },
      payload: { role: 'l1' },
    });
  });
});
