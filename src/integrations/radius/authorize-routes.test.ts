import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';
import { saveNas } from '../../modules/settings/nas.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { RADIUS_AUTHORIZE_PATH } from './authorize-routes.js';

const TOKEN = 'radius-authorize-token-for-the-tests-0123';
let t: TestApp;

interface Connection {
  account_id: number;
  number: string;
  login: string | null;
  mac: string | null;
  circuit: string | null;
  remote: string | null;
  mbps: number;
}

/** A connection on record of an account in this state (and of this method), from the demo ISP. */
async function connectionOf(state: string, method?: string): Promise<Connection> {
  const [row] = await t.database.rows<Connection>(sql`
    select a.id as account_id, a.number, sc.pppoe_login as login, sc.mac, sc.option82_circuit_id as circuit,
      sc.option82_remote_id as remote, tr.download_mbps as mbps
    from service_connections sc join accounts a on a.id = sc.account_id join tariffs tr on tr.id = a.tariff_id
    where a.state = ${state} and (${method ?? null}::text is null or sc.method::text = ${method ?? null})
    order by sc.id limit 1`);
  if (!row) throw new Error(`the demo data has no ${state} ${method ?? ''} connection`);
  return row;
}

/** The body rlm_rest sends with `body = 'json'`: every attribute with its type and a list of values. */
function restBody(attributes: Record<string, [type: string, value: string | number][]>) {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, values]) => [
      name,
      { type: values[0]?.[0] ?? 'string', value: values.map(([, value]) => value) },
    ]),
  );
}

function authorize(body: unknown, authorization: string | null = `Bearer ${TOKEN}`) {
  return t.app.inject({
    method: 'POST',
    url: RADIUS_AUTHORIZE_PATH,
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const accessRequest = (nas: string, login: string | null, more: Parameters<typeof restBody>[0] = {}) =>
  restBody({
    ...(login === null ? {} : { 'User-Name': [['string', login]] }),
    'User-Password': [['string', 'whatever-the-subscriber-typed']],
    'NAS-IP-Address': [['ipaddr', nas]],
    'NAS-Port-Type': [['integer', 'Ethernet']],
    ...more,
  });

beforeAll(async () => {
  t = await startTestApp({ env: { RADIUS_AUTHORIZE_TOKEN: TOKEN } });
  const [admin] = await t.database.rows<{ id: number }>(sql`select id from staff where role = 'admin' limit 1`);
  const nases = [
    ['bras-mikrotik', '127.0.0.11', 'mikrotik', 300],
    ['bras-cisco', '127.0.0.12', 'cisco', 600],
    ['bras-juniper', '127.0.0.13', 'juniper', 900],
  ] as const;
  for (const [name, address, vendor, interimIntervalSeconds] of nases) {
    await saveNas(
      t.ctx,
      { id: admin?.id ?? 1 },
      name,
      { address, vendor, interimIntervalSeconds, secret: 'the-nas-shared-secret' },
      null,
    );
  }
});
afterAll(async () => t?.close());

describe('an active account', () => {
  it("gets its tariff's speed in the NAS vendor's attribute, and the NAS's interim interval", async () => {
    const active = await connectionOf('active', 'pppoe');
    const mikrotik = await authorize(accessRequest('127.0.0.11', active.login));
    expect(mikrotik.statusCode).toBe(200);
    expect(mikrotik.json()).toEqual({
      'reply:Mikrotik-Rate-Limit': { value: `${active.mbps}M/${active.mbps}M`, op: ':=', do_xlat: false },
      'reply:Acct-Interim-Interval': { value: 300, op: ':=', do_xlat: false },
    });

    const cisco = await authorize(accessRequest('127.0.0.12', active.login));
    const bps = active.mbps * 1_000_000;
    expect(cisco.json()['reply:Cisco-Account-Info']).toEqual({
      value: `QU;${bps};${bps * 0.1875};D;${bps};${bps * 0.1875}`,
      op: ':=',
      do_xlat: false,
    });
    expect(cisco.json()['reply:Acct-Interim-Interval'].value).toBe(600);

    const juniper = await authorize(accessRequest('127.0.0.13', active.login));
    expect(juniper.json()['reply:ERX-Service-Activate:1']).toEqual({
      value: `linedesk-internet(${active.mbps}m,${active.mbps}m)`,
      op: ':=',
      do_xlat: false,
    });
  });

  it('behind a NAS not in the list gets no vendor attribute and no interval, but is served', async () => {
    const active = await connectionOf('active', 'pppoe');
    const response = await authorize(accessRequest('127.0.0.99', active.login));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({});
  });

  it("is found by the CPE's MAC in Cisco's dotted form when the login names nobody", async () => {
    const withMac = await connectionOf('active', 'ipoe');
    const hex = (withMac.mac ?? '').replace(/[^0-9A-Fa-f]/g, '').toLowerCase();
    const dotted = `${hex.slice(0, 4)}.${hex.slice(4, 8)}.${hex.slice(8)}`;
    const response = await authorize(
      accessRequest('127.0.0.11', dotted, { 'Calling-Station-Id': [['string', dotted]] }),
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()['reply:Mikrotik-Rate-Limit'].value).toBe(`${withMac.mbps}M/${withMac.mbps}M`);
  });

  it("is found by Option 82 as RFC 4679's attributes carry it, in rlm_rest's hex", async () => {
    const [row] = await t.database.rows<Connection>(sql`
      select a.id as account_id, sc.option82_circuit_id as circuit, sc.option82_remote_id as remote,
        tr.download_mbps as mbps
      from service_connections sc join accounts a on a.id = sc.account_id join tariffs tr on tr.id = a.tariff_id
      where a.state = 'active' and sc.option82_circuit_id is not null and sc.option82_remote_id is not null
      order by sc.id limit 1`);
    if (!row) throw new Error('the demo data has no connection with Option 82');
    const hex = (text: string) => `0x${Buffer.from(text, 'latin1').toString('hex')}`;
    const response = await authorize(
      accessRequest('127.0.0.11', null, {
        'ADSL-Agent-Circuit-Id': [['octets', hex(row.circuit ?? '')]],
        'ADSL-Agent-Remote-Id': [['octets', hex(row.remote ?? '')]],
      }),
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()['reply:Mikrotik-Rate-Limit'].value).toBe(`${row.mbps}M/${row.mbps}M`);
  });
});

describe('a blocked or suspended account', () => {
  it('is put in the walled garden instead of at its speed', async () => {
    for (const state of ['blocked_debt', 'suspended']) {
      const walled = await connectionOf(state);
      const key = walled.login ?? walled.mac;
      const body = accessRequest('127.0.0.11', key, { 'Calling-Station-Id': [['string', walled.mac ?? '']] });
      const mikrotik = await authorize(body);
      expect(mikrotik.statusCode, state).toBe(200);
      expect(mikrotik.json(), state).toEqual({
        'reply:Mikrotik-Address-List': { value: 'linedesk-blocked', op: ':=', do_xlat: false },
        'reply:Acct-Interim-Interval': { value: 300, op: ':=', do_xlat: false },
      });
      const cisco = await authorize({ ...body, 'NAS-IP-Address': { type: 'ipaddr', value: ['127.0.0.12'] } });
      expect(cisco.json()['reply:Cisco-Account-Info'].value, state).toBe('ALINEDESK-REDIRECT');
    }
  });
});

describe('no service', () => {
  it('refuses a closed account with 403, which rlm_rest turns into a reject', async () => {
    // The demo ISP keeps no connection for a closed account: one is closed here, its connection left behind.
    const [closed] = await t.database.rows<{ number: string; login: string }>(sql`
      update accounts a set state = 'closed' from service_connections sc
      where sc.account_id = a.id and sc.id = (
        select sc2.id from service_connections sc2 join accounts a2 on a2.id = sc2.account_id
        where a2.state = 'active' and sc2.method = 'pppoe' order by sc2.id desc limit 1)
      returning a.number, sc.pppoe_login as login`);
    const response = await authorize(accessRequest('127.0.0.11', closed?.login ?? ''));
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      code: 'radius.account_closed',
      title: expect.stringContaining(closed?.number ?? '?'),
    });
  });

  it('answers 404 for a login and MAC no account has, so the RADIUS server decides', async () => {
    const response = await authorize(
      accessRequest('127.0.0.11', 'no-such-login', { 'Calling-Station-Id': [['string', '02:00:00:00:00:01']] }),
    );
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('radius.subscriber_unknown');
  });
});

describe('who may ask', () => {
  it('refuses a missing or wrong token with 401 before looking at the body', async () => {
    const active = await connectionOf('active', 'pppoe');
    for (const authorization of [null, 'Bearer not-the-token', `Bearer ${TOKEN}x`, `Basic ${btoa('x:nope')}`]) {
      const response = await authorize(accessRequest('127.0.0.11', active.login), authorization);
      expect(response.statusCode, String(authorization)).toBe(401);
      expect(response.json().code).toBe('radius.authorize_unauthorized');
      expect(response.headers['www-authenticate']).toBe('Bearer realm="radius-authorize"');
    }
    expect((await authorize('{"broken', null)).statusCode).toBe(401);
  });

  it("takes the token as the password of HTTP Basic, as rlm_rest's auth = 'basic' sends it", async () => {
    const active = await connectionOf('active', 'pppoe');
    const response = await authorize(accessRequest('127.0.0.11', active.login), `Basic ${btoa(`freeradius:${TOKEN}`)}`);
    expect(response.statusCode).toBe(200);
  });

  it('answers 503 on a server without RADIUS_AUTHORIZE_TOKEN, whatever is presented', async () => {
    const bare = await startTestApp();
    try {
      const response = await bare.app.inject({
        method: 'POST',
        url: RADIUS_AUTHORIZE_PATH,
        headers: { 'content-type': 'application/json', authorization: 'Bearer anything-at-all' },
        payload: '{}',
      });
      expect(response.statusCode).toBe(503);
      expect(response.json().code).toBe('radius.authorize_not_configured');
    } finally {
      await bare.close();
    }
  });

  it('refuses to start with a short or spaced RADIUS_AUTHORIZE_TOKEN, naming it', () => {
    for (const token of ['short', `${'a'.repeat(40)} b`, `${'a'.repeat(40)}"`]) {
      expect(() => loadConfig({ NODE_ENV: 'test', RADIUS_AUTHORIZE_TOKEN: token })).toThrow(ConfigError);
      expect(() => loadConfig({ NODE_ENV: 'test', RADIUS_AUTHORIZE_TOKEN: token })).toThrow(/^RADIUS_AUTHORIZE_TOKEN/);
    }
    expect(loadConfig({ NODE_ENV: 'test', RADIUS_AUTHORIZE_TOKEN: TOKEN }).radiusAuthorizeToken?.value).toBe(TOKEN);
    expect(JSON.stringify(loadConfig({ NODE_ENV: 'test', RADIUS_AUTHORIZE_TOKEN: TOKEN }))).not.toContain(TOKEN);
  });

  it('is not a staff route: a staff session without the token is refused', async () => {
    const cookie = await t.loginAs('admin');
    const response = await t.app.inject({
      method: 'POST',
      url: RADIUS_AUTHORIZE_PATH,
      headers: { 'content-type': 'application/json', cookie },
      payload: JSON.stringify(accessRequest('127.0.0.11', 'anyone')),
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('bad input', () => {
  it('answers 400 problem+json for bodies that are not what rlm_rest sends', async () => {
    const bodies: unknown[] = [
      '{"User-Name": ',
      [],
      { 'User-Name': 'p100001' },
      { 'User-Name': { type: 'string' } },
      { 'User-Name': { type: 'string', value: [] } },
      { 'User-Name': { type: 'string', value: [{ nested: true }] } },
      { 'User-Name': { type: 'string', value: ['x'], extra: 1 } },
      { 'User Name': { type: 'string', value: ['x'] } },
      { 'User-Name': { type: 'string', value: ['x'.repeat(1025)] } },
    ];
    for (const body of bodies) {
      const response = await authorize(body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.headers['content-type'], JSON.stringify(body)).toMatch(/^application\/problem\+json/);
    }
  });

  it('answers 415 for a body that is not JSON', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: RADIUS_AUTHORIZE_PATH,
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${TOKEN}` },
      payload: 'User-Name=p100001',
    });
    expect(response.statusCode).toBe(415);
  });
});
