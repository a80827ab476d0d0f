import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Random } from '../../demo-data/random.js';
import { type RadiusAccounting, startRadiusAccounting } from '../../integrations/radius/listener.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { LinedeskClient } from './linedesk-client.js';
import { SIMULATED_NAS_NAME, SimulatedNas } from './nas.js';

// The simulator's NAS against a whole app over real HTTP and its RADIUS listener on 127.0.0.1:
// it lists itself, demo subscribers' sessions appear on their cards, a NAS reboot closes them and
// they come back, and on stop the NAS list is as it was and its sessions are closed.
let t: TestApp;
let base: string;
let radius: RadiusAccounting;

beforeAll(async () => {
  // Event-Timestamp is the real time: the app runs on it too.
  t = await startTestApp({ clock: () => new Date() });
  base = await t.listen();
  radius = await startRadiusAccounting(t.ctx, { port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await radius?.close();
  await t?.close();
});

const nasList = async () => {
  const admin = await t.loginAs('admin');
  return (await t.app.inject({ url: '/api/settings/nas', headers: { cookie: admin } })).json() as { name: string }[];
};

const sessions = () =>
  t.database.rows<{ state: string; ended_by: string | null; subscriber_id: number | null; n: number }>(sql`
    select state, ended_by, subscriber_id, count(*)::int as n from nas_sessions where nas = ${SIMULATED_NAS_NAME}
    group by 1, 2, 3`);

async function until(what: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await what())) {
    if (Date.now() > deadline) throw new Error('waited in vain');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

it("sends demo subscribers' sessions that their cards show, reboots, and leaves the NAS list as it found it", async () => {
  const before = await nasList();
  const admin = new LinedeskClient(base, 'admin');
  await admin.signIn('demo');
  const said: string[] = [];
  const nas = new SimulatedNas({
    admin,
    radiusHost: '127.0.0.1',
    radiusPort: radius.port,
    random: new Random(5),
    // A simulated minute in 50 ms: Interims and CPE reboots within the test's seconds.
    speed: 1200,
    say: (text) => said.push(text),
    subscribers: 8,
    cpeRebootMinutes: 2,
    nasRebootMinutes: 100_000,
  });
  await nas.start();
  expect((await nasList()).map((listed) => listed.name)).toContain(SIMULATED_NAS_NAME);
  expect(nas.statistics.subscribers, said.join('\n')).toBe(8);

  // Every subscriber online, matched to the subscriber by the PPPoE login, and a CPE reboot or two.
  await until(async () => {
    const open = (await sessions()).filter((row) => row.state === 'open');
    return open.reduce((sum, row) => sum + row.n, 0) >= 6 && nas.statistics.cpeReboots >= 2;
  });
  const rows = await sessions();
  expect(rows.every((row) => row.subscriber_id !== null)).toBe(true);
  expect(rows.some((row) => row.ended_by === 'stop')).toBe(true);
  const [open] = rows.filter((row) => row.state === 'open');
  const cookie = await t.loginAs('l2');
  const panel = await t.app.inject({
    url: `/api/subscribers/${open?.subscriber_id}/session`,
    headers: { cookie },
  });
  // The CPE may have rebooted meanwhile: its session is then the newest of the timeline.
  const shown = panel.json() as { current: { nas: string } | null; timeline: { nas: string }[] };
  expect([shown.current, ...shown.timeline].some((session) => session?.nas === SIMULATED_NAS_NAME)).toBe(true);

  // A NAS reboot: Accounting-On closes its sessions, and they come back.
  await nas.rebootNas();
  expect((await sessions()).some((row) => row.ended_by === 'accounting_on')).toBe(true);
  await until(async () => (await sessions()).some((row) => row.state === 'open'));

  const statistics = await nas.stop();
  expect(statistics.starts).toBeGreaterThan(8);
  expect(statistics.interims).toBeGreaterThan(0);
  expect(statistics.unanswered, said.join('\n')).toBe(0);
  expect((await sessions()).filter((row) => row.state !== 'closed')).toEqual([]);
  expect(await nasList()).toEqual(before);
  await admin.signOut();
});
