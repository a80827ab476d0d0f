import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { snmpNodeNamed } from './snmp-nodes.js';

let t: TestApp;
let admin: string;
let node: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.loginAs('admin');
  const [row] = await t.database.rows<{ name: string }>(
    sql`select name from network_nodes where kind = 'access_switch' order by id limit 1`,
  );
  node = row?.name ?? '';
});
afterAll(() => t?.close());

const put = (path: string, payload: object, cookie = admin) =>
  t.app.inject({ method: 'PUT', url: `/api/settings/snmp${path}`, headers: { cookie }, payload });
const get = (cookie = admin) => t.app.inject({ method: 'GET', url: '/api/settings/snmp', headers: { cookie } });

describe('the SNMP settings routes', () => {
  it('add a v3 node and answer whether its keys are set, never the keys', async () => {
    const response = await put(`/nodes/${node}`, {
      version: 'v3',
      v3: {
        user: 'linedesk',
        authProtocol: 'sha',
        authKey: 'auth-route-key',
        privProtocol: 'aes',
        privKey: 'priv-route-key',
      },
      bounceAllowed: true,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ node, version: 'v3', credentialsSet: true, bounceAllowed: true });
    const list = await get();
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('route-key');
    expect(list.json().polling).toMatchObject({ intervalSeconds: 300, concurrency: 16 });
    expect((await snmpNodeNamed(t.ctx, node))?.credentials).toMatchObject({ authKey: 'auth-route-key' });
  });

  it('refuse bad input: unknown fields, a short key, a node not on record (problem+json)', async () => {
    expect((await put(`/nodes/${node}`, { version: 'v2c', community: 'x', colour: 'red' })).statusCode).toBe(400);
    const short = await put('/nodes/other', {
      version: 'v3',
      v3: { user: 'u', authProtocol: 'md5', authKey: 'short' },
    });
    expect(short.statusCode).toBe(400);
    const unknown = await put('/nodes/no-such-switch', { version: 'v2c', community: 'public' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().type).toBe('urn:linedesk:problem:settings.snmp_node_unknown');
    const polling = await put('/polling', {
      intervalSeconds: 5,
      timeoutMs: 1000,
      retries: 1,
      backoffMaxSeconds: 600,
      jitterPercent: 10,
      concurrency: 4,
    });
    expect(polling.statusCode).toBe(400);
  });

  it('are kept by administrators only: a 2nd-line agent gets 403 and changes nothing', async () => {
    const l2 = await t.loginAs('l2');
    expect((await get(l2)).statusCode).toBe(403);
    expect((await put(`/nodes/${node}`, { version: 'v2c', community: 'stolen' }, l2)).statusCode).toBe(403);
    expect(
      (
        await put(
          '/polling',
          {
            intervalSeconds: 60,
            timeoutMs: 1000,
            retries: 1,
            backoffMaxSeconds: 600,
            jitterPercent: 10,
            concurrency: 4,
          },
          l2,
        )
      ).statusCode,
    ).toBe(403);
    const removal = await t.app.inject({
      method: 'DELETE',
      url: `/api/settings/snmp/nodes/${node}`,
      headers: { cookie: l2 },
    });
    expect(removal.statusCode).toBe(403);
    expect((await snmpNodeNamed(t.ctx, node))?.version).toBe('v3');
  });

  it('save the global poll settings and remove a node, for an administrator', async () => {
    const saved = await put('/polling', {
      intervalSeconds: 120,
      timeoutMs: 1000,
      retries: 2,
      backoffMaxSeconds: 900,
      jitterPercent: 5,
      concurrency: 8,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().polling.intervalSeconds).toBe(120);
    const removal = await t.app.inject({
      method: 'DELETE',
      url: `/api/settings/snmp/nodes/${node}`,
      headers: { cookie: admin },
    });
    expect(removal.statusCode).toBe(204);
    expect(await snmpNodeNamed(t.ctx, node)).toBeNull();
  });
});
