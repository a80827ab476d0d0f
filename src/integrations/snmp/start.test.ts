import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import type { AppContext } from '../../modules/core/context.js';
import type { AccessObservation } from '../../modules/network/access-line/observations.js';
import { networkNodesNamed } from '../../modules/network/polling/nodes.js';
import { saveSnmpNode, saveSnmpPolling, snmpSettingsView } from '../../modules/settings/snmp-nodes.js';
import { testContext } from '../../testing/context.js';
import { openTestDatabase } from '../../testing/database.js';
import { freeUdpPort } from '../../testing/free-udp-port.js';
import {
  type SnmpsimAgent,
  snmpsimInstalled,
  snmptrapInstalled,
  startSnmpsim,
  warnIfSnmpToolsMissing,
} from '../../testing/snmpsim.js';
import { snmpTraps, snmpTrapsDropped } from './metrics.js';
import { huaweiGponIfIndex, ifIndexOnRecord } from './mib.js';
import { addTestNode, recordedData } from './recorded-agents.js';
import { type SnmpIntegration, startSnmp } from './start.js';

// The whole integration as main.ts starts it: the poller over the shared schedule with snmpsim as
// the agents, one node that never answers, and traps sent by Debian's snmptrap.
warnIfSnmpToolsMissing('SNMP poller and trap tests (src/integrations/snmp/start.test.ts)');
const describeWithTools = snmpsimInstalled && snmptrapInstalled ? describe : describe.skip;
const run = promisify(execFile);

let database: Database;
let ctx: AppContext;
let snmp: SnmpIntegration | undefined;
const agents: SnmpsimAgent[] = [];
const seen: { observation: AccessObservation; receivedAt: number }[] = [];
const ids: Record<string, number> = {};
const admin = { id: 1 };

const nodesOnRecord = async (names: string[]) => networkNodesNamed(ctx, names);

beforeAll(async () => {
  if (!snmpsimInstalled || !snmptrapInstalled) return;
  database = await openTestDatabase();
  ctx = testContext(database, { clock: () => new Date() });
  const switchAgent = await startSnmpsim({
    address: '127.0.0.51',
    community: 'ld-sw',
    data: recordedData('switch-snr'),
  });
  const oltAgent = await startSnmpsim({ address: '127.0.0.52', community: 'ld-olt', data: recordedData('olt-huawei') });
  agents.push(switchAgent, oltAgent);
  const ports = [1, 2, 3, 4, 25].map((i) => ({ name: `ge-0/0/${i}`, ifIndex: i, medium: 'copper' }));
  ids.switch = (
    await addTestNode(
      database,
      { name: 'sw-start-1', kind: 'access_switch', model: 'SNR-S2985G-24T', managementIp: '127.0.0.51' },
      ports,
    )
  ).id;
  ids.olt = (
    await addTestNode(
      database,
      { name: 'olt-start-1', kind: 'olt', model: 'Huawei MA5608T', managementIp: '127.0.0.52' },
      [{ name: 'gpon-0/1/0', ifIndex: ifIndexOnRecord(huaweiGponIfIndex(0, 1, 0)), medium: 'pon' }],
    )
  ).id;
  // Nothing listens there: it never answers.
  ids.dead = (
    await addTestNode(
      database,
      { name: 'sw-start-dead', kind: 'access_switch', model: 'D-Link DES-3200-28', managementIp: '127.0.0.53' },
      ports,
    )
  ).id;
  await saveSnmpNode(
    ctx,
    admin,
    'sw-start-1',
    { version: 'v2c', community: 'ld-sw', port: switchAgent.port },
    null,
    nodesOnRecord,
  );
  await saveSnmpNode(
    ctx,
    admin,
    'olt-start-1',
    { version: 'v2c', community: 'ld-olt', port: oltAgent.port },
    null,
    nodesOnRecord,
  );
  await saveSnmpNode(
    ctx,
    admin,
    'sw-start-dead',
    { version: 'v2c', community: 'ld-dead', port: await freeUdpPort() },
    null,
    nodesOnRecord,
  );
  await saveSnmpPolling(
    ctx,
    admin,
    { intervalSeconds: 60, timeoutMs: 1500, retries: 0, backoffMaxSeconds: 600, jitterPercent: 0, concurrency: 4 },
    null,
  );
  snmp = await startSnmp(
    ctx,
    {
      record: async (observations) => {
        for (const observation of observations) seen.push({ observation, receivedAt: Date.now() });
      },
    },
    { tickMs: 100, trapListen: { host: '127.0.0.1', port: await freeUdpPort() } },
  );
});
afterAll(async () => {
  await snmp?.close();
  await Promise.all(agents.map((agent) => agent.stop()));
  await database?.close();
});

async function waitFor<T>(find: () => T | undefined, what: string, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > until) throw new Error(`waited ${ms} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const nodeSeen = (nodeId: number) =>
  seen.find(({ observation }) => observation.kind === 'node' && observation.nodeId === nodeId);

const trap = (args: string[]) => run('snmptrap', args, { timeout: 5000 });

describeWithTools('the SNMP integration (snmpsim agents, snmptrap)', () => {
  it('polls every node once; a node that does not answer is unreachable and holds up no other', async () => {
    const sw = await waitFor(() => nodeSeen(ids.switch as number), 'the switch polled');
    const olt = await waitFor(() => nodeSeen(ids.olt as number), 'the OLT polled');
    const dead = await waitFor(() => nodeSeen(ids.dead as number), 'the dead node given up');
    expect(sw.observation).toMatchObject({ reachable: true, source: 'poll' });
    expect(olt.observation).toMatchObject({ reachable: true });
    expect(dead.observation).toMatchObject({ reachable: false, error: 'timeout' });
    // Polled side by side: the answering nodes were done long before the silent one timed out.
    expect(dead.receivedAt).toBeGreaterThan(Math.max(sw.receivedAt, olt.receivedAt));
    expect(seen.some(({ observation }) => observation.kind === 'ont' && observation.nodeId === ids.olt)).toBe(true);
    // Each once: the next polls are a minute away (the silent one's back-off two).
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(seen.filter(({ observation }) => observation.kind === 'node')).toHaveLength(3);
    const [schedule] = await database.rows<{ failures: number; wait: number }>(
      sql`select failures, extract(epoch from next_poll_at - last_polled_at)::int as wait
          from snmp_poll_schedule where node_id = ${ids.dead}`,
    );
    expect(schedule).toEqual({ failures: 1, wait: 120 });
  });

  it('turns a v2c linkDown and a v1 linkUp from a known switch into port observations at once', async () => {
    const port = snmp?.trapPort as number;
    await trap([
      '-v2c',
      '-c',
      'ld-sw',
      '--clientaddr=127.0.0.51',
      `127.0.0.1:${port}`,
      '',
      '1.3.6.1.6.3.1.1.5.3',
      '1.3.6.1.2.1.2.2.1.1.2',
      'i',
      '2',
      '1.3.6.1.2.1.2.2.1.7.2',
      'i',
      '1',
      '1.3.6.1.2.1.2.2.1.8.2',
      'i',
      '2',
    ]);
    const down = await waitFor(
      () =>
        seen.find(
          ({ observation }) =>
            observation.source === 'trap' && observation.kind === 'port' && observation.ifIndex === 2,
        ),
      'the linkDown',
    );
    expect(down.observation).toMatchObject({ nodeId: ids.switch, adminStatus: 'up', operStatus: 'down' });
    await trap([
      '-v1',
      '-c',
      'ld-sw',
      '--clientaddr=127.0.0.51',
      `127.0.0.1:${port}`,
      '1.3.6.1.4.1.40418',
      '127.0.0.51',
      '3',
      '0',
      '',
      '1.3.6.1.2.1.2.2.1.1.3',
      'i',
      '3',
    ]);
    const up = await waitFor(
      () =>
        seen.find(
          ({ observation }) =>
            observation.source === 'trap' && observation.kind === 'port' && observation.ifIndex === 3,
        ),
      'the v1 linkUp',
    );
    expect(up.observation).toMatchObject({ nodeId: ids.switch, operStatus: 'up' });
  });

  it("turns a Huawei OLT's ONT dying-gasp trap into the ONT offline with its cause", async () => {
    const port = snmp?.trapPort as number;
    // hwGponOntDGAlarmTrap: frame 0, slot 1, port 0, ONT 2 (its OBJECTS' order).
    await trap([
      '-v2c',
      '-c',
      'ld-olt',
      '--clientaddr=127.0.0.52',
      `127.0.0.1:${port}`,
      '',
      '1.3.6.1.4.1.2011.5.100.1.1.31.2.2.0.18',
      '1.3.6.1.4.1.2011.6.3.3.2.1.1',
      'i',
      '0',
      '1.3.6.1.4.1.2011.6.3.3.2.1.2',
      'i',
      '1',
      '1.3.6.1.4.1.2011.6.3.3.2.1.3',
      'i',
      '0',
      '1.3.6.1.4.1.2011.6.128.1.1.2.43.1.1',
      'i',
      '2',
    ]);
    const ont = await waitFor(
      () => seen.find(({ observation }) => observation.source === 'trap' && observation.kind === 'ont'),
      'the ONT trap',
    );
    expect(ont.observation).toMatchObject({
      nodeId: ids.olt,
      ifIndex: ifIndexOnRecord(huaweiGponIfIndex(0, 1, 0)),
      ontId: 2,
      state: 'offline',
      lastDownCause: 'dying-gasp',
    });
  });

  it('takes a v3 trap from a node whose settings are v3, and drops one with a wrong key', async () => {
    const port = snmp?.trapPort as number;
    const before = (await snmpSettingsView(ctx, nodesOnRecord)).nodes.find((node) => node.node === 'olt-start-1');
    await saveSnmpNode(
      ctx,
      admin,
      'olt-start-1',
      {
        version: 'v3',
        v3: {
          user: 'ld-olt-v3',
          authProtocol: 'sha',
          authKey: 'auth-olt-v3',
          privProtocol: 'aes',
          privKey: 'priv-olt-v3',
        },
        settingsVersion: before?.settingsVersion,
      },
      null,
      nodesOnRecord,
    );
    // The receiver re-reads the settings within a second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const v3 = (authKey: string) => [
      '-v3',
      '-l',
      'authPriv',
      '-u',
      'ld-olt-v3',
      '-a',
      'SHA',
      '-A',
      authKey,
      '-x',
      'AES',
      '-X',
      'priv-olt-v3',
      '-e',
      '0x8000000001020304',
      '--clientaddr=127.0.0.52',
      `127.0.0.1:${port}`,
      '',
      // hwGponOntDGRecoverAlarmTrap: frame 0, slot 1, port 0, ONT 3.
      '1.3.6.1.4.1.2011.5.100.1.1.31.2.2.0.19',
      '1.3.6.1.4.1.2011.6.3.3.2.1.1',
      'i',
      '0',
      '1.3.6.1.4.1.2011.6.3.3.2.1.2',
      'i',
      '1',
      '1.3.6.1.4.1.2011.6.3.3.2.1.3',
      'i',
      '0',
      '1.3.6.1.4.1.2011.6.128.1.1.2.43.1.1',
      'i',
      String(authKey === 'auth-olt-v3' ? 3 : 4),
    ];
    await trap(v3('not-the-auth-key'));
    await trap(v3('auth-olt-v3'));
    const ont = await waitFor(
      () =>
        seen.find(
          ({ observation }) => observation.source === 'trap' && observation.kind === 'ont' && observation.ontId === 3,
        ),
      'the v3 ONT trap',
    );
    expect(ont.observation).toMatchObject({ nodeId: ids.olt, state: 'online' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen.some(({ observation }) => observation.kind === 'ont' && observation.ontId === 4)).toBe(false);
  });

  it('drops and counts a trap from an unknown address, and one with the wrong community', async () => {
    const port = snmp?.trapPort as number;
    const dropped = async (reason: string) =>
      (await snmpTrapsDropped.get()).values.find((value) => value.labels.reason === reason)?.value ?? 0;
    const before = { unknown: await dropped('unknown_sender'), community: await dropped('wrong_community') };
    const linkDown = ['1.3.6.1.6.3.1.1.5.3', '1.3.6.1.2.1.2.2.1.1.4', 'i', '4'];
    await trap(['-v2c', '-c', 'ld-sw', '--clientaddr=127.0.0.99', `127.0.0.1:${port}`, '', ...linkDown]);
    await trap(['-v2c', '-c', 'guessed', '--clientaddr=127.0.0.51', `127.0.0.1:${port}`, '', ...linkDown]);
    // Both datagrams are out when snmptrap returns; their handling is a moment behind.
    const until = Date.now() + 5000;
    while (
      Date.now() < until &&
      ((await dropped('wrong_community')) === before.community || (await dropped('unknown_sender')) === before.unknown)
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await dropped('unknown_sender')).toBe(before.unknown + 1);
    expect(await dropped('wrong_community')).toBe(before.community + 1);
    expect(
      seen.some(
        ({ observation }) => observation.kind === 'port' && observation.ifIndex === 4 && observation.source === 'trap',
      ),
    ).toBe(false);
    expect((await snmpTraps.get()).values.find((value) => value.labels.kind === 'link')?.value).toBe(2);
  });
});
