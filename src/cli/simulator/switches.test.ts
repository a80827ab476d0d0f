import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SnmpSettingsView } from '../../common/api/snmp-settings.js';
import { Random } from '../../demo-data/random.js';
import { type SnmpIntegration, startSnmp } from '../../integrations/snmp/start.js';
import { recordAccessObservations } from '../../modules/network/access-line/service.js';
import { freeUdpPort } from '../../testing/free-udp-port.js';
import { snmpsimInstalled, warnIfSnmpToolsMissing } from '../../testing/snmpsim.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { LinedeskClient } from './linedesk-client.js';
import { SimulatedMonitoring } from './monitoring.js';
import { SimulatedSwitches } from './switches.js';

// The simulator's switches against a whole app over real HTTP, its SNMP poller and trap receiver
// on 127.0.0.1, and Debian's snmpsim: the switches are listed in the SNMP settings and answer the
// polls, their ports go down and up on the demo subscribers' access lines (traps), an alert on a
// switch reaches its node, and on stop the settings are as they were.
warnIfSnmpToolsMissing('The simulated switches test (src/cli/simulator/switches.test.ts)');
const token = 'simulated-monitoring-token-0123456789abcdef';
let t: TestApp;
let base: string;
let snmp: SnmpIntegration;

beforeAll(async () => {
  t = await startTestApp({ clock: () => new Date(), env: { MONITORING_WEBHOOK_TOKEN: token } });
  base = await t.listen();
  snmp = await startSnmp(
    t.ctx,
    { record: (observations) => recordAccessObservations(t.ctx, observations) },
    // A free port of its own: net-snmp takes port 0 for its default, 162.
    { trapListen: { host: '127.0.0.1', port: await freeUdpPort() } },
  );
});
afterAll(async () => {
  await snmp?.close();
  await t?.close();
});

async function until(what: () => Promise<boolean>, timeoutMs = 45_000, why = () => '') {
  const deadline = Date.now() + timeoutMs;
  while (!(await what())) {
    if (Date.now() > deadline) throw new Error(`waited in vain ${why()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

it.skipIf(!snmpsimInstalled)(
  "plays demo subscribers' switches: polled, ports flipping with traps, an alert, and the settings left as found",
  async () => {
    const admin = new LinedeskClient(base, 'admin');
    await admin.signIn('demo');
    const said: string[] = [];
    const switches = new SimulatedSwitches({
      admin,
      trapHost: '127.0.0.1',
      trapPort: snmp.trapPort ?? 0,
      random: new Random(3),
      // A simulated minute in 50 ms: each port flips within the test's seconds.
      speed: 1200,
      say: (text) => said.push(text),
      subscribers: 2,
      flipMinutes: 2,
    });
    await switches.start();
    try {
      await playsThem(switches, admin, said);
    } finally {
      // snmpsimd must not outlive a failed test (it would answer the next run's polls).
      await switches.stop();
    }
    expect((await admin.get<SnmpSettingsView>('/api/settings/snmp')).nodes).toEqual([]);
    await admin.signOut();
  },
  90_000,
);

async function playsThem(switches: SimulatedSwitches, admin: LinedeskClient, said: string[]) {
  const nodes = switches.nodes();
  expect(nodes.length, said.join('\n')).toBeGreaterThan(0);
  const listed = await admin.get<SnmpSettingsView>('/api/settings/snmp');
  expect(listed.nodes.map((node) => node.node).sort()).toEqual(nodes.map((node) => node.name).sort());
  expect(listed.nodes.every((node) => node.bounceAllowed && node.credentialsSet)).toBe(true);

  const nodeIds = (
    await t.database.rows<{ id: number }>(
      sql`select id from network_nodes where name = any(${sql.param(nodes.map((node) => node.name))}::text[])`,
    )
  ).map((row) => row.id);
  // snmpsim answers the poll: the switches are reachable.
  await until(async () => {
    const [row] = await t.database.rows<{ n: number }>(
      sql`select count(*)::int as n from access_node_reachability where reachable and node_id = any(${sql.param(nodeIds)}::int[])`,
    );
    return row?.n === nodeIds.length;
  });
  // The ports go down and come back, the switches' traps telling Linedesk at once.
  await until(
    async () => {
      const changes = await t.database.rows<{ change: string }>(
        sql`select distinct change from access_line_changes where node_id = any(${sql.param(nodeIds)}::int[])`,
      );
      const seen = new Set(changes.map((row) => row.change));
      return seen.has('port-down') && seen.has('port-up');
    },
    45_000,
    () => JSON.stringify({ statistics: switches.statistics, trapPort: snmp.trapPort, said: said.slice(-3) }),
  );
  expect(switches.statistics.traps).toBeGreaterThan(0);

  // An alert on one of them finds its node through Prometheus's instance label (its address).
  const monitoring = new SimulatedMonitoring({
    url: base,
    token,
    nodes,
    random: new Random(4),
    speed: 1200,
    say: (text) => said.push(text),
    alertMinutes: 1,
  });
  monitoring.start();
  await until(async () => {
    const [row] = await t.database.rows<{ n: number }>(
      sql`select count(*)::int as n from monitoring_alerts where node_id = any(${sql.param(nodeIds)}::int[])`,
    );
    return (row?.n ?? 0) > 0;
  });
  const alerted = await monitoring.stop();
  expect(alerted.fired).toBeGreaterThan(0);
  expect(alerted.refused).toBe(0);
  const [firing] = await t.database.rows<{ n: number }>(
    sql`select count(*)::int as n from monitoring_alerts where status = 'firing'`,
  );
  expect(firing?.n).toBe(0);

  expect(switches.statistics.flips).toBeGreaterThan(0);
}
