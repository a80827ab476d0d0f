import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NasAnswer } from '../../common/api/nas-sessions.js';
import type { Role } from '../../common/api/staff.js';
import { accountingRecord, recordAccounting } from '../../modules/nas-sessions/service.js';
import { nasList, saveNas } from '../../modules/settings/nas.js';
import type { NasVendor } from '../../modules/settings/nas-api.js';
import { attributesSeen, type CoaNas, startCoaNas } from '../../testing/coa-nas.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';

// The agent's remote actions through the whole app, to a NAS on loopback that speaks RFC 5176.
const SECRET = 'coa-secret-for-the-route-0123';
let t: TestApp;
let nas: CoaNas;
let adminId: number;
let subscriberId: number;
let login: string;
let downloadMbps: number;
let offlineSubscriberId: number;

async function listBras(vendor: NasVendor) {
  const version = (await nasList(t.ctx)).find((listed) => listed.name === 'bras-1')?.version;
  await saveNas(
    t.ctx,
    { id: adminId },
    'bras-1',
    { address: '127.0.0.1', vendor, interimIntervalSeconds: 300, coaPort: nas.port, secret: SECRET, version },
    null,
  );
}

beforeAll(async () => {
  t = await startTestApp();
  nas = await startCoaNas('ack', Buffer.from(SECRET));
  const [admin] = await t.database.rows<{ id: number }>(sql`select id from staff where role = 'admin' limit 1`);
  adminId = admin?.id ?? 0;
  await listBras('mikrotik');
  const [row] = await t.database.rows<{ login: string; subscriber_id: number; download_mbps: number }>(sql`
    select sc.pppoe_login as login, a.subscriber_id, tr.download_mbps from service_connections sc
    join accounts a on a.id = sc.account_id join tariffs tr on tr.id = a.tariff_id
    where sc.method = 'pppoe' and a.state = 'active' order by sc.id limit 1`);
  login = row?.login ?? '';
  subscriberId = row?.subscriber_id ?? 0;
  downloadMbps = row?.download_mbps ?? 0;
  const [offline] = await t.database.rows<{ id: number }>(
    sql`select id from subscribers where id <> ${subscriberId} order by id limit 1`,
  );
  offlineSubscriberId = offline?.id ?? 0;
  await recordAccounting(
    t.ctx,
    accountingRecord({
      nas: 'bras-1',
      status: 'start',
      sessionId: '81a00042',
      eventAt: new Date(t.ctx.clock().getTime() - 3_600_000),
      userName: login,
      framedIp: '100.64.3.7',
    }),
  );
});
afterAll(async () => {
  await nas?.close();
  await t?.close();
});

const act = async (role: Role, payload: object, id = subscriberId) =>
  t.app.inject({
    method: 'POST',
    url: `/api/subscribers/${id}/session/actions`,
    headers: { cookie: await t.loginAs(role) },
    payload,
  });

const auditRows = () =>
  t.database.rows<{ action: string; details: Record<string, unknown> }>(
    sql`select action, details from audit_log where action like 'nas-sessions.%' and target_id = ${String(subscriberId)}
        order by id`,
  );

describe('POST /api/subscribers/:id/session/actions', () => {
  it('an L2 engineer disconnects the session: the NAS is asked by Acct-Session-Id and login, its ACK shown and audited', async () => {
    nas.behaviour = 'ack';
    const sent = nas.seen.length;
    const response = await act('l2', { action: 'disconnect', reason: 'CPE hung, subscriber agreed to a reconnect' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      request: 'disconnect',
      nas: 'bras-1',
      acctSessionId: '81a00042',
      answer: 'ack',
      errorCause: null,
      errorCauseWords: null,
    } satisfies Partial<NasAnswer>);
    const request = nas.seen[sent];
    expect(request?.packet.code).toBe(40);
    expect(request).toMatchObject({ authenticatorHolds: true, messageAuthenticatorHolds: true });
    expect(attributesSeen(request)).toMatchObject({
      'User-Name': login,
      'Acct-Session-Id': '81a00042',
      'Framed-IP-Address': '100.64.3.7',
    });
    const audit = (await auditRows()).at(-1);
    expect(audit).toMatchObject({
      action: 'nas-sessions.disconnect',
      details: { answer: 'ack', nas: 'bras-1', reason: 'CPE hung, subscriber agreed to a reconnect' },
    });
  });

  it('reapply sends the tariff’s speed by CoA; a NAK is shown with its Error-Cause in words and audited', async () => {
    nas.behaviour = 'nak';
    nas.errorCause = 506;
    const sent = nas.seen.length;
    const response = await act('l3', { action: 'reapply' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      request: 'coa',
      answer: 'nak',
      errorCause: 506,
      errorCauseWords: 'Resources Unavailable',
    });
    expect(nas.seen[sent]?.packet.code).toBe(43);
    expect(attributesSeen(nas.seen[sent])['Mikrotik-Rate-Limit']).toBe(`${downloadMbps}M/${downloadMbps}M`);
    expect((await auditRows()).at(-1)).toMatchObject({
      action: 'nas-sessions.reapply',
      details: { answer: 'nak', errorCause: 506, errorCauseWords: 'Resources Unavailable', reason: null },
    });
  });

  it.each<Role>(['l1', 'tech'])('refuses %s with 403: nothing reaches the NAS, nothing is audited', async (role) => {
    const sent = nas.seen.length;
    const audited = (await auditRows()).length;
    const response = await act(role, { action: 'disconnect' });
    expect(response.statusCode).toBe(403);
    expect(nas.seen).toHaveLength(sent);
    expect(await auditRows()).toHaveLength(audited);
  });

  it.each<Role>(['supervisor', 'admin'])('lets %s act as the 2nd and 3rd lines do', async (role) => {
    nas.behaviour = 'ack';
    const response = await act(role, { action: 'disconnect' });
    expect(response.statusCode, response.body).toBe(200);
    expect((response.json() as NasAnswer).answer).toBe('ack');
  });

  it('409 when the subscriber has no session online; nothing is sent or audited', async () => {
    const sent = nas.seen.length;
    const response = await act('l2', { action: 'disconnect' }, offlineSubscriberId);
    expect(response.statusCode).toBe(409);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().type).toMatch(/no-session-online$/);
    expect(nas.seen).toHaveLength(sent);
  });

  it("acts on the account the card names: another account's session is not touched (409 when that account has none)", async () => {
    const [other] = await t.database.rows<{ id: number }>(
      sql`select id from accounts where subscriber_id <> ${subscriberId} order by id limit 1`,
    );
    const sent = nas.seen.length;
    const response = await act('l2', { action: 'disconnect', accountId: other?.id });
    expect(response.statusCode).toBe(409);
    expect(response.json().type).toMatch(/no-session-online$/);
    expect(nas.seen).toHaveLength(sent);
  });

  it('refuses an unknown action, an unknown field or an over-long reason with 400, before asking any NAS', async () => {
    const sent = nas.seen.length;
    for (const payload of [
      { action: 'reboot' },
      { action: 'disconnect', force: true },
      { action: 'disconnect', reason: 'x'.repeat(501) },
      {},
    ]) {
      expect((await act('l2', payload)).statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect(nas.seen).toHaveLength(sent);
  });

  it('names the session as each vendor matches it: Cisco ISG without User-Name, Junos with its NAS-IP-Address and a tagged service', async () => {
    nas.behaviour = 'ack';
    await listBras('cisco');
    await act('l2', { action: 'reapply' });
    const cisco = attributesSeen(nas.seen.at(-1));
    expect(cisco['User-Name']).toBeUndefined();
    expect(cisco).toMatchObject({ 'Acct-Session-Id': '81a00042', 'Framed-IP-Address': '100.64.3.7' });
    expect(String(cisco['Cisco-Account-Info'])).toMatch(/^QU;\d+;\d+;D;\d+;\d+$/);

    await listBras('juniper');
    await act('l2', { action: 'reapply' });
    const juniper = attributesSeen(nas.seen.at(-1));
    expect(juniper).toMatchObject({ 'User-Name': login, 'Acct-Session-Id': '81a00042', 'NAS-IP-Address': '127.0.0.1' });
    const service = juniper['ERX-Service-Activate'] as Buffer;
    expect(service[0]).toBe(1);
    expect(service.subarray(1).toString()).toBe(`linedesk-internet(${downloadMbps}m,${downloadMbps}m)`);
    await listBras('mikrotik');
  });
});
