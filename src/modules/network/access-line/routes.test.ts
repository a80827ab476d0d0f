import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessLinePanel } from '../../../common/api/access-line.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { recordAlerts } from '../alerts/service.js';
import type { AccessObservation } from './observations.js';
import { recordAccessObservations } from './service.js';

let t: TestApp;
const now = new Date('2026-11-25T12:00:00Z');
const at = (time: string) => new Date(`2026-11-25T${time}Z`);

interface Line {
  subscriber_id: number;
  account_id: number;
  node_id: number;
  node: string;
  port: string;
  if_index: number;
  mac: string;
  uplink: string;
  uplink_id: number;
}
/** An IPoE subscriber alone on a switch port, the subscriber of a GPON ONT, and one with two accounts. */
let copper: Line;
/** Another switch, whose SNMP settings do not let anyone bounce its ports. */
let closedSwitch: Line;
let gpon: Line & { ont_id: number };
let twoAccounts: { subscriber_id: number; first: number; second: number };

const lineQuery = (where: ReturnType<typeof sql>) => sql`
  select a.subscriber_id, a.id as account_id, n.id as node_id, n.name as node, p.name as port, p.if_index, sc.mac,
    sc.ont_id, u.name as uplink, u.id as uplink_id
  from service_connections sc join accounts a on a.id = sc.account_id
  join network_nodes n on n.id = sc.node_id join network_ports p on p.id = sc.port_id
  join network_nodes u on u.id = n.uplink_node_id
  where ${where} and (select count(*) from accounts o where o.subscriber_id = a.subscriber_id) = 1
  order by sc.id limit 1`;

beforeAll(async () => {
  t = await startTestApp({ clock: () => now });
  [copper] = (await t.database.rows<Line>(
    lineQuery(sql`n.kind = 'access_switch' and sc.mac is not null
      and (select count(*) from service_connections o where o.port_id = sc.port_id) = 1`),
  )) as [Line];
  [closedSwitch] = (await t.database.rows<Line>(
    lineQuery(sql`n.kind = 'access_switch' and sc.node_id <> ${copper.node_id}
      and (select count(*) from service_connections o where o.port_id = sc.port_id) = 1`),
  )) as [Line];
  [gpon] = (await t.database.rows<Line & { ont_id: number }>(lineQuery(sql`sc.ont_id is not null`))) as [
    Line & { ont_id: number },
  ];
  [twoAccounts] = (await t.database.rows<{ subscriber_id: number; first: number; second: number }>(sql`
    select subscriber_id, min(id) as first, max(id) as second from accounts
    group by subscriber_id having count(*) = 2 order by subscriber_id limit 1`)) as [typeof twoAccounts];

  const port = (line: Line, time: string, fields: object): AccessObservation =>
    ({
      kind: 'port',
      nodeId: line.node_id,
      ifIndex: line.if_index,
      at: at(time),
      source: 'poll',
      ...fields,
    }) as AccessObservation;
  await recordAccessObservations(t.ctx, [
    port(copper, '09:00:00', {
      adminStatus: 'up',
      operStatus: 'up',
      speedMbps: 100,
      duplex: 'full',
      inErrors: 5,
      outErrors: 0,
    }),
    {
      kind: 'port-macs',
      nodeId: copper.node_id,
      ifIndex: copper.if_index,
      at: at('09:00:00'),
      source: 'poll',
      macs: [],
    },
    { kind: 'node', nodeId: copper.node_id, at: at('09:00:00'), source: 'poll', reachable: true },
    { kind: 'node', nodeId: copper.uplink_id, at: at('09:00:00'), source: 'poll', reachable: true },
    port(copper, '10:00:00', { operStatus: 'down', source: 'trap' }),
    port(copper, '10:30:00', { operStatus: 'up', speedMbps: 100, duplex: 'full', inErrors: 17, outErrors: 3 }),
    {
      kind: 'port-macs',
      nodeId: copper.node_id,
      ifIndex: copper.if_index,
      at: at('10:30:00'),
      source: 'poll',
      macs: [copper.mac.toUpperCase(), '02:00:00:00:00:09'],
    },
    { kind: 'node', nodeId: copper.uplink_id, at: at('11:00:00'), source: 'poll', reachable: false, error: 'timeout' },
    // Another port of the same switch: not this subscriber's line.
    port({ ...copper, if_index: copper.if_index + 1 }, '09:00:00', { operStatus: 'up' }),
    port({ ...copper, if_index: copper.if_index + 1 }, '10:00:00', { operStatus: 'down' }),
    port(gpon, '09:00:00', { operStatus: 'up' }),
    {
      kind: 'ont',
      nodeId: gpon.node_id,
      ifIndex: gpon.if_index,
      ontId: gpon.ont_id,
      at: at('09:00:00'),
      source: 'poll',
      state: 'online',
      rxPowerDbm: -21.5,
      txPowerDbm: 2.3,
    },
    {
      kind: 'ont',
      nodeId: gpon.node_id,
      ifIndex: gpon.if_index,
      ontId: gpon.ont_id,
      at: at('11:15:00'),
      source: 'trap',
      state: 'offline',
      lastDownCause: 'los',
      rxPowerDbm: null,
    },
    {
      kind: 'port-macs',
      nodeId: gpon.node_id,
      ifIndex: gpon.if_index,
      at: at('09:00:00'),
      source: 'poll',
      macs: ['02:00:00:00:00:77', gpon.mac],
    },
    // A neighbour's ONT on the same PON port.
    {
      kind: 'ont',
      nodeId: gpon.node_id,
      ifIndex: gpon.if_index,
      ontId: gpon.ont_id + 100,
      at: at('09:00:00'),
      source: 'poll',
      state: 'online',
    },
    {
      kind: 'ont',
      nodeId: gpon.node_id,
      ifIndex: gpon.if_index,
      ontId: gpon.ont_id + 100,
      at: at('10:00:00'),
      source: 'poll',
      state: 'offline',
    },
  ]);
  await recordAlerts(t.ctx, [
    {
      source: 'alertmanager',
      externalId: 'fp-uplink-1',
      identifiers: [copper.uplink],
      name: 'InterfaceDown',
      severity: 'critical',
      status: 'firing',
      summary: 'uplink down',
      startedAt: at('11:00:00'),
      endedAt: null,
    },
  ]);
  // The copper switch and the OLT let the 2nd line bounce their ports, the other switch does not.
  await t.database.db.execute(sql`insert into settings_snmp_nodes (node, snmp_version, bounce_allowed)
    values (${copper.node}, 'v2c', true), (${gpon.node}, 'v2c', true), (${closedSwitch.node}, 'v2c', false)`);
});
afterAll(() => t?.close());

const get = async (url: string, role: 'l1' | 'l2' | 'l3' | 'supervisor' | 'tech' | 'admin' | null = 'l2') =>
  t.app.inject({ url, headers: role ? { cookie: await t.loginAs(role) } : {} });

describe('GET /api/subscribers/:id/access-line', () => {
  it("shows the account's port with its state, error trend and the CPE seen, the nodes up to the core, and the line's changes", async () => {
    const response = await get(`/api/subscribers/${copper.subscriber_id}/access-line`);
    expect(response.statusCode, response.body).toBe(200);
    const panel = response.json() as AccessLinePanel;
    const cpe = copper.mac
      .toLowerCase()
      .replace(/[^0-9a-f]/g, '')
      .match(/../g)
      ?.join(':');
    expect(panel.port).toEqual({
      node: copper.node,
      port: copper.port,
      ifIndex: copper.if_index,
      adminStatus: 'up',
      operStatus: 'up',
      since: '2026-11-25T10:30:00.000Z',
      speedMbps: 100,
      duplex: 'full',
      inErrors: 17,
      outErrors: 3,
      // 15 errors added in an hour and a half.
      errorsPerHour: 10,
      errorTrend: 'rising',
      macs: ['02:00:00:00:00:09', cpe].sort(),
      cpeMacOnRecord: cpe,
      cpeSeen: true,
      macsCheckedAt: '2026-11-25T10:30:00.000Z',
      checkedAt: '2026-11-25T10:30:00.000Z',
    });
    expect(panel.ont).toBeNull();
    expect(panel.nodes.map((node) => node.kind)).toEqual(['access_switch', 'aggregation', 'core']);
    expect(panel.nodes[0]).toMatchObject({ nodeId: copper.node_id, node: copper.node, reachable: true, alerts: [] });
    expect(panel.nodes[1]).toMatchObject({ node: copper.uplink, reachable: false, since: '2026-11-25T11:00:00.000Z' });
    expect(panel.nodes[1]?.alerts.map((alert) => [alert.name, alert.status])).toEqual([['InterfaceDown', 'firing']]);
    expect(panel.nodes[2]?.reachable).toBeNull();
    expect(panel.changes.map((change) => [change.change, change.node, change.at])).toEqual([
      ['node-unreachable', copper.uplink, '2026-11-25T11:00:00.000Z'],
      ['cpe-mac-seen', copper.node, '2026-11-25T10:30:00.000Z'],
      ['port-up', copper.node, '2026-11-25T10:30:00.000Z'],
      ['port-down', copper.node, '2026-11-25T10:00:00.000Z'],
    ]);
    expect(panel.changes[3]?.details).toEqual({
      operStatus: 'down',
      was: 'up',
      port: copper.port,
      ifIndex: copper.if_index,
    });
    expect(panel.changes[0]?.details).toEqual({ error: 'timeout' });
    expect(panel.canBouncePort).toBe(true);
    expect(panel.readAt).toBe(now.toISOString());
  });

  it("shows a GPON subscriber's ONT with its down cause, and not the neighbour's on the same PON port", async () => {
    const response = await get(`/api/subscribers/${gpon.subscriber_id}/access-line`);
    expect(response.statusCode, response.body).toBe(200);
    const panel = response.json() as AccessLinePanel;
    expect(panel.ont).toEqual({
      node: gpon.node,
      ponPort: gpon.port,
      ontId: gpon.ont_id,
      state: 'offline',
      since: '2026-11-25T11:15:00.000Z',
      lastDownCause: 'los',
      rxPowerDbm: null,
      txPowerDbm: 2.3,
      rxMinDbm: -27,
      rxMaxDbm: -8,
      rxWithin: null,
      checkedAt: '2026-11-25T11:15:00.000Z',
    });
    expect(panel.port?.operStatus).toBe('up');
    // The PON port carries every ONT behind it: the neighbours' MACs are theirs, not shown here.
    const cpe = gpon.mac
      .toLowerCase()
      .replace(/[^0-9a-f]/g, '')
      .match(/../g)
      ?.join(':');
    expect(panel.port).toMatchObject({ macs: [cpe], cpeMacOnRecord: cpe, cpeSeen: true });
    expect(response.body).not.toContain('02:00:00:00:00:77');
    expect(panel.changes.map((change) => [change.change, change.details])).toEqual([
      ['ont-offline', { cause: 'los', port: gpon.port, ifIndex: gpon.if_index, ontId: gpon.ont_id }],
    ]);
    // Bouncing the PON port would drop every ONT behind it: never offered, whatever the OLT's settings.
    expect(panel.canBouncePort).toBe(false);
  });

  it('lets every role read the line, and only the roles that may bounce see that they may', async () => {
    const url = `/api/subscribers/${copper.subscriber_id}/access-line`;
    for (const [role, may] of [
      ['l1', false],
      ['tech', false],
      ['l2', true],
      ['l3', true],
      ['supervisor', true],
      ['admin', true],
    ] as const) {
      const response = await get(url, role);
      expect(response.statusCode, role).toBe(200);
      expect((response.json() as AccessLinePanel).canBouncePort, role).toBe(may);
    }
  });

  it("offers no bounce where the node's SNMP settings do not allow one, whatever the role", async () => {
    const response = await get(`/api/subscribers/${closedSwitch.subscriber_id}/access-line`, 'admin');
    expect(response.statusCode, response.body).toBe(200);
    const panel = response.json() as AccessLinePanel;
    expect(panel.port?.node).toBe(closedSwitch.node);
    expect(panel.canBouncePort).toBe(false);
  });

  it('tells nothing without a signed-in staff member', async () => {
    const response = await get(`/api/subscribers/${copper.subscriber_id}/access-line`, null);
    expect(response.statusCode).toBe(401);
    expect(response.body).not.toContain(copper.port);
  });

  it('answers 404 problem+json for a subscriber not on record', async () => {
    const response = await get('/api/subscribers/2000000000/access-line');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'subscriber.not_found' });
  });

  it("refuses another subscriber's account: the card cannot be made to show a stranger's line", async () => {
    const response = await get(`/api/subscribers/${copper.subscriber_id}/access-line?accountId=${gpon.account_id}`);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'account.not_found' });
    expect(response.body).not.toContain(gpon.port);
  });

  it('answers 400 problem+json for a query that is not an account id, or asks for what the route does not know', async () => {
    for (const query of ['accountId=abc', 'accountId=0', 'accountId=-1', 'accountId=99999999999', 'other=1']) {
      const response = await get(`/api/subscribers/${copper.subscriber_id}/access-line?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type'], query).toContain('application/problem+json');
    }
    const odd = await get('/api/subscribers/1%3Bdrop/access-line');
    expect(odd.statusCode).toBe(400);
  });

  it("shows the account the card shows: each of a subscriber's two accounts has its own line", async () => {
    const [first, second] = await Promise.all(
      [twoAccounts.first, twoAccounts.second].map(async (accountId) => {
        const response = await get(`/api/subscribers/${twoAccounts.subscriber_id}/access-line?accountId=${accountId}`);
        expect(response.statusCode, response.body).toBe(200);
        return response.json() as AccessLinePanel;
      }),
    );
    const ports = await t.database.rows<{ account_id: number; port: string }>(sql`
      select sc.account_id, p.name as port from service_connections sc join network_ports p on p.id = sc.port_id
      where sc.account_id in (${twoAccounts.first}, ${twoAccounts.second}) order by sc.account_id`);
    expect(first?.port?.port).toBe(ports[0]?.port);
    expect(second?.port?.port).toBe(ports[1]?.port);
  });
});
