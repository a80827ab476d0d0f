import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Pbx, PbxCommand } from '../../modules/contacts/pbx.js';
import { applyPbxEvent } from '../../modules/contacts/pbx-events.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { type AsteriskAri, startAsteriskAri } from './application.js';
import { ariBesideWebhook } from './beside-webhook.js';
import { ariConfigFor, eventually, FakeAri } from './fake-ari-server.js';

// Asterisk on ARI and another PBX on the generic webhook at once: each hears only of its own calls.
let t: TestApp;
const now = new Date('2026-11-25T09:00:00Z');
let fake: FakeAri;
let ari: AsteriskAri;
const toWebhook: PbxCommand[] = [];
const webhook: Pbx = {
  connect: async (command) => void toWebhook.push({ command: 'connect', ...command }),
  announce: async (command) => void toWebhook.push({ command: 'announce', ...command }),
  transfer: async (command) => void toWebhook.push({ command: 'transfer', ...command }),
  originate: async (command) => void toWebhook.push({ command: 'originate', ...command }),
  hangUp: async (command) => void toWebhook.push({ command: 'hangUp', ...command }),
};

beforeAll(async () => {
  t = await startTestApp({ clock: () => now });
  await t.database.db.execute(sql`update agent_states set state = 'offline', calls = 0, chats = 0`);
  fake = new FakeAri({ clock: () => now });
  await fake.start();
  ari = await startAsteriskAri(t.ctx, ariConfigFor(fake), { retryMs: 200 });
  await eventually(() => fake.connected, 'connected');
});
afterAll(async () => {
  await ari?.stop();
  await fake?.close();
  await t?.close();
});

const statusOf = async (callId: string) =>
  (await t.database.rows<{ status: string }>(sql`select status from contacts where call_id = ${callId}`))[0]?.status;

it("sends each call's commands to the PBX that reported it, and leaves the webhook's calls out of the reconciliation", async () => {
  const viaWebhook = await applyPbxEvent(t.ctx, {
    kind: 'offered',
    eventId: 'webhook-1-offered',
    callId: 'webhook-call-1',
    at: now,
    from: '+79122345610',
    dialled: '8-800-100-20-30',
  });
  const viaAri = fake.inboundCall({ from: '+79122345611', exten: '88001002030' });
  await eventually(async () => (await statusOf(viaAri.id)) === 'waiting', 'the ARI call waiting');
  const pbx = ariBesideWebhook(t.ctx, ari.pbx, webhook);

  await pbx.hangUp({ callId: 'webhook-call-1', contactId: viaWebhook.result.contactId });
  expect(toWebhook).toEqual([{ command: 'hangUp', callId: 'webhook-call-1', contactId: viaWebhook.result.contactId }]);
  expect(fake.requestsTo('DELETE', /^\/channels\//)).toHaveLength(0);

  // The WebSocket drops and comes back: the reconciliation does not end the webhook's call, which
  // Asterisk knows nothing of.
  fake.dropConnection();
  await eventually(() => fake.connected, 'connected again');
  await new Promise((resolve) => setTimeout(resolve, 200));
  await ari.settled();
  expect(await statusOf('webhook-call-1')).toBe('waiting');
  expect(await statusOf(viaAri.id)).toBe('waiting');

  await pbx.hangUp({ callId: viaAri.id, contactId: 0 });
  expect(fake.requestsTo('DELETE', /^\/channels\//)).toHaveLength(1);
  expect(toWebhook).toHaveLength(1);
  await eventually(async () => (await statusOf(viaAri.id)) === 'ended', 'the ARI call ended');
});
