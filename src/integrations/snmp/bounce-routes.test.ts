import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkNodesNamed } from '../../modules/network/polling/nodes.js';
import { saveSnmpNode } from '../../modules/settings/snmp-nodes.js';
import { type SnmpsimAgent, snmpsimInstalled, startSnmpsim, warnIfSnmpToolsMissing } from '../../testing/snmpsim.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { addTestNode, recordedData } from './recorded-agents.js';

// The bounce through the whole app, with snmpsim as the switch: its writecache takes the SETs.
warnIfSnmpToolsMissing('Port bounce tests (src/integrations/snmp/bounce-routes.test.ts)');
const describeWithSnmpsim = snmpsimInstalled ? describe : describe.skip;

let t: TestApp;
let agent: SnmpsimAgent | undefined;
let subscriberId: number;
let accountId: number;
let ponSubscriberId: number;
let settingsVersion: number;
let portId: number;
let otherAccountId: number;
const admin = { id: 1 };

beforeAll(async () => {
  if (!snmpsimInstalled) return;
  t = await startTestApp();
  agent = await startSnmpsim({ address: '127.0.0.61', community: 'ld-bounce', data: recordedData('switch-snr') });
  const sw = await addTestNode(
    t.database,
    { name: 'sw-bounce-1', kind: 'access_switch', model: 'SNR-S2985G-24T', managementIp: '127.0.0.61' },
    [{ name: 'ge-0/0/2', ifIndex: 2, medium: 'copper' }],
  );
  const olt = await addTestNode(
    t.database,
    { name: 'olt-bounce-1', kind: 'olt', model: 'ZTE C320', managementIp: '127.0.0.62' },
    [{ name: 'gpon-1/1/1', ifIndex: 268501248, medium: 'pon' }],
  );
  const lines = await t.database.rows<{ subscriber_id: number; account_id: number }>(
    sql`select a.subscriber_id, sc.account_id from service_connections sc join accounts a on a.id = sc.account_id
        order by sc.account_id limit 3`,
  );
  const [first, second, third] = lines;
  if (!first || !second || !third) throw new Error('no connections in the demo');
  portId = sw.portIds.get(2) as number;
  otherAccountId = third.account_id;
  subscriberId = first.subscriber_id;
  accountId = first.account_id;
  ponSubscriberId = second.subscriber_id;
  await t.database.rows(sql`update service_connections set node_id = ${sw.id}, port_id = ${sw.portIds.get(2)}
    where account_id = ${first.account_id}`);
  await t.database.rows(sql`update service_connections set node_id = ${olt.id}, port_id = ${olt.portIds.get(268501248)}
    where account_id = ${second.account_id}`);
  const nodesOnRecord = (names: string[]) => networkNodesNamed(t.ctx, names);
  const saved = await saveSnmpNode(
    t.ctx,
    admin,
    'sw-bounce-1',
    { version: 'v2c', community: 'ld-bounce', port: agent.port, bounceAllowed: false },
    null,
    nodesOnRecord,
  );
  settingsVersion = saved.settingsVersion;
  await saveSnmpNode(
    t.ctx,
    admin,
    'olt-bounce-1',
    { version: 'v2c', community: 'ld-bounce', port: agent.port, bounceAllowed: true },
    null,
    nodesOnRecord,
  );
});
afterAll(async () => {
  await agent?.stop();
  await t?.close();
});

const bounce = (cookie: string, id: number, payload: object = {}) =>
  t.app.inject({ method: 'POST', url: `/api/subscribers/${id}/access-line/bounce`, headers: { cookie }, payload });

describeWithSnmpsim('bouncing a subscriber’s port (snmpsim)', () => {
  it('is refused to the 1st line (403), and the switch sees no SET', async () => {
    const response = await bounce(await t.loginAs('l1'), subscriberId);
    expect(response.statusCode).toBe(403);
    expect(agent?.setsSeen()).toEqual([]);
  });

  it("is refused (409 problem+json) where the node's settings do not allow it, and on a PON port", async () => {
    const l2 = await t.loginAs('l2');
    const refused = await bounce(l2, subscriberId, { accountId });
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().type).toBe('urn:linedesk:problem:access-line.bounce_not_allowed');
    const pon = await bounce(l2, ponSubscriberId);
    expect(pon.statusCode).toBe(409);
    expect(pon.json().type).toBe('urn:linedesk:problem:access-line.pon_port');
    expect((await bounce(l2, subscriberId, { accountId, force: true })).statusCode).toBe(400);
    const nobody = await bounce(l2, 2_000_000_000);
    expect(nobody.statusCode).toBe(404);
    expect(nobody.json().type).toBe('urn:linedesk:problem:subscriber.not_found');
    // Another account on the same port: a bounce would cut it too.
    await t.database.rows(sql`update service_connections set port_id = ${portId} where account_id = ${otherAccountId}`);
    const shared = await bounce(l2, subscriberId, { accountId });
    expect(shared.json().type).toBe('urn:linedesk:problem:access-line.shared_port');
    await t.database.rows(sql`update service_connections set port_id = null where account_id = ${otherAccountId}`);
    expect(agent?.setsSeen()).toEqual([]);
  });

  it('bounces the port where allowed: down, then up, the oper status after, audited', async () => {
    await saveSnmpNode(
      t.ctx,
      admin,
      'sw-bounce-1',
      { version: 'v2c', port: agent?.port, bounceAllowed: true, settingsVersion },
      null,
      (names) => networkNodesNamed(t.ctx, names),
    );
    const response = await bounce(await t.loginAs('l2'), subscriberId, { accountId, reason: 'CPE hangs' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      node: 'sw-bounce-1',
      port: 'ge-0/0/2',
      outcome: 'done',
      error: null,
      operStatusAfter: 'up',
    });
    expect(agent?.setsSeen()).toEqual(['1.3.6.1.2.1.2.2.1.7.2=2', '1.3.6.1.2.1.2.2.1.7.2=1']);
    const [audit] = await t.database.rows<{ staff_id: number; details: Record<string, unknown> }>(
      sql`select staff_id, details from audit_log where action = 'access-line.bounce' and target_id = ${String(subscriberId)}`,
    );
    expect(audit?.details).toMatchObject({ outcome: 'done', reason: 'CPE hangs', accountId, port: 'ge-0/0/2' });
    // What the switch answered after the bounce is the card's state at once, not at the next poll.
    const line = await t.app.inject({
      url: `/api/subscribers/${subscriberId}/access-line?accountId=${accountId}`,
      headers: { cookie: await t.loginAs('l2') },
    });
    expect(line.json().port).toMatchObject({ adminStatus: 'up', operStatus: 'up', checkedAt: expect.any(String) });
  });
});
