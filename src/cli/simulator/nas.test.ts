import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { NasAnswer, SessionPanel } from '../../common/api/nas-sessions.js';
import { Random } from '../../demo-data/random.js';
import { sendDynamicAuthorization } from '../../integrations/radius/dynamic-authorization.js';
import { type RadiusAccounting, startRadiusAccounting } from '../../integrations/radius/listener.js';
import { listedNases } from '../../modules/settings/nas.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { LinedeskClient } from './linedesk-client.js';
import { SIMULATED_NAS_NAME, SimulatedNas } from './nas.js';

// The simulator's NAS against a whole app over real HTTP and its RADIUS listener on 127.0.0.1:
// it lists itself, demo subscribers' sessions appear on their cards, a NAS reboot closes them and
// they come back, and on stop the NAS list is as it was and its sessions are closed; the agents'
// Disconnect and CoA reach it and it answers them as a MikroTik does.
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
  // Its CoA port taken by another program: it says so and plays on.
  const squatter = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => squatter.bind(0, '127.0.0.13', resolve));
  const takenPort = (squatter.address() as AddressInfo).port;
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
    coaPort: takenPort,
  });
  await nas.start();
  expect((await nasList()).map((listed) => listed.name)).toContain(SIMULATED_NAS_NAME);
  expect(nas.statistics.subscribers, said.join('\n')).toBe(8);
  expect(
    said.filter((line) => line.includes(`cannot listen for Disconnect and CoA on 127.0.0.13:${takenPort}`)),
  ).toHaveLength(1);

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
  squatter.close();
});

it("answers the agents' Disconnect and CoA as a MikroTik does, NAKs a session it does not have, drops what does not verify", async () => {
  const admin = new LinedeskClient(base, 'admin');
  await admin.signIn('demo');
  const said: string[] = [];
  const nas = new SimulatedNas({
    admin,
    radiusHost: '127.0.0.1',
    radiusPort: radius.port,
    random: new Random(11),
    // A simulated second in 20 ms: the CPE dials again within a fraction of a real second.
    speed: 50,
    say: (text) => said.push(text),
    subscribers: 4,
    cpeRebootMinutes: 100_000,
    nasRebootMinutes: 100_000,
    coaPort: 0,
  });
  await nas.start();
  try {
    const served = () =>
      t.database.rows<{ subscriber_id: number; acct_session_id: string }>(sql`
        select s.subscriber_id, s.acct_session_id from nas_sessions s join accounts a on a.id = s.account_id
        where s.nas = ${SIMULATED_NAS_NAME} and s.state = 'open' and a.state <> 'closed' order by s.id`);
    await until(async () => (await served()).length > 0);
    const [online] = await served();
    const subscriberId = online?.subscriber_id ?? 0;
    const cookie = await t.loginAs('l2');
    const act = async (action: 'disconnect' | 'reapply') => {
      const response = await t.app.inject({
        method: 'POST',
        url: `/api/subscribers/${subscriberId}/session/actions`,
        headers: { cookie },
        payload: { action },
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as NasAnswer;
    };
    const panel = async () =>
      (
        await t.app.inject({ url: `/api/subscribers/${subscriberId}/session`, headers: { cookie } })
      ).json() as SessionPanel;

    // Disconnect: ACK, the session closes with Admin-Reset, and the CPE's new session comes up.
    expect(await act('disconnect')).toMatchObject({ request: 'disconnect', answer: 'ack', errorCause: null });
    await until(async () => {
      const { current, timeline } = await panel();
      const ended = timeline.find((session) => session.acctSessionId === online?.acct_session_id);
      return ended?.state === 'closed' && current?.state === 'open' && current.acctSessionId !== ended.acctSessionId;
    }, 10_000);
    const { timeline } = await panel();
    expect(timeline.find((session) => session.acctSessionId === online?.acct_session_id)?.terminateCause).toBe(
      'Admin Reset',
    );

    // Re-apply: the account's speed or walled garden by CoA, acknowledged on the session it has now.
    expect(await act('reapply')).toMatchObject({ request: 'coa', answer: 'ack', errorCause: null });

    // At the socket: a session it does not have gets a NAK 503; a request under another secret no answer.
    const listed = (await listedNases(t.ctx)).find((listedNas) => listedNas.name === SIMULATED_NAS_NAME);
    expect(listed?.address).toBe(nas.address);
    const endpoint = { address: nas.address, port: listed?.coaPort ?? 0, secret: listed?.secret ?? Buffer.alloc(0) };
    const quick = { timeoutMs: 200, tries: 2 };
    expect(
      await sendDynamicAuthorization(endpoint, 'disconnect', [['Acct-Session-Id', 'not-a-session']], quick),
    ).toEqual({ answer: 'nak', errorCause: 503, errorCauseWords: 'Session Context Not Found' });
    const open = (await panel()).current;
    const forged = await sendDynamicAuthorization(
      { ...endpoint, secret: Buffer.from('not-the-secret-of-this-nas') },
      'disconnect',
      [['Acct-Session-Id', open?.acctSessionId ?? '']],
      quick,
    );
    expect(forged).toEqual({ answer: 'no-answer', errorCause: null, errorCauseWords: null });
    expect((await panel()).current?.acctSessionId).toBe(open?.acctSessionId);

    expect(nas.statistics).toMatchObject({ disconnects: 1, coas: 1, naks: 1, dropped: 2 });
    expect(said.filter((line) => line.includes('-Request'))).toHaveLength(5);
    expect(
      said.some((line) => /CoA-ACK, Mikrotik-(Rate-Limit|Address-List) \S/.test(line)),
      said.join('\n'),
    ).toBe(true);
  } finally {
    await nas.stop();
    await admin.signOut();
  }
});
