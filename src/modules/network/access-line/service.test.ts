import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/connection.js';
import { testContext } from '../../../testing/context.js';
import { openTestDatabase } from '../../../testing/database.js';
import type { AppContext } from '../../core/context.js';
import type { AccessObservation, OntObservation, PortObservation } from './observations.js';
import { GPON_RX_WINDOW_DBM, recordAccessObservations } from './service.js';

let database: Database;
let ctx: AppContext;
beforeAll(async () => {
  database = await openTestDatabase();
  ctx = testContext(database);
});
afterAll(() => database?.close());

const at = (time: string) => new Date(`2026-11-25T${time}Z`);

interface SwitchPort {
  node_id: number;
  if_index: number;
  account_id: number;
  mac: string;
}

/** Ports of access switches with one IPoE account on each, a different one per test. */
let switchPorts: SwitchPort[] = [];
let nextPort = 0;
const aPort = () => switchPorts[nextPort++] as SwitchPort;

interface PonOnt {
  node_id: number;
  if_index: number;
  ont_id: number;
}
let onts: PonOnt[] = [];
let nextOnt = 0;
const anOnt = () => onts[nextOnt++] as PonOnt;

beforeAll(async () => {
  switchPorts = await database.rows<SwitchPort>(sql`
    select sc.node_id, p.if_index, sc.account_id, sc.mac from service_connections sc
    join network_ports p on p.id = sc.port_id join network_nodes n on n.id = sc.node_id
    where n.kind = 'access_switch' and sc.mac is not null
      and (select count(*) from service_connections o where o.port_id = sc.port_id) = 1
    order by sc.id limit 40`);
  onts = await database.rows<PonOnt>(sql`
    select sc.node_id, p.if_index, sc.ont_id from service_connections sc
    join network_ports p on p.id = sc.port_id where sc.ont_id is not null order by sc.id limit 20`);
});

const port = (line: { node_id: number; if_index: number }, fields: Partial<PortObservation>): PortObservation => ({
  kind: 'port',
  nodeId: line.node_id,
  ifIndex: line.if_index,
  at: at('09:00:00'),
  source: 'poll',
  ...fields,
});

const ont = (line: PonOnt, fields: Partial<OntObservation>): OntObservation => ({
  kind: 'ont',
  nodeId: line.node_id,
  ifIndex: line.if_index,
  ontId: line.ont_id,
  at: at('09:00:00'),
  source: 'poll',
  ...fields,
});

/** A time of the test day as HH:MM:SS (UTC): both engines give timestamps in their own forms. */
const clock = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'HH24:MI:SS') as ${column}`);

const changesOf = (line: { node_id: number; if_index?: number | null; ont_id?: number | null }) =>
  database.rows<{ change: string; at: Date; details: Record<string, unknown> }>(sql`
    select change, at, details from access_line_changes
    where node_id = ${line.node_id}
      and if_index is not distinct from ${line.if_index ?? null}::int and ont_id is not distinct from ${line.ont_id ?? null}::int
    order by at, id`);

const changeNames = async (line: Parameters<typeof changesOf>[0]) => (await changesOf(line)).map((c) => c.change);

const portState = async (line: SwitchPort) =>
  (
    await database.rows<{ oper_status: string; admin_status: string; since: string; checked_at: string }>(
      sql`select oper_status, admin_status, ${clock('since')}, speed_mbps, duplex, ${clock('checked_at')},
            in_errors::int, previous_in_errors::int
          from access_ports where node_id = ${line.node_id} and if_index = ${line.if_index}`,
    )
  )[0];

const wakeUps = async (nodeId: number) =>
  (
    await database.rows<{ n: number }>(
      sql`select count(*)::int as n from live_events where topic = 'access-line' and data->>'nodeId' = ${String(nodeId)}`,
    )
  )[0]?.n;

describe('a port', () => {
  it('becomes known at its first reading without a change on the timeline; the same reading again only refreshes', async () => {
    const line = aPort();
    expect(
      await recordAccessObservations(ctx, [port(line, { operStatus: 'up', adminStatus: 'up', speedMbps: 100 })]),
    ).toEqual(['changed']);
    expect(
      await recordAccessObservations(ctx, [port(line, { at: at('09:05:00'), operStatus: 'up', speedMbps: 100 })]),
    ).toEqual(['refreshed']);
    expect(await changeNames(line)).toEqual([]);
    expect(await portState(line)).toMatchObject({ oper_status: 'up', since: '09:00:00', checked_at: '09:05:00' });
  });

  it('going down and up again is two changes, since moving with each, and one wake-up per batch', async () => {
    const line = aPort();
    await recordAccessObservations(ctx, [port(line, { operStatus: 'up', adminStatus: 'up' })]);
    const before = await wakeUps(line.node_id);
    expect(
      await recordAccessObservations(ctx, [
        port(line, { at: at('09:10:00'), operStatus: 'down', source: 'trap' }),
        port(line, { at: at('09:10:30'), operStatus: 'lowerLayerDown' }),
        port(line, { at: at('09:11:00'), operStatus: 'up', source: 'trap' }),
        port(line, { at: at('09:12:00'), operStatus: 'up' }),
      ]),
    ).toEqual(['changed', 'changed', 'changed', 'refreshed']);
    const changes = await changesOf(line);
    expect(changes.map((c) => [c.change, c.details])).toEqual([
      ['port-down', { operStatus: 'down', was: 'up' }],
      ['port-up', { operStatus: 'up', was: 'lowerLayerDown' }],
    ]);
    expect(await portState(line)).toMatchObject({ since: '09:11:00', checked_at: '09:12:00' });
    expect((await wakeUps(line.node_id)) ?? 0).toBe((before ?? 0) + 1);
  });

  it('an administrator shutting the port and opening it again is port-admin-down, then port-admin-up', async () => {
    const line = aPort();
    await recordAccessObservations(ctx, [port(line, { operStatus: 'up', adminStatus: 'up' })]);
    await recordAccessObservations(ctx, [port(line, { at: at('09:01:00'), operStatus: 'down', adminStatus: 'down' })]);
    await recordAccessObservations(ctx, [port(line, { at: at('09:02:00'), operStatus: 'up', adminStatus: 'up' })]);
    expect(await changeNames(line)).toEqual(['port-admin-down', 'port-down', 'port-admin-up', 'port-up']);
  });

  it('a new speed or duplex while up is a change; what a port without link reads is not', async () => {
    const line = aPort();
    await recordAccessObservations(ctx, [port(line, { operStatus: 'up', speedMbps: 1000, duplex: 'full' })]);
    await recordAccessObservations(ctx, [
      port(line, { at: at('09:01:00'), operStatus: 'down', speedMbps: 10, duplex: 'unknown' }),
      port(line, { at: at('09:02:00'), operStatus: 'up', speedMbps: 1000, duplex: 'full' }),
      port(line, { at: at('09:03:00'), operStatus: 'up', speedMbps: 100, duplex: 'half' }),
    ]);
    const changes = await changesOf(line);
    expect(changes.map((c) => [c.change, c.details])).toEqual([
      ['port-down', { operStatus: 'down', was: 'up' }],
      ['port-up', { operStatus: 'up', was: 'down' }],
      ['speed-changed', { speedMbps: 100, was: 1000 }],
      ['duplex-changed', { duplex: 'half', was: 'full' }],
    ]);
  });

  it('error counters only refresh, keeping the previous reading for the rate', async () => {
    const line = aPort();
    await recordAccessObservations(ctx, [port(line, { operStatus: 'up', inErrors: 10, outErrors: 0 })]);
    expect(
      await recordAccessObservations(ctx, [
        port(line, { at: at('10:00:00'), operStatus: 'up', inErrors: 70, outErrors: 0 }),
      ]),
    ).toEqual(['refreshed']);
    expect(await portState(line)).toMatchObject({ in_errors: 70, previous_in_errors: 10 });
  });

  it('a reading older than the state stored changes nothing: a poll answered before a trap arrives after it', async () => {
    const line = aPort();
    await recordAccessObservations(ctx, [port(line, { operStatus: 'up' })]);
    await recordAccessObservations(ctx, [port(line, { at: at('09:05:00'), operStatus: 'down', source: 'trap' })]);
    expect(await recordAccessObservations(ctx, [port(line, { at: at('09:04:59'), operStatus: 'up' })])).toEqual([
      'late',
    ]);
    expect(await portState(line)).toMatchObject({ oper_status: 'down', checked_at: '09:05:00' });
    expect(await changeNames(line)).toEqual(['port-down']);
  });

  it('many readings of one port in one batch apply in their order, each change once', async () => {
    const line = aPort();
    const readings: AccessObservation[] = [];
    for (let i = 0; i < 200; i++) {
      readings.push(
        port(line, { at: new Date(at('11:00:00').getTime() + i * 1000), operStatus: i % 2 ? 'down' : 'up' }),
      );
    }
    const outcomes = await recordAccessObservations(ctx, readings);
    expect(outcomes.filter((o) => o === 'changed')).toHaveLength(200);
    const changes = await changesOf(line);
    expect(changes).toHaveLength(199);
    expect(changes.map((c) => c.change).slice(0, 3)).toEqual(['port-down', 'port-up', 'port-down']);
    expect(await portState(line)).toMatchObject({ oper_status: 'down', since: '11:03:19' });
  });
});

describe('the live wake-ups', () => {
  it('one per node that changed in a batch, none for readings that change nothing', async () => {
    const [node] = await database.rows<{ id: number }>(sql`
      select n.id from network_nodes n where n.kind = 'access_switch'
        and not exists (select 1 from access_ports s where s.node_id = n.id)
      order by n.id desc limit 1`);
    const nodeId = node?.id as number;
    const portsOfNode = await database.rows<{ node_id: number; if_index: number }>(
      sql`select node_id, if_index from network_ports where node_id = ${nodeId} order by if_index limit 10`,
    );
    const poll = (time: string, operStatus: 'up' | 'down') =>
      portsOfNode.map((line) => port(line, { at: at(time), operStatus }));
    await recordAccessObservations(ctx, poll('09:00:00', 'up'));
    expect(await wakeUps(nodeId)).toBe(1);
    // Every port read again, nothing changed: nobody's card needs reading again.
    expect(new Set(await recordAccessObservations(ctx, poll('09:05:00', 'up')))).toEqual(new Set(['refreshed']));
    expect(await wakeUps(nodeId)).toBe(1);
    await recordAccessObservations(ctx, poll('09:10:00', 'down'));
    expect(await wakeUps(nodeId)).toBe(2);
  });
});

describe('a large batch', () => {
  it('of many ports, each read many times, is applied as one by one', async () => {
    const lines = await database.rows<{ node_id: number; if_index: number }>(sql`
      select p.node_id, p.if_index from network_ports p join network_nodes n on n.id = p.node_id
      where n.kind = 'access_switch' order by p.id desc limit 300`);
    const readings: AccessObservation[] = [];
    for (let i = 0; i < 10; i++) {
      for (const line of lines) {
        readings.push(
          port(line, {
            at: new Date(at('12:00:00').getTime() + i * 60_000),
            operStatus: i % 3 ? 'up' : 'down',
            inErrors: i,
          }),
        );
      }
    }
    const outcomes = await recordAccessObservations(ctx, readings);
    expect(outcomes).toHaveLength(3000);
    // down, up, up, down, up, up, down, up, up, down: 6 changes after the first reading.
    const [counts] = await database.rows<{ changes: number; ports: number }>(sql`
      select count(*)::int as changes, count(distinct (node_id, if_index))::int as ports from access_line_changes
      where at >= ${at('12:00:00')} and change in ('port-up', 'port-down')`);
    expect(counts).toEqual({ changes: 6 * lines.length, ports: lines.length });
  });
});

describe('the MACs on a port', () => {
  it("the account's CPE appearing and leaving is a change, whatever form its MAC is written in on record", async () => {
    const line = aPort();
    const digits = line.mac.replace(/[^0-9a-f]/gi, '').toLowerCase();
    // As Cisco writes it, in capitals: the switch's table has the lower-case colon form.
    const cisco = `${digits.slice(0, 4)}.${digits.slice(4, 8)}.${digits.slice(8)}`.toUpperCase();
    await database.db.execute(sql`update service_connections set mac = ${cisco} where account_id = ${line.account_id}`);
    const macs = (list: string[], time: string): AccessObservation => ({
      kind: 'port-macs',
      nodeId: line.node_id,
      ifIndex: line.if_index,
      at: at(time),
      source: 'poll',
      macs: list,
    });
    const colon = digits.match(/../g)?.join(':') as string;
    expect(await recordAccessObservations(ctx, [macs(['02:00:00:00:00:01'], '09:00:00')])).toEqual(['changed']);
    expect(
      await recordAccessObservations(ctx, [
        macs(['02:00:00:00:00:01', colon.toUpperCase()], '09:01:00'),
        macs([colon, '02:00:00:00:00:01'], '09:02:00'),
        macs([colon], '09:03:00'),
        macs([], '09:04:00'),
      ]),
    ).toEqual(['changed', 'refreshed', 'changed', 'changed']);
    const changes = await changesOf(line);
    expect(changes.map((c) => [c.change, c.details])).toEqual([
      ['cpe-mac-seen', { mac: colon, accountId: line.account_id }],
      ['cpe-mac-gone', { mac: colon, accountId: line.account_id }],
    ]);
    const [stored] = await database.rows<{ macs: string[] }>(
      sql`select macs from access_port_macs where node_id = ${line.node_id} and if_index = ${line.if_index}`,
    );
    expect(stored?.macs).toEqual([]);
  });
});

describe('an ONT', () => {
  it('going offline carries its cause, coming back online is a change too', async () => {
    const line = anOnt();
    await recordAccessObservations(ctx, [ont(line, { state: 'online', rxPowerDbm: -20, txPowerDbm: 2.1 })]);
    await recordAccessObservations(ctx, [
      ont(line, {
        at: at('09:01:00'),
        state: 'offline',
        lastDownCause: 'dying-gasp',
        rxPowerDbm: null,
        source: 'trap',
      }),
    ]);
    await recordAccessObservations(ctx, [ont(line, { at: at('09:30:00'), state: 'online', rxPowerDbm: -20.5 })]);
    const changes = await changesOf(line);
    expect(changes.map((c) => [c.change, c.details])).toEqual([
      ['ont-offline', { cause: 'dying-gasp' }],
      ['ont-online', {}],
    ]);
    const [stored] = await database.rows<{ state: string; last_down_cause: string; since: string }>(
      sql`select state, last_down_cause, ${clock('since')} from access_onts
          where node_id = ${line.node_id} and if_index = ${line.if_index} and ont_id = ${line.ont_id}`,
    );
    expect(stored).toMatchObject({ state: 'online', last_down_cause: 'dying-gasp', since: '09:30:00' });
  });

  it('its receive level leaving the window and coming back are changes; moving inside either side is not', async () => {
    const line = anOnt();
    const { min, max } = GPON_RX_WINDOW_DBM;
    const readings: [number | null, string][] = [
      [min, '09:00:00'], // the edges are inside
      [max, '09:01:00'],
      [min - 0.1, '09:02:00'],
      [-29, '09:03:00'],
      [null, '09:04:00'], // offline: no level, the judgement stays
      [-30, '09:05:00'],
      [-21, '09:06:00'],
      [max + 0.5, '09:07:00'],
    ];
    const outcomes = await recordAccessObservations(
      ctx,
      readings.map(([rxPowerDbm, time]) => ont(line, { at: at(time), rxPowerDbm })),
    );
    expect(outcomes).toEqual([
      'changed',
      'refreshed',
      'changed',
      'refreshed',
      'refreshed',
      'refreshed',
      'changed',
      'changed',
    ]);
    expect((await changesOf(line)).map((c) => [c.change, c.details.rxPowerDbm])).toEqual([
      ['ont-rx-out-of-range', min - 0.1],
      ['ont-rx-within', -21],
      ['ont-rx-out-of-range', max + 0.5],
    ]);
  });

  it('on a PON port not on record is unknown', async () => {
    const line = anOnt();
    expect(await recordAccessObservations(ctx, [ont({ ...line, if_index: 999_999 }, { state: 'online' })])).toEqual([
      'unknown',
    ]);
  });
});

describe('a node', () => {
  it('not answering and answering again are changes, with the error; the error stays as the last one', async () => {
    const [node] = await database.rows<{ id: number }>(
      sql`select id from network_nodes where kind = 'aggregation' order by id limit 1`,
    );
    const nodeId = node?.id as number;
    const reach = (reachable: boolean, time: string, error?: string): AccessObservation => ({
      kind: 'node',
      nodeId,
      at: at(time),
      source: 'poll',
      reachable,
      ...(error ? { error } : {}),
    });
    expect(
      await recordAccessObservations(ctx, [
        reach(true, '09:00:00'),
        reach(true, '09:01:00'),
        reach(false, '09:02:00', 'timeout'),
        reach(false, '09:03:00', 'timeout'),
        reach(true, '09:04:00'),
      ]),
    ).toEqual(['changed', 'refreshed', 'changed', 'refreshed', 'changed']);
    expect((await changesOf({ node_id: nodeId })).map((c) => [c.change, c.details])).toEqual([
      ['node-unreachable', { error: 'timeout' }],
      ['node-reachable', {}],
    ]);
    const [stored] = await database.rows<{ reachable: boolean; since: string; last_error: string }>(
      sql`select reachable, ${clock('since')}, last_error from access_node_reachability where node_id = ${nodeId}`,
    );
    expect(stored).toEqual({ reachable: true, since: '09:04:00', last_error: 'timeout' });
  });
});

describe('what is not on record', () => {
  it('is unknown, never an error, and the rest of the batch is applied', async () => {
    const line = aPort();
    const outcomes = await recordAccessObservations(ctx, [
      { kind: 'node', nodeId: 999_999, at: at('09:00:00'), source: 'poll', reachable: false },
      port({ node_id: 999_999, if_index: 1 }, { operStatus: 'up' }),
      port({ ...line, if_index: 999_999 }, { operStatus: 'up' }),
      { kind: 'port-macs', nodeId: line.node_id, ifIndex: 999_999, at: at('09:00:00'), source: 'poll', macs: [] },
      port(line, { operStatus: 'up' }),
    ]);
    expect(outcomes).toEqual(['unknown', 'unknown', 'unknown', 'unknown', 'changed']);
    const [{ n } = { n: -1 }] = await database.rows<{ n: number }>(
      sql`select count(*)::int as n from access_ports where node_id = 999999 or if_index = 999999`,
    );
    expect(n).toBe(0);
  });
});

describe('a reading with what the tables cannot hold', () => {
  it('names nothing on record when its index or time is impossible, and loses only the odd value otherwise', async () => {
    const line = aPort();
    const [gpon] = onts;
    const outcomes = await recordAccessObservations(ctx, [
      port({ ...line, if_index: 2 ** 32 }, { operStatus: 'up' }),
      port({ ...line, node_id: -1 }, { operStatus: 'up' }),
      port(line, { at: new Date('not a time'), operStatus: 'up' }),
      ont({ ...(gpon as PonOnt), ont_id: 1.5 }, { state: 'online' }),
      // ifHighSpeed is a Gauge32, the error counters Counter64: past what a column holds, left out.
      port(line, { operStatus: 'up', speedMbps: 2 ** 32 - 1, inErrors: 2 ** 64, outErrors: 7 }),
    ]);
    expect(outcomes).toEqual(['unknown', 'unknown', 'unknown', 'unknown', 'changed']);
    const [stored] = await database.rows<{ speed_mbps: number | null; in_errors: number | null; out_errors: number }>(
      sql`select speed_mbps, in_errors::int, out_errors::int from access_ports
          where node_id = ${line.node_id} and if_index = ${line.if_index}`,
    );
    expect(stored).toEqual({ speed_mbps: null, in_errors: null, out_errors: 7 });
  });
});

describe('service_connections.ont_id', () => {
  it('is written by the demo for each GPON connection, as its Option 82 circuit id names it', async () => {
    const [row] = await database.rows<{ gpon: number; mismatched: number }>(sql`
      select count(*)::int as gpon,
        count(*) filter (where option82_circuit_id is not null
          and option82_circuit_id <> 'gpon 0/' || split_part(split_part(option82_circuit_id, '/', 2), ':', 1) || ':' || ont_id)::int
          as mismatched
      from service_connections sc join network_nodes n on n.id = sc.node_id where n.kind = 'olt'`);
    expect(row?.gpon).toBeGreaterThan(0);
    expect(row?.mismatched).toBe(0);
    const [missing] = await database.rows<{ n: number }>(sql`
      select count(*)::int as n from service_connections sc join network_nodes n on n.id = sc.node_id
      where n.kind = 'olt' and sc.ont_id is null`);
    expect(missing?.n).toBe(0);
  });

  it("is backfilled by the migration from the OLT's circuit id for connections on record before it", async () => {
    const migration = fs.readFileSync(new URL('../../../../migrations/0019_access_line.sql', import.meta.url), 'utf8');
    const backfill = migration
      .split('--> statement-breakpoint')
      .find((part) => part.includes('UPDATE service_connections'));
    await database.db
      .transaction(async (tx) => {
        await tx.execute(sql`update service_connections set ont_id = null`);
        await tx.execute(sql.raw(backfill as string));
        const [row] = (
          (await tx.execute(sql`
          select count(*) filter (where n.kind = 'olt' and sc.option82_circuit_id is not null and sc.ont_id is null)::int as missed,
            count(*) filter (where sc.ont_id is not null and sc.option82_circuit_id not like 'gpon %:' || sc.ont_id)::int as wrong,
            count(*) filter (where sc.ont_id is not null)::int as filled
          from service_connections sc join network_nodes n on n.id = sc.node_id`)) as unknown as {
            rows: { missed: number; wrong: number; filled: number }[];
          }
        ).rows;
        expect(row).toMatchObject({ missed: 0, wrong: 0 });
        expect(row?.filled).toBeGreaterThan(0);
        tx.rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Error && error.message.includes('Rollback'))) throw error;
      });
  });
});
