import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/connection.js';
import { testContext } from '../../../testing/context.js';
import { openTestDatabase } from '../../../testing/database.js';
import type { AppContext } from '../../core/context.js';
import { nodeKeysOf } from './node-match.js';
import { alertsOfNodes, type IncomingAlert, recordAlerts } from './service.js';

let database: Database;
let ctx: AppContext;
let now = new Date('2026-12-06T10:00:00Z');
let nodes: { id: number; name: string; management_ip: string }[];
beforeAll(async () => {
  database = await openTestDatabase();
  ctx = testContext(database, { clock: () => now });
  nodes = await database.rows(sql`select id, name, management_ip from network_nodes order by id limit 3`);
});
afterAll(() => database?.close());

const at = (time: string) => new Date(`2026-12-06T${time}Z`);

async function storeAlert(fields: {
  externalId: string;
  nodeId: number | null;
  status: 'firing' | 'resolved';
  startedAt: Date;
  endedAt?: Date;
}) {
  await database.rows(sql`
    insert into monitoring_alerts (source, external_id, node_id, node_identifier, name, severity, status, summary,
      started_at, ended_at, updated_at)
    values ('alertmanager', ${fields.externalId}, ${fields.nodeId}, 'x', ${`Alert ${fields.externalId}`}, 'critical',
      ${fields.status}, null, ${fields.startedAt}, ${fields.endedAt ?? null}, ${fields.endedAt ?? fields.startedAt})`);
}

describe("a node's alerts for the card", () => {
  it('are those firing and those resolved since the given time, newest first, and none of unknown nodes', async () => {
    const [first, second] = nodes;
    if (!first || !second) throw new Error('the demo has nodes');
    await storeAlert({ externalId: 'old-firing', nodeId: first.id, status: 'firing', startedAt: at('01:00:00') });
    await storeAlert({
      externalId: 'resolved-lately',
      nodeId: first.id,
      status: 'resolved',
      startedAt: at('02:00:00'),
      endedAt: at('05:00:00'),
    });
    await storeAlert({
      externalId: 'resolved-long-ago',
      nodeId: first.id,
      status: 'resolved',
      startedAt: at('03:00:00'),
      endedAt: at('03:30:00'),
    });
    await storeAlert({ externalId: 'other-node', nodeId: second.id, status: 'firing', startedAt: at('04:00:00') });
    await storeAlert({ externalId: 'no-node', nodeId: null, status: 'firing', startedAt: at('04:00:00') });

    const alerts = await alertsOfNodes(database.db, [first.id], at('04:00:00'));
    expect(alerts).toEqual([
      {
        source: 'alertmanager',
        node: first.name,
        name: 'Alert resolved-lately',
        severity: 'critical',
        status: 'resolved',
        acknowledged: false,
        summary: null,
        startedAt: '2026-12-06T02:00:00.000Z',
        endedAt: '2026-12-06T05:00:00.000Z',
        updatedAt: '2026-12-06T05:00:00.000Z',
      },
      expect.objectContaining({ name: 'Alert old-firing', status: 'firing', endedAt: null }),
    ]);
    expect((await alertsOfNodes(database.db, [first.id, second.id], at('04:00:00'))).map((a) => a.name)).toEqual([
      'Alert other-node',
      'Alert resolved-lately',
      'Alert old-firing',
    ]);
    expect(await alertsOfNodes(database.db, [], at('04:00:00'))).toEqual([]);
  });
});

const nodeAt = (index: number) => {
  const node = nodes[index];
  if (!node) throw new Error('the demo has nodes');
  return node;
};

const alert = (fields: Partial<IncomingAlert> & { externalId: string }): IncomingAlert => ({
  source: 'alertmanager',
  identifiers: [nodeAt(0).name],
  name: 'InterfaceDown',
  severity: 'critical',
  status: 'firing',
  summary: 'Uplink down',
  startedAt: at('08:00:00'),
  endedAt: null,
  ...fields,
});

interface Stored {
  node_id: number | null;
  node_identifier: string | null;
  status: string;
  acknowledged: boolean;
  started_at: Date | string;
  ended_at: Date | string | null;
  updated_at: Date | string;
  summary: string | null;
}

const stored = async (externalId: string, source = 'alertmanager') => {
  const rows = await database.rows<Stored>(
    sql`select node_id, node_identifier, status, acknowledged, started_at, ended_at, updated_at, summary
        from monitoring_alerts where source = ${source} and external_id = ${externalId}`,
  );
  return rows.map((row) => ({
    ...row,
    started_at: new Date(row.started_at).toISOString(),
    ended_at: row.ended_at === null ? null : new Date(row.ended_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  }));
};

const wakeUps = async () =>
  (
    await database.rows<{ data: { nodeId: number } | string }>(
      sql`select data from live_events where topic = 'access-line' order by id`,
    )
  ).map((row) => (typeof row.data === 'string' ? JSON.parse(row.data) : row.data).nodeId as number);

describe('a node found by what the alert names it by', () => {
  it('takes a host name with a port, scheme or path, and a domain name, apart', () => {
    expect(nodeKeysOf('127.0.3.7:9116')).toEqual(['127.0.3.7:9116', '127.0.3.7']);
    expect(nodeKeysOf(' SW-Lenina-5 ')).toEqual(['sw-lenina-5']);
    expect(nodeKeysOf('http://sw-1.net.example:80/metrics')).toEqual([
      'http://sw-1.net.example:80/metrics',
      'sw-1.net.example:80',
      'sw-1.net.example',
      'sw-1',
    ]);
    expect(nodeKeysOf('[::1]:9100')).toEqual(['[::1]:9100', '::1']);
    expect(nodeKeysOf('')).toEqual([]);
  });

  it('by its name in any case, its management address with a port, or a label with its domain', async () => {
    const [a, b, c] = [nodeAt(0), nodeAt(1), nodeAt(2)];
    const result = await recordAlerts(ctx, [
      alert({ externalId: 'by-name', identifiers: ['', a.name.toUpperCase()] }),
      alert({ externalId: 'by-ip', identifiers: ['no-such-host', `${b.management_ip}:9116`] }),
      alert({ externalId: 'by-fqdn', identifiers: [`${c.name}.net.example`] }),
      alert({ externalId: 'nowhere', identifiers: ['no-such-host', '10.99.99.99:9100'] }),
      alert({ externalId: 'nothing', identifiers: [] }),
    ]);
    expect(result).toEqual({ changed: 5, unknownNodes: 2 });
    expect((await stored('by-name'))[0]).toMatchObject({ node_id: a.id, node_identifier: a.name.toUpperCase() });
    expect((await stored('by-ip'))[0]).toMatchObject({ node_id: b.id, node_identifier: `${b.management_ip}:9116` });
    expect((await stored('by-fqdn'))[0]).toMatchObject({ node_id: c.id });
    expect((await stored('nowhere'))[0]).toMatchObject({ node_id: null, node_identifier: 'no-such-host' });
    expect((await stored('nothing'))[0]).toMatchObject({ node_id: null, node_identifier: null });
  });
});

describe('alerts recorded from a webhook', () => {
  it('a firing alert is stored and wakes its node once, however many of its alerts changed', async () => {
    await database.rows(sql`delete from live_events`);
    const node = nodeAt(0);
    await recordAlerts(ctx, [
      alert({ externalId: 'wake-1' }),
      alert({ externalId: 'wake-2' }),
      alert({ externalId: 'wake-3', identifiers: [nodeAt(1).name] }),
    ]);
    expect((await wakeUps()).sort()).toEqual([node.id, nodeAt(1).id].sort());
    expect(await stored('wake-1')).toEqual([
      {
        node_id: node.id,
        node_identifier: node.name,
        status: 'firing',
        acknowledged: false,
        started_at: '2026-12-06T08:00:00.000Z',
        ended_at: null,
        updated_at: now.toISOString(),
        summary: 'Uplink down',
      },
    ]);
  });

  it('a repeated notification changes nothing and wakes no one', async () => {
    await recordAlerts(ctx, [alert({ externalId: 'repeat' })]);
    const before = await stored('repeat');
    await database.rows(sql`delete from live_events`);
    now = new Date('2026-12-06T10:05:00Z');
    expect(await recordAlerts(ctx, [alert({ externalId: 'repeat' })])).toEqual({ changed: 0, unknownNodes: 0 });
    expect(await stored('repeat')).toEqual(before);
    expect(await wakeUps()).toEqual([]);
  });

  it('firing, then resolved, then firing again: the resolution ends it, a later start opens it again', async () => {
    await recordAlerts(ctx, [alert({ externalId: 'cycle' })]);
    await recordAlerts(ctx, [alert({ externalId: 'cycle', status: 'resolved', endedAt: at('08:30:00') })]);
    expect((await stored('cycle'))[0]).toMatchObject({ status: 'resolved', ended_at: '2026-12-06T08:30:00.000Z' });
    // Alertmanager's repeat of the old firing, late: it stays resolved.
    await recordAlerts(ctx, [alert({ externalId: 'cycle' })]);
    expect((await stored('cycle'))[0]).toMatchObject({ status: 'resolved' });
    await recordAlerts(ctx, [alert({ externalId: 'cycle', startedAt: at('09:00:00') })]);
    expect((await stored('cycle'))[0]).toMatchObject({
      status: 'firing',
      started_at: '2026-12-06T09:00:00.000Z',
      ended_at: null,
    });
  });

  it('a resolution that overtook its firing is stored resolved, and the firing after it changes nothing', async () => {
    await recordAlerts(ctx, [alert({ externalId: 'overtaken', status: 'resolved', endedAt: at('08:10:00') })]);
    expect(await recordAlerts(ctx, [alert({ externalId: 'overtaken' })])).toEqual({ changed: 0, unknownNodes: 0 });
    expect((await stored('overtaken'))[0]).toMatchObject({
      status: 'resolved',
      started_at: '2026-12-06T08:00:00.000Z',
      ended_at: '2026-12-06T08:10:00.000Z',
    });
  });

  it('a resolution without its time is taken as resolved on arrival', async () => {
    await recordAlerts(ctx, [alert({ externalId: 'untimed', status: 'resolved' })]);
    expect((await stored('untimed'))[0]).toMatchObject({ status: 'resolved', ended_at: now.toISOString() });
  });

  it('an acknowledgement marks it, a notification that does not say leaves the mark, the next occurrence clears it', async () => {
    await recordAlerts(ctx, [alert({ externalId: 'ack', source: 'zabbix' })]);
    await recordAlerts(ctx, [alert({ externalId: 'ack', source: 'zabbix', acknowledged: true })]);
    expect((await stored('ack', 'zabbix'))[0]).toMatchObject({ status: 'firing', acknowledged: true });
    await recordAlerts(ctx, [
      alert({ externalId: 'ack', source: 'zabbix', status: 'resolved', endedAt: at('08:20:00') }),
    ]);
    expect((await stored('ack', 'zabbix'))[0]).toMatchObject({ status: 'resolved', acknowledged: true });
    await recordAlerts(ctx, [alert({ externalId: 'ack', source: 'zabbix', startedAt: at('09:30:00') })]);
    expect((await stored('ack', 'zabbix'))[0]).toMatchObject({ status: 'firing', acknowledged: false });
  });

  it('one alert twice in one batch is applied in order, and the same id from two systems is two alerts', async () => {
    await recordAlerts(ctx, [
      alert({ externalId: 'twice' }),
      alert({ externalId: 'twice', status: 'resolved', endedAt: at('08:45:00') }),
      alert({ externalId: 'twice', source: 'librenms' }),
    ]);
    expect((await stored('twice'))[0]).toMatchObject({ status: 'resolved', ended_at: '2026-12-06T08:45:00.000Z' });
    expect((await stored('twice', 'librenms'))[0]).toMatchObject({ status: 'firing' });
  });

  it("the card reads what was recorded: the node's name, firing and lately resolved", async () => {
    const node = nodeAt(1);
    await recordAlerts(ctx, [alert({ externalId: 'card', identifiers: [node.management_ip], name: 'NodeDown' })]);
    const alerts = await alertsOfNodes(database.db, [node.id], at('00:00:00'));
    expect(alerts).toContainEqual(
      expect.objectContaining({ source: 'alertmanager', node: node.name, name: 'NodeDown', status: 'firing' }),
    );
  });
});
