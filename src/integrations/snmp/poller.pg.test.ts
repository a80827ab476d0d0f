import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import type { AccessObservation } from '../../modules/network/access-line/observations.js';
import { networkNodesNamed } from '../../modules/network/polling/nodes.js';
import { saveSnmpNode, saveSnmpPolling } from '../../modules/settings/snmp-nodes.js';
import { testContext } from '../../testing/context.js';
import { openAnotherPool, openTestDatabase } from '../../testing/database.js';
import { type SnmpsimAgent, snmpsimInstalled, startSnmpsim, warnIfSnmpToolsMissing } from '../../testing/snmpsim.js';
import { type Poller, startPoller } from './poller.js';
import { addTestNode, recordedData, withObject } from './recorded-agents.js';

// PostgreSQL only: two instances' pollers on one database, each with its own pool, polling the
// same six switches: each switch is polled once, by one of them.
warnIfSnmpToolsMissing('Two pollers on one database (src/integrations/snmp/poller.pg.test.ts)');

let database: Database;
let other: Database;
const agents: SnmpsimAgent[] = [];
const pollers: Poller[] = [];
const polls: { instance: string; nodeId: number }[] = [];

beforeAll(async () => {
  if (!snmpsimInstalled) return;
  database = await openTestDatabase();
  other = await openAnotherPool(database);
  const ctx = testContext(database, { clock: () => new Date() });
  for (let n = 1; n <= 6; n++) {
    const address = `127.0.0.${70 + n}`;
    // Each poll takes half a second (snmpsim's delay variation), so one instance cannot take them all.
    const slow = withObject(recordedData('switch-snr'), '1.3.6.1.2.1.2.2.1.8.1', '2:delay', 'value=1,wait=500');
    const agent = await startSnmpsim({ address, community: 'ld-twin', data: slow });
    agents.push(agent);
    await addTestNode(
      database,
      { name: `sw-twin-${n}`, kind: 'access_switch', model: 'SNR-S2985G-24T', managementIp: address },
      [{ name: 'ge-0/0/1', ifIndex: 1, medium: 'copper' }],
    );
    await saveSnmpNode(
      ctx,
      { id: 1 },
      `sw-twin-${n}`,
      { version: 'v2c', community: 'ld-twin', port: agent.port },
      null,
      (names) => networkNodesNamed(ctx, names),
    );
  }
  await saveSnmpPolling(
    ctx,
    { id: 1 },
    { intervalSeconds: 600, timeoutMs: 1500, retries: 0, backoffMaxSeconds: 600, jitterPercent: 0, concurrency: 2 },
    null,
  );
  for (const [instance, db] of [
    ['first', database],
    ['second', other],
  ] as const) {
    const sink = {
      record: async (observations: AccessObservation[]) => {
        for (const observation of observations) {
          if (observation.kind === 'node') polls.push({ instance, nodeId: observation.nodeId });
        }
      },
    };
    pollers.push(startPoller(testContext(db, { clock: () => new Date() }), sink, { tickMs: 50, instance }));
  }
});
afterAll(async () => {
  await Promise.all(pollers.map((poller) => poller.close()));
  await Promise.all(agents.map((agent) => agent.stop()));
  await other?.close();
  await database?.close();
});

it.skipIf(!snmpsimInstalled)('two instances poll each node once between them, never the same node twice', async () => {
  const until = Date.now() + 20_000;
  while (polls.length < 6 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const nodeIds = polls.map((poll) => poll.nodeId);
  expect(nodeIds).toHaveLength(6);
  expect(new Set(nodeIds).size).toBe(6);
  // Concurrency 2 each: both instances had to take part.
  expect(new Set(polls.map((poll) => poll.instance)).size).toBe(2);
});
