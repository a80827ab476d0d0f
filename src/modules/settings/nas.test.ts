import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { nasByAddress } from './nas.js';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.loginAs('admin');
});
afterAll(() => t?.close());

const put = (name: string, payload: object, cookie = admin) =>
  t.app.inject({ method: 'PUT', url: `/api/settings/nas/${name}`, headers: { cookie }, payload });

const mikrotik = {
  address: '127.0.0.9',
  vendor: 'mikrotik',
  interimIntervalSeconds: 300,
  secret: 'a-secret-of-16+-chars',
};

describe('the NAS list an administrator keeps', () => {
  it('adds a NAS with its secret, audited by name only, and never answers the secret', async () => {
    const response = await put('bras-9', mikrotik);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ name: 'bras-9', coaPort: 3799, secretSet: true, secretReadable: true });
    expect(response.body).not.toContain('a-secret-of');
    const list = await t.app.inject({ method: 'GET', url: '/api/settings/nas', headers: { cookie: admin } });
    expect(list.body).not.toContain('a-secret-of');
    const [audit] = await t.database.rows<{ details: unknown }>(
      sql`select details from audit_log where action = 'settings.nas_added' and target_id = 'bras-9'`,
    );
    expect(JSON.stringify(audit?.details)).not.toContain('a-secret-of');
    expect(JSON.stringify(audit?.details)).toContain('"to":"set"');
    expect((await nasByAddress(t.ctx, '::ffff:127.0.0.9'))?.secret?.toString()).toBe('a-secret-of-16+-chars');
  });

  it('gives a Juniper NAS the ERX CoA port 1700 unless told otherwise', async () => {
    const response = await put('erx-1', { ...mikrotik, address: '127.0.0.10', vendor: 'juniper' });
    expect(response.json().coaPort).toBe(1700);
  });

  it('refuses an edit made from an older version (409), a new NAS without a secret, and a taken address', async () => {
    const { version } = (await put('bras-8', { ...mikrotik, address: '127.0.0.8' })).json();
    expect(
      (await put('bras-8', { ...mikrotik, address: '127.0.0.8', interimIntervalSeconds: 600, version })).statusCode,
    ).toBe(200);
    expect((await put('bras-8', { ...mikrotik, address: '127.0.0.8', version })).statusCode).toBe(409);
    const { secret: _secret, ...withoutSecret } = mikrotik;
    expect((await put('bras-7', { ...withoutSecret, address: '127.0.0.7' })).statusCode).toBe(400);
    expect((await put('bras-6', mikrotik)).statusCode).toBe(409);
    expect((await put('bras-5', { ...mikrotik, address: 'not-an-ip' })).statusCode).toBe(400);
  });

  it('is kept by administrators only: a 2nd-line agent gets 403 and changes nothing', async () => {
    const l2 = await t.loginAs('l2');
    expect((await put('bras-4', { ...mikrotik, address: '127.0.0.4' }, l2)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/settings/nas', headers: { cookie: l2 } })).statusCode).toBe(
      403,
    );
    expect(
      (await t.app.inject({ method: 'DELETE', url: '/api/settings/nas/bras-9', headers: { cookie: l2 } })).statusCode,
    ).toBe(403);
    expect(await nasByAddress(t.ctx, '127.0.0.9')).not.toBeNull();
  });

  it('removes a NAS: its address is an unknown client from then on', async () => {
    const response = await t.app.inject({
      method: 'DELETE',
      url: '/api/settings/nas/bras-9',
      headers: { cookie: admin },
    });
    expect(response.statusCode).toBe(204);
    expect(await nasByAddress(t.ctx, '127.0.0.9')).toBeNull();
  });
});
