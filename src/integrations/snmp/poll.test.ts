import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import type { AppContext } from '../../modules/core/context.js';
import type { AccessObservation } from '../../modules/network/access-line/observations.js';
import { networkNodesNamed, portsOfNodes } from '../../modules/network/polling/nodes.js';
import { testContext } from '../../testing/context.js';
import { openTestDatabase } from '../../testing/database.js';
import { type SnmpsimAgent, snmpsimInstalled, startSnmpsim, warnIfSnmpToolsMissing } from '../../testing/snmpsim.js';
import { huaweiGponIfIndex, ifIndexOnRecord } from './mib.js';
import { pollNode } from './poll.js';
import { addTestNode, recordedData, simulatedSwitch, withObject } from './recorded-agents.js';
import { openSnmpSession } from './session.js';

// snmpsim as the switch's and the OLTs' agent; the data rewritten between polls, as a port flips.
warnIfSnmpToolsMissing('SNMP poll tests (src/integrations/snmp/poll.test.ts)');
const describeWithSnmpsim = snmpsimInstalled ? describe : describe.skip;

let database: Database;
let ctx: AppContext;
const agents: SnmpsimAgent[] = [];
const hwPon0 = ifIndexOnRecord(huaweiGponIfIndex(0, 1, 0));
const hwPon1 = ifIndexOnRecord(huaweiGponIfIndex(0, 1, 1));
const ztePon0 = 268501248;
const ztePon1 = 268501504;

beforeAll(async () => {
  database = await openTestDatabase();
  ctx = testContext(database, { clock: () => new Date() });
  await addTestNode(
    database,
    { name: 'sw-poll-1', kind: 'access_switch', model: 'SNR-S2985G-24T', managementIp: '127.0.0.41' },
    [1, 2, 3, 4, 25].map((i) => ({ name: `ge-0/0/${i}`, ifIndex: i, medium: i === 25 ? 'fiber' : 'copper' })),
  );
  await addTestNode(
    database,
    { name: 'olt-poll-hw', kind: 'olt', model: 'Huawei MA5608T', managementIp: '127.0.0.42' },
    [
      { name: 'gpon-0/1/0', ifIndex: hwPon0, medium: 'pon' },
      { name: 'gpon-0/1/1', ifIndex: hwPon1, medium: 'pon' },
    ],
  );
  await addTestNode(database, { name: 'olt-poll-zte', kind: 'olt', model: 'ZTE C320', managementIp: '127.0.0.43' }, [
    { name: 'gpon-1/1/1', ifIndex: ztePon0, medium: 'pon' },
  ]);
});
afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.stop()));
  await database?.close();
});

async function pollOnce(
  name: string,
  agent: SnmpsimAgent,
  credentials: Parameters<typeof openSnmpSession>[0]['credentials'],
) {
  const node = (await networkNodesNamed(ctx, [name])).get(name);
  if (!node) throw new Error(`no ${name}`);
  const ports = (await portsOfNodes(ctx, [node.id])).get(node.id) ?? [];
  const session = openSnmpSession({
    address: agent.address,
    port: agent.port,
    credentials,
    timeoutMs: 1500,
    retries: 1,
  });
  try {
    return await pollNode(session, node, ports, ctx.clock);
  } finally {
    session.close();
  }
}

const ofKind = <K extends AccessObservation['kind']>(observations: AccessObservation[], kind: K) =>
  observations.filter(
    (observation): observation is Extract<AccessObservation, { kind: K }> => observation.kind === kind,
  );

describeWithSnmpsim('polling a switch and two OLTs (snmpsim)', () => {
  it('reads the ports on record from IF-MIB and EtherLike-MIB, and a port flip between polls', async () => {
    const switchData = recordedData('switch-snr');
    const agent = await startSnmpsim({ address: '127.0.0.41', community: 'ld-poll', data: switchData });
    agents.push(agent);
    const credentials = { version: 'v2c', community: 'ld-poll' } as const;
    const first = await pollOnce('sw-poll-1', agent, credentials);
    expect(first.answered).toBe(true);
    expect(ofKind(first.observations, 'node')).toMatchObject([{ reachable: true, source: 'poll' }]);
    const ports = ofKind(first.observations, 'port');
    expect(ports.map((port) => port.ifIndex)).toEqual([1, 2, 3, 4, 25]);
    expect(ports.find((port) => port.ifIndex === 1)).toMatchObject({
      adminStatus: 'up',
      operStatus: 'up',
      speedMbps: 100,
      duplex: 'full',
      inErrors: 0,
      outErrors: 0,
    });
    expect(ports.find((port) => port.ifIndex === 3)).toMatchObject({ operStatus: 'down', duplex: 'unknown' });

    agent.setData(
      withObject(withObject(switchData, '1.3.6.1.2.1.2.2.1.8.1', 2, 2), '1.3.6.1.2.1.2.2.1.14.1', 65, 1234),
    );
    const second = await pollOnce('sw-poll-1', agent, credentials);
    expect(ofKind(second.observations, 'port').find((port) => port.ifIndex === 1)).toMatchObject({
      operStatus: 'down',
      inErrors: 1234,
    });

    // Every reading is dated when the node was first asked, however long the walks take: a trap
    // that arrives meanwhile is newer than the "up" they read, and the store keeps the trap's state.
    const node = (await networkNodesNamed(ctx, ['sw-poll-1'])).get('sw-poll-1');
    const onRecord = (await portsOfNodes(ctx, [node?.id ?? 0])).get(node?.id ?? 0) ?? [];
    let tick = Date.parse('2026-12-06T10:00:00Z');
    const slowClock = () => {
      tick += 1000;
      return new Date(tick);
    };
    const session = openSnmpSession({
      address: agent.address,
      port: agent.port,
      credentials,
      timeoutMs: 1500,
      retries: 1,
    });
    try {
      const third = await pollNode(session, node!, onRecord, slowClock);
      const times = new Set(third.observations.map((observation) => observation.at.toISOString()));
      expect([...times]).toEqual(['2026-12-06T10:00:01.000Z']);
    } finally {
      session.close();
    }
  });

  it('reads which MACs are behind each port (BRIDGE-MIB and Q-BRIDGE-MIB), and a MAC moved to another port', async () => {
    const switchData = recordedData('switch-snr');
    const agent = await startSnmpsim({ address: '127.0.0.44', community: 'ld-macs', data: switchData });
    agents.push(agent);
    await database.rows(
      (await import('drizzle-orm')).sql`update network_nodes set management_ip = '127.0.0.44' where name = 'sw-poll-1'`,
    );
    const credentials = { version: 'v2c', community: 'ld-macs' } as const;
    const macsOf = (observations: AccessObservation[]) =>
      Object.fromEntries(ofKind(observations, 'port-macs').map((port) => [port.ifIndex, port.macs]));
    expect(macsOf((await pollOnce('sw-poll-1', agent, credentials)).observations)).toEqual({
      1: ['00:11:22:33:44:01'],
      2: ['00:11:22:33:44:02'],
      3: [],
      4: ['00:11:22:33:44:04'],
      25: ['aa:bb:cc:00:00:01'],
    });
    // The CPE of port 1 now answers on port 3.
    agent.setData(withObject(switchData, '1.3.6.1.2.1.17.4.3.1.2.0.17.34.51.68.1', 2, 3));
    const moved = macsOf((await pollOnce('sw-poll-1', agent, credentials)).observations);
    expect(moved[1]).toEqual([]);
    expect(moved[3]).toEqual(['00:11:22:33:44:01']);
  });

  it("reads a Huawei OLT's ONTs over SNMPv3: state, last down cause, levels in dBm; then a dying gasp", async () => {
    const oltData = recordedData('olt-huawei');
    const v3 = {
      user: 'linedesk',
      authProto: 'SHA',
      authKey: 'auth-key-hw-1',
      privProto: 'AES',
      privKey: 'priv-key-hw-1',
    } as const;
    const agent = await startSnmpsim({ address: '127.0.0.42', v3, data: oltData });
    agents.push(agent);
    const credentials = {
      version: 'v3',
      user: 'linedesk',
      authProtocol: 'sha',
      authKey: 'auth-key-hw-1',
      privProtocol: 'aes',
      privKey: 'priv-key-hw-1',
    } as const;
    const first = await pollOnce('olt-poll-hw', agent, credentials);
    expect(first.answered).toBe(true);
    const onts = ofKind(first.observations, 'ont');
    expect(onts).toHaveLength(3);
    expect(onts.find((ont) => ont.ifIndex === hwPon0 && ont.ontId === 1)).toMatchObject({
      state: 'online',
      rxPowerDbm: -21.5,
      txPowerDbm: 2.3,
    });
    expect(onts.find((ont) => ont.ifIndex === hwPon0 && ont.ontId === 1)?.lastDownCause).toBeUndefined();
    expect(onts.find((ont) => ont.ifIndex === hwPon0 && ont.ontId === 2)).toMatchObject({ lastDownCause: 'los' });
    expect(onts.find((ont) => ont.ifIndex === hwPon1)).toMatchObject({
      ontId: 1,
      state: 'offline',
      lastDownCause: 'dying-gasp',
      rxPowerDbm: null,
      txPowerDbm: null,
    });
    // ONT 2 loses power; ONT 1's receive level sinks out of the window.
    const hwx = '1.3.6.1.4.1.2011.6.128.1.1.2';
    let changed = withObject(oltData, `${hwx}.46.1.15.${huaweiGponIfIndex(0, 1, 0)}.2`, 2, 2);
    changed = withObject(changed, `${hwx}.46.1.24.${huaweiGponIfIndex(0, 1, 0)}.2`, 2, 13);
    changed = withObject(changed, `${hwx}.51.1.4.${huaweiGponIfIndex(0, 1, 0)}.1`, 2, -2912);
    agent.setData(changed);
    const second = ofKind((await pollOnce('olt-poll-hw', agent, credentials)).observations, 'ont');
    expect(second.find((ont) => ont.ifIndex === hwPon0 && ont.ontId === 2)).toMatchObject({
      state: 'offline',
      lastDownCause: 'dying-gasp',
    });
    expect(second.find((ont) => ont.ifIndex === hwPon0 && ont.ontId === 1)?.rxPowerDbm).toBe(-29.12);
  });

  it("reads a ZTE OLT's ONUs on the PON ports on record only: phase state and levels scaled to dBm", async () => {
    const agent = await startSnmpsim({ address: '127.0.0.43', community: 'ld-zte', data: recordedData('olt-zte') });
    agents.push(agent);
    const result = await pollOnce('olt-poll-zte', agent, { version: 'v2c', community: 'ld-zte' });
    const onts = ofKind(result.observations, 'ont');
    // gpon 1/1/2 is not on record: its dying ONU is not this ISP's line here.
    expect(onts.map((ont) => `${ont.ifIndex}.${ont.ontId}`).sort()).toEqual([`${ztePon0}.1`, `${ztePon0}.2`]);
    expect(onts.find((ont) => ont.ontId === 1)).toMatchObject({ state: 'online', rxPowerDbm: -21.5, txPowerDbm: 2.3 });
    expect(onts.find((ont) => ont.ontId === 2)?.rxPowerDbm).toBe(-19);
    expect(ztePon1).not.toBe(ztePon0);
  });

  it("reads a simulated switch written from the ports on record (the demo simulator's data)", async () => {
    const data = simulatedSwitch('sw-poll-1', [
      { ifIndex: 1, up: true, macs: ['00:aa:00:00:00:01'] },
      { ifIndex: 2, up: false, macs: ['00:aa:00:00:00:02'] },
      { ifIndex: 25, up: true, macs: ['00:aa:00:00:00:25', '00:aa:00:00:00:26'] },
    ]);
    const agent = await startSnmpsim({ address: '127.0.0.45', community: 'ld-sim', data });
    agents.push(agent);
    const result = await pollOnce('sw-poll-1', agent, { version: 'v2c', community: 'ld-sim' });
    expect(ofKind(result.observations, 'port').map((port) => [port.ifIndex, port.operStatus])).toEqual([
      [1, 'up'],
      [2, 'down'],
      [25, 'up'],
    ]);
    expect(
      Object.fromEntries(ofKind(result.observations, 'port-macs').map((port) => [port.ifIndex, port.macs])),
    ).toMatchObject({ 1: ['00:aa:00:00:00:01'], 2: [], 25: ['00:aa:00:00:00:25', '00:aa:00:00:00:26'] });
  });

  it('calls a node that does not answer (wrong community, nobody listening) unreachable', async () => {
    const agent = agents[0] as SnmpsimAgent;
    const wrong = await pollOnce('sw-poll-1', agent, { version: 'v2c', community: 'not-the-community' });
    expect(wrong.answered).toBe(false);
    expect(ofKind(wrong.observations, 'node')).toMatchObject([{ reachable: false, error: 'timeout' }]);
    expect(ofKind(wrong.observations, 'port')).toEqual([]);
  });
});
