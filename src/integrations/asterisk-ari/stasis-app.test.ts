import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '../../common/api/staff.js';
import { contactJobs } from '../../modules/contacts/jobs.js';
import type { SuperviseCommand } from '../../modules/contacts/pbx.js';
import { schedulePbxCommand } from '../../modules/contacts/pbx-commands.js';
import { runDueJobs } from '../../modules/jobs/service.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { type AsteriskAri, startAsteriskAri } from './application.js';
import { callBridgeId, channelIdOf, supervisorBridgeId } from './call-ids.js';
import { ariConfigFor, eventually, FakeAri } from './fake-ari-server.js';
import type { ChannelDestroyed, StasisStart } from './models.js';

// Calls through Linedesk's Stasis application against a fake Asterisk whose REST calls and events
// follow ARI's models (Channel, Bridge, Playback, StasisStart, ChannelDestroyed …), on either engine.
let t: TestApp;
let now = new Date('2026-11-25T09:00:00Z'); // 14:00 in the demo city: the lines are open
const metricsToken = 'metrics-token-for-the-ari-adapter-tests';
let fake: FakeAri;
let ari: AsteriskAri;
let l1: string;
let maria: string; // l1-2, extension 102
let boris: string; // l2, extension 201

const runJobs = () => runDueJobs(t.ctx, contactJobs(ari.pbx));

async function contactOf(callId: string) {
  const [row] = await t.database.rows<{ id: number; status: string; outcome: string | null }>(
    sql`select id::int as id, status, outcome from contacts where call_id = ${callId}`,
  );
  return row;
}
async function timeline(contactId: number) {
  return t.database.rows<{ kind: string; details: Record<string, unknown> | null }>(
    sql`select kind, details from contact_events where contact_id = ${contactId} order by at, id`,
  );
}
const setState = (state: string, cookie = l1) =>
  t.app.inject({ method: 'PUT', url: '/api/desk/state', headers: { cookie }, payload: { state } });

beforeAll(async () => {
  t = await startTestApp({ clock: () => now, env: { METRICS_TOKEN: metricsToken } });
  fake = new FakeAri({ clock: () => now });
  await fake.start();
  l1 = await t.loginAs('l1');
  maria = await t.loginAs('l1-2' as Role);
  boris = await t.loginAs('l2');
  ari = await startAsteriskAri(t.ctx, ariConfigFor(fake), { retryMs: 200 });
  await eventually(() => fake.connected, 'the application holds the event WebSocket');
});
afterAll(async () => {
  await ari?.stop();
  await fake?.close();
  await t?.close();
});
beforeEach(async () => {
  await t.database.db.execute(sql`update agent_states set state = 'offline', calls = 0, chats = 0`);
  await t.database.db.execute(sql`delete from jobs`);
  await t.database.db.execute(sql`update contacts set status = 'ended' where status <> 'ended'`);
  await t.database.db.execute(sql`update agent_states set extension = '101' from staff s
    where s.id = agent_states.staff_id and s.login = 'l1'`);
});

async function answeredCall(from = '+79122345678') {
  expect((await setState('available')).statusCode).toBe(204);
  const call = fake.inboundCall({ from, exten: '88001002030' });
  const contact = await eventually(async () => {
    const row = await contactOf(call.id);
    return row?.status === 'offered' ? row : undefined;
  }, 'the call is offered to l1');
  const accepted = await t.app.inject({
    method: 'POST',
    url: `/api/desk/offers/${contact.id}/accept`,
    headers: { cookie: l1 },
  });
  expect(accepted.statusCode, accepted.body).toBe(204);
  await runJobs();
  const agentChannel = channelIdOf(call.id, 'agent', '101');
  await eventually(
    () => fake.bridges.get(callBridgeId(call.id))?.channels.includes(agentChannel),
    'caller and agent bridged',
  );
  await ari.settled();
  return { call, contact, agentChannel };
}

describe('an inbound call through the Stasis application', () => {
  it('answers with hold music, records the contact, announces the place, bridges the agent who accepts, and ends with the caller', async () => {
    const { call, contact, agentChannel } = await answeredCall();
    // StasisStart → answer and hold music (channels.json answer, startMoh).
    expect(fake.requestsTo('POST', new RegExp(`^/channels/${call.id}/answer$`))).toHaveLength(1);
    expect(fake.requestsTo('POST', new RegExp(`^/channels/${call.id}/moh$`)).length).toBeGreaterThan(0);
    // The place in line, spoken with Asterisk's own sounds and numbers (channels.json play).
    const played = fake.requestsTo('POST', new RegExp(`^/channels/${call.id}/play$`));
    expect(played[0]?.query.media?.split(',')).toEqual(
      expect.arrayContaining(['sound:queue-youarenext', 'sound:queue-thankyou']),
    );
    // The agent's phone rung into the application (channels.json originate with channelId and appArgs).
    const [originate] = fake.requestsTo('POST', /^\/channels$/);
    expect(originate?.query).toMatchObject({ endpoint: 'PJSIP/101', app: 'linedesk', channelId: agentChannel });
    expect(fake.bridges.get(callBridgeId(call.id))).toMatchObject({ bridge_type: 'mixing' });
    const connected = await eventually(async () => {
      const events = await timeline(contact.id);
      return events.some((event) => event.kind === 'answered') ? events : undefined;
    }, 'the answer on the timeline');
    expect(connected.find((event) => event.kind === 'answered')?.details).toEqual({ extension: '101' });
    expect((await contactOf(call.id))?.status).toBe('connected');

    // The caller presses a key: a dtmf event on the contact (ChannelDtmfReceived).
    fake.pressDigit(call.id, '5');
    await eventually(async () => (await timeline(contact.id)).some((event) => event.kind === 'dtmf'), 'the key');

    fake.hangUpPhone(call.id);
    await eventually(async () => (await contactOf(call.id))?.status === 'after_work', 'after-contact work');
    await ari.settled();
    // The agent's leg and the bridge go with the caller.
    expect(fake.channels.has(agentChannel)).toBe(false);
    expect(fake.bridges.has(callBridgeId(call.id))).toBe(false);
  });

  it('counts a caller who hangs up while waiting as an abandon, and tells the next of the line their place', async () => {
    const first = fake.inboundCall({ from: '+79122340001', exten: '88001002030' });
    await eventually(() => contactOf(first.id), 'the first waiting');
    const second = fake.inboundCall({ from: '+79122340002', exten: '88001002030' });
    await eventually(async () => (await contactOf(second.id))?.status === 'waiting', 'both waiting');
    await runJobs();
    const spoken = fake.requestsTo('POST', new RegExp(`^/channels/${second.id.replace('.', '\\.')}/play$`));
    // Nobody serves the line: second in line, wait unknown (no minutes said), and a callback
    // offered: two announcements asked for at once, which Asterisk plays one after the other.
    expect(spoken.map((request) => request.query.media).sort()).toEqual([
      'sound:linedesk-callback-offer,digits:1',
      'sound:queue-thereare,number:2,sound:queue-callswaiting,sound:queue-thankyou',
    ]);
    // The announcements over, the hold music comes back once, after the last (PlaybackFinished).
    const holdMusic = () => fake.requestsTo('POST', new RegExp(`^/channels/${second.id.replace('.', '\\.')}/moh$`));
    await eventually(() => holdMusic().length >= 2, 'hold music again after the announcements');
    await ari.settled();
    expect(holdMusic()).toHaveLength(2);
    const finished = fake.sent.filter(
      (event) => event.type === 'PlaybackFinished' && event.playback.target_uri === `channel:${second.id}`,
    );
    expect(finished).toHaveLength(2);

    fake.hangUpPhone(first.id);
    const abandoned = await eventually(async () => {
      const row = await contactOf(first.id);
      return row?.status === 'ended' ? row : undefined;
    }, 'the abandon');
    expect(abandoned.outcome).toBe('abandoned');
    fake.hangUpPhone(second.id);
    await eventually(async () => (await contactOf(second.id))?.status === 'ended', 'the second abandon');
  });

  it('the agent does not answer → the next agent: the caller stays on hold music, goes back to the head of the line, and is bridged to the next agent who accepts', async () => {
    fake.endpoints.set('PJSIP/101', { answer: false, afterMs: 30 });
    try {
      expect((await setState('available')).statusCode).toBe(204);
      const call = fake.inboundCall({ from: '+79122340003', exten: '88001002030' });
      const contact = await eventually(async () => {
        const row = await contactOf(call.id);
        return row?.status === 'offered' ? row : undefined;
      }, 'offered to l1');
      // Maria (l1-2, extension 102) comes to the desk while the call rings at Anna's.
      expect((await setState('available', maria)).statusCode).toBe(204);
      await t.app.inject({ method: 'POST', url: `/api/desk/offers/${contact.id}/accept`, headers: { cookie: l1 } });
      await runJobs();
      const rangOut = (await eventually(
        () =>
          fake.sent.find(
            (event): event is ChannelDestroyed =>
              event.type === 'ChannelDestroyed' && event.channel.id === channelIdOf(call.id, 'agent', '101'),
          ),
        "Anna's leg destroyed",
      )) as ChannelDestroyed;
      expect(rangOut.cause).toBe(19);
      // Reported as unanswered: back in the queue and straight on to Maria, Anna missed.
      await eventually(async () => (await contactOf(call.id))?.status === 'offered', 'offered to the next agent');
      await ari.settled();
      const annasDesk = await t.app.inject({ method: 'GET', url: '/api/desk', headers: { cookie: l1 } });
      expect(annasDesk.json().agent.state).toBe('missed');
      const mariasDesk = await t.app.inject({ method: 'GET', url: '/api/desk', headers: { cookie: maria } });
      expect(mariasDesk.json().offer?.contact.id).toBe(contact.id);
      // Meanwhile the caller is on hold music (between the announcements) and no bridge was made.
      await eventually(() => fake.channels.get(call.id)?.moh, 'the caller on hold music');
      expect(fake.bridges.has(callBridgeId(call.id))).toBe(false);

      const accepted = await t.app.inject({
        method: 'POST',
        url: `/api/desk/offers/${contact.id}/accept`,
        headers: { cookie: maria },
      });
      expect(accepted.statusCode, accepted.body).toBe(204);
      await runJobs();
      const mariasLeg = channelIdOf(call.id, 'agent', '102');
      await eventually(
        () => fake.bridges.get(callBridgeId(call.id))?.channels.includes(mariasLeg),
        'the caller bridged to Maria',
      );
      await eventually(async () => {
        const events = await timeline(contact.id);
        return events.some((event) => event.kind === 'answered') ? events : undefined;
      }, 'the answer on the timeline');
      const events = await timeline(contact.id);
      expect(events.filter((event) => ['unanswered', 'answered'].includes(event.kind))).toEqual([
        { kind: 'unanswered', details: { extension: '101' } },
        { kind: 'answered', details: { extension: '102' } },
      ]);
      const [row] = await t.database.rows<{ status: string; login: string }>(sql`
        select c.status, s.login from contacts c join staff s on s.id = c.agent_id where c.call_id = ${call.id}`);
      expect(row).toEqual({ status: 'connected', login: 'l1-2' });
      fake.hangUpPhone(call.id);
      await eventually(async () => (await contactOf(call.id))?.status === 'after_work', 'after-contact work');
    } finally {
      fake.endpoints.delete('PJSIP/101');
    }
  });

  it("gives the call to the queue again when Asterisk cannot ring the agent's endpoint at all", async () => {
    fake.endpoints.set('PJSIP/101', { refused: 400 });
    try {
      expect((await setState('available')).statusCode).toBe(204);
      const call = fake.inboundCall({ from: '+79122340010', exten: '88001002030' });
      const contact = await eventually(async () => {
        const row = await contactOf(call.id);
        return row?.status === 'offered' ? row : undefined;
      }, 'offered to l1');
      await t.app.inject({ method: 'POST', url: `/api/desk/offers/${contact.id}/accept`, headers: { cookie: l1 } });
      await runJobs();
      expect((await contactOf(call.id))?.status).toBe('waiting');
      expect((await timeline(contact.id)).map((event) => event.kind)).toContain('unanswered');
      // The command is done (the job does not try the same phone again).
      const [job] = await t.database.rows<{ state: string }>(sql`
        select state from jobs where kind = 'contacts.pbx-command' and payload->>'command' = 'connect'
          and payload->>'callId' = ${call.id}`);
      expect(job?.state).not.toBe('pending');
      expect(fake.channels.has(call.id)).toBe(true);
      fake.hangUpPhone(call.id);
      await eventually(async () => (await contactOf(call.id))?.outcome === 'abandoned', 'the caller gave up');
    } finally {
      fake.endpoints.delete('PJSIP/101');
    }
  });
});

describe('a transfer to another line', () => {
  it("takes the caller out of the bridge, back to hold music in line 2's queue, and bridges line 2's agent who accepts", async () => {
    const { call, contact, agentChannel } = await answeredCall('+79122340013');
    expect((await setState('available', boris)).statusCode).toBe(204);
    const moved = await t.app.inject({
      method: 'POST',
      url: `/api/contacts/${contact.id}/transfer`,
      headers: { cookie: l1 },
      payload: { line: 'l2' },
    });
    expect(moved.statusCode, moved.body).toBe(204);
    await runJobs();
    await eventually(() => !fake.channels.has(agentChannel), "Anna's leg released");
    await ari.settled();
    expect(fake.bridges.has(callBridgeId(call.id))).toBe(false);
    await eventually(() => fake.channels.get(call.id)?.moh, 'the caller on hold music again');
    // Anna's leg went after it was picked up: not a phone that failed to answer.
    expect((await timeline(contact.id)).map((event) => event.kind)).not.toContain('unanswered');
    const [row] = await t.database.rows<{ status: string; line: string }>(
      sql`select status, line from contacts where id = ${contact.id}`,
    );
    expect(row).toEqual({ status: 'offered', line: 'l2' });

    const accepted = await t.app.inject({
      method: 'POST',
      url: `/api/desk/offers/${contact.id}/accept`,
      headers: { cookie: boris },
    });
    expect(accepted.statusCode, accepted.body).toBe(204);
    await runJobs();
    const borisLeg = channelIdOf(call.id, 'agent', '201');
    await eventually(
      () => fake.bridges.get(callBridgeId(call.id))?.channels.includes(borisLeg),
      "the caller bridged to line 2's agent",
    );
    expect(fake.bridges.get(callBridgeId(call.id))?.channels.sort()).toEqual([call.id, borisLeg].sort());
    fake.hangUpPhone(call.id);
    await eventually(async () => (await contactOf(call.id))?.status === 'after_work', 'after-contact work');
  });
});

describe('after the event WebSocket was down', () => {
  it('records a call that arrived meanwhile, and releases a caller whose agent hung up meanwhile', async () => {
    const { call: talking, agentChannel } = await answeredCall('+79122340008');
    fake.dropConnection();
    // Nobody hears these: Asterisk drops an application's events while it has no WebSocket.
    const arrived = fake.inboundCall({ from: '+79122340009', exten: '88001002030' });
    fake.hangUpPhone(agentChannel);
    await eventually(() => fake.connected, 'connected again');
    // Reconciled (GET /channels, /bridges): the new caller answered and recorded …
    await eventually(async () => (await contactOf(arrived.id))?.status, 'the unheard arrival recorded');
    expect(fake.requestsTo('POST', new RegExp(`^/channels/${arrived.id.replace('.', '\\.')}/answer$`))).toHaveLength(1);
    // … and the caller left alone in the bridge released, into after-contact work.
    await eventually(async () => (await contactOf(talking.id))?.status === 'after_work', 'the lone caller released');
    expect(fake.channels.has(talking.id)).toBe(false);
    fake.hangUpPhone(arrived.id);
    await eventually(async () => (await contactOf(arrived.id))?.status === 'ended', 'ended');
  });
});

describe('after the event WebSocket was down while an agent was rung', () => {
  it("gives the call to the queue again when the agent's phone rang out unheard", async () => {
    fake.endpoints.set('PJSIP/101', { answer: false, afterMs: 5 });
    try {
      expect((await setState('available')).statusCode).toBe(204);
      const call = fake.inboundCall({ from: '+79122340011', exten: '88001002030' });
      const contact = await eventually(async () => {
        const row = await contactOf(call.id);
        return row?.status === 'offered' ? row : undefined;
      }, 'offered to l1');
      await t.app.inject({ method: 'POST', url: `/api/desk/offers/${contact.id}/accept`, headers: { cookie: l1 } });
      // Longer ago than the phone rings by the time the application looks again.
      now = new Date(now.getTime() + 60_000);
      fake.dropConnection();
      await runJobs();
      const leg = channelIdOf(call.id, 'agent', '101');
      await eventually(() => fake.requestsTo('POST', /^\/channels$/).some((r) => r.query.channelId === leg), 'rung');
      await eventually(() => fake.connected, 'connected again');
      await eventually(async () => (await contactOf(call.id))?.status === 'waiting', 'back in the queue');
      expect(fake.sent.some((event) => event.type === 'ChannelDestroyed' && event.channel.id === leg)).toBe(false);
      expect((await timeline(contact.id)).map((event) => event.kind)).toContain('unanswered');
      const desk = await t.app.inject({ method: 'GET', url: '/api/desk', headers: { cookie: l1 } });
      expect(desk.json().agent.state).toBe('missed');
      fake.hangUpPhone(call.id);
      await eventually(async () => (await contactOf(call.id))?.status === 'ended', 'ended');
    } finally {
      fake.endpoints.delete('PJSIP/101');
    }
  });
});

describe('commands through ARI', () => {
  it("originates an outbound call: the agent's phone first, then the number, bridged together", async () => {
    await ari.pbx.originate({ contactId: 9001, extension: '101', number: '+79122345678' });
    const bridge = await eventually(() => fake.bridges.get('linedesk-outbound-9001'), 'the outbound bridge');
    await eventually(() => bridge.channels.length === 2, 'both legs bridged');
    expect(bridge.channels.sort()).toEqual(
      [channelIdOf('outbound-9001', 'outbound', '101'), channelIdOf('outbound-9001', 'callee', '+79122345678')].sort(),
    );
    const [agentLeg, numberLeg] = fake.requestsTo('POST', /^\/channels$/).slice(-2);
    expect(agentLeg?.query).toMatchObject({ endpoint: 'PJSIP/101', appArgs: 'outbound,+79122345678' });
    expect(numberLeg?.query).toMatchObject({ endpoint: 'Local/+79122345678@linedesk-outbound' });
    fake.hangUpPhone(channelIdOf('outbound-9001', 'callee', '+79122345678'));
    await eventually(() => !fake.channels.has(channelIdOf('outbound-9001', 'outbound', '101')), 'the agent released');
  });

  it('hangs up a call on command, and a second hang-up of the gone call is a no-op', async () => {
    const call = fake.inboundCall({ from: '+79122340004', exten: '88001002030' });
    const contact = await eventually(() => contactOf(call.id), 'recorded');
    await ari.pbx.hangUp({ callId: call.id, contactId: contact.id });
    await ari.pbx.hangUp({ callId: call.id, contactId: contact.id });
    await eventually(async () => (await contactOf(call.id))?.outcome === 'abandoned', 'ended');
  });

  it('lets a supervisor listen in through a snoop channel, and barge in by joining the bridge', async () => {
    const { call, contact, agentChannel } = await answeredCall('+79122340005');
    // As the contacts module sends it: a PBX command job.
    const supervise = async (command: SuperviseCommand) => {
      await schedulePbxCommand(t.ctx, t.database.db, { command: 'supervise', ...command });
      await runJobs();
    };
    await supervise({ callId: call.id, contactId: contact.id, extension: '201', mode: 'listen' });
    const listening = await eventually(
      () => fake.bridges.get(supervisorBridgeId(call.id, '201'))?.channels.length === 2,
      "the supervisor's bridge with the snoop",
    );
    expect(listening).toBe(true);
    const [snoop] = fake.requestsTo('POST', /\/snoop$/);
    expect(snoop?.path).toBe(`/channels/${encodeURIComponent(agentChannel)}/snoop`.replace(/%2E/g, '.'));
    expect(snoop?.query).toMatchObject({ spy: 'both', whisper: 'none', app: 'linedesk' });
    // The caller's bridge is untouched: nobody hears the supervisor.
    expect(fake.bridges.get(callBridgeId(call.id))?.channels).toHaveLength(2);

    await supervise({ callId: call.id, contactId: contact.id, extension: '202', mode: 'barge' });
    await eventually(
      () => fake.bridges.get(callBridgeId(call.id))?.channels.includes(channelIdOf(call.id, 'supervisor', '202')),
      'the supervisor in the call',
    );
    expect(fake.bridges.get(callBridgeId(call.id))?.channels).toHaveLength(3);
    // Whispering: the supervisor's voice goes out to the agent's leg alone.
    await supervise({ callId: call.id, contactId: contact.id, extension: '203', mode: 'whisper' });
    await eventually(
      () => fake.bridges.get(supervisorBridgeId(call.id, '203'))?.channels.length === 2,
      "the whisperer's bridge with the snoop",
    );
    expect(fake.requestsTo('POST', /\/snoop$/)[1]?.query).toMatchObject({ spy: 'both', whisper: 'out' });
    expect(fake.bridges.get(callBridgeId(call.id))?.channels).toHaveLength(3);
    // A late announcement does not talk over the conversation.
    const plays = fake.requestsTo('POST', /\/play$/).length;
    await ari.pbx.announce({
      callId: call.id,
      contactId: contact.id,
      announcement: { kind: 'position', position: 2, minutes: 1 },
    });
    expect(fake.requestsTo('POST', /\/play$/)).toHaveLength(plays);
    // The listening supervisor hangs up: their snoop and bridge go, the call goes on.
    fake.hangUpPhone(channelIdOf(call.id, 'supervisor', '201'));
    await eventually(() => !fake.bridges.has(supervisorBridgeId(call.id, '201')), "the supervisor's bridge gone");
    expect(fake.channels.has(channelIdOf(call.id, 'snoop', '201'))).toBe(false);
    expect(fake.channels.has(call.id)).toBe(true);
    fake.hangUpPhone(call.id);
    await eventually(async () => (await contactOf(call.id))?.status === 'after_work', 'after-contact work');
    await ari.settled();
    expect(fake.channels.has(channelIdOf(call.id, 'supervisor', '202'))).toBe(false);
  });

  it("lets a supervisor take the call over: the agent's leg leaves and the caller stays with the supervisor", async () => {
    const { call, contact, agentChannel } = await answeredCall('+79122340006');
    await ari.pbx.supervise?.({ callId: call.id, contactId: contact.id, extension: '201', mode: 'takeover' });
    const supervisor = channelIdOf(call.id, 'supervisor', '201');
    await eventually(() => !fake.channels.has(agentChannel), "the agent's leg hung up");
    await ari.settled();
    expect(fake.bridges.get(callBridgeId(call.id))?.channels.sort()).toEqual([call.id, supervisor].sort());
    expect(fake.channels.has(call.id)).toBe(true);
    fake.hangUpPhone(call.id);
    await eventually(async () => (await contactOf(call.id))?.status === 'after_work', 'after-contact work');
  });

  it('reports an inbound StasisStart with a menu choice as the line that choice picks', async () => {
    const call = fake.inboundCall({ from: '+79122340007', exten: 's', args: ['2'] });
    await eventually(() => contactOf(call.id), 'recorded');
    const [row] = await t.database.rows<{ line: string; dialled: string }>(
      sql`select line, dialled from contacts where call_id = ${call.id}`,
    );
    expect(row).toEqual({ line: 'l2', dialled: '2' });
    const start = fake.sent.find(
      (event): event is StasisStart => event.type === 'StasisStart' && event.channel.id === call.id,
    );
    expect(start?.channel.dialplan).toMatchObject({ app_name: 'Stasis', app_data: 'linedesk,2' });
    fake.hangUpPhone(call.id);
    await eventually(async () => (await contactOf(call.id))?.status === 'ended', 'ended');
  });
});

describe('on /metrics', () => {
  it('shows the connection, the events by type, the commands by outcome and the reconnections', async () => {
    fake.endpoints.set('PJSIP/999', { refused: 500 });
    try {
      await expect(ari.pbx.connect({ callId: 'gone-call', contactId: 1, extension: '999' })).resolves.toBeUndefined();
      const call = fake.inboundCall({ from: '+79122340012', exten: '88001002030' });
      await eventually(() => contactOf(call.id), 'recorded');
      await expect(ari.pbx.connect({ callId: call.id, contactId: 1, extension: '999' })).rejects.toThrow(/500/);
      fake.hangUpPhone(call.id);
      await eventually(async () => (await contactOf(call.id))?.status === 'ended', 'ended');
    } finally {
      fake.endpoints.delete('PJSIP/999');
    }
    const response = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${metricsToken}` } });
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/^linedesk_ari_connected 1$/m);
    expect(response.body).toMatch(/^linedesk_ari_events_total\{type="StasisStart"\} [1-9]/m);
    expect(response.body).toMatch(/^linedesk_ari_events_total\{type="ChannelDestroyed"\} [1-9]/m);
    expect(response.body).toMatch(/^linedesk_ari_commands_total\{command="connect",outcome="sent"\} [1-9]/m);
    expect(response.body).toMatch(/^linedesk_ari_commands_total\{command="connect",outcome="failed"\} [1-9]/m);
    // The WebSocket was dropped twice in the tests above and connected again each time.
    expect(response.body).toMatch(/^linedesk_ari_reconnects_total [2-9]/m);
  });
});
