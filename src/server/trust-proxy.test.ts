import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app.js';

/** A failed login from `peer`, forwarded for `forwardedFor`; answers the address it was counted against. */
async function addressCountedFor(t: TestApp, login: string, peer: string, forwardedFor: string) {
  await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { login, password: 'wrong' },
    remoteAddress: peer,
    headers: { 'x-forwarded-for': forwardedFor },
  });
  const rows = await t.database.rows<{ ip: string }>(
    sql`select ip from audit_log where action = 'staff.login_failed' and target_id = ${login} order by id desc limit 1`,
  );
  return rows[0]?.ip;
}

describe('TRUST_PROXY=1: one load balancer in front', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { TRUST_PROXY: '1' } });
  });
  afterAll(async () => t?.close());

  it('takes the client address the load balancer appended, not one the client wrote before it', async () => {
    expect(await addressCountedFor(t, 'hop-one', '10.0.0.2', '6.6.6.6, 203.0.113.7')).toBe('203.0.113.7');
  });
});

describe('TRUST_PROXY as a list of the proxies’ addresses', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { TRUST_PROXY: '10.0.0.0/8' } });
  });
  afterAll(async () => t?.close());

  it('believes X-Forwarded-For from a listed proxy', async () => {
    expect(await addressCountedFor(t, 'listed', '10.0.0.2', '203.0.113.8')).toBe('203.0.113.8');
  });

  it('ignores X-Forwarded-For from a client that connects directly', async () => {
    expect(await addressCountedFor(t, 'direct', '198.51.100.9', '203.0.113.9')).toBe('198.51.100.9');
  });
});
