import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Desk } from '../../common/api/contacts.js';
import type { SettingsView } from '../../common/api/settings.js';
import type { Role } from '../../common/api/staff.js';
import { contactJobs } from '../../modules/contacts/jobs.js';
import { schedulePbxCommand } from '../../modules/contacts/pbx-commands.js';
import { runDueJobs } from '../../modules/jobs/service.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { type CommandListener, listenForCommands } from './command-listener.js';
import { PBX_EVENTS_PATH } from './routes.js';
import { webhookPbx } from './sender.js';
import { signatureHeaders } from './signature.js';
import type { WireCommand } from './wire.js';

// A call through the generic adapter both ways, over real HTTP on 127.0.0.1: the PBX (an
// in-test server) reports the call, the agent accepts on the desk, the job sends 'connect' to
// the address the administrator configured, and the PBX's answers come back as events.
const secret = 'round-trip-secret-of-the-pbx';
let now = new Date('2026-11-25T09:00:00Z'); // 14:00 in the demo city: the lines are open
let t: TestApp;
let base: string;
let pbx: CommandListener;
let l1: string;
let pbxAnswers = 200;
const commands: WireCommand[] = [];
const refusedByPbx: string[] = [];

const iso = (seconds = 0) => new Date(now.getTime() + seconds * 1000).toISOString();
const later = (seconds: number) => {
  now = new Date(now.getTime() + seconds * 1000);
};

async function report(...events: object[]) {
  const body = JSON.stringify({ events });
  const response = await fetch(`${base}${PBX_EVENTS_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signatureHeaders(secret, body, now) },
    body,
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()).results as { result: { contactId: number; status: string; applied: string } }[];
}

async function as(cookie: string, method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) {
  const response = await t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
  expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
  return response.body ? response.json() : undefined;
}

beforeAll(async () => {
  t = await startTestApp({ clock: () => now });
  base = await t.listen();
  pbx = await listenForCommands({
    secret: () => secret,
    clock: () => now,
    onCommand: (command) => {
      commands.push(command);
      return pbxAnswers;
    },
    onRefused: (status, why) => refusedByPbx.push(`${status} ${why}`),
  });
  // The administrator connects the PBX: its secret and its command URL, through the settings API.
  const admin = await t.loginAs('admin');
  await as(admin, 'PUT', '/api/settings/secrets/pbx.webhookSecret', { value: secret });
  const settings: SettingsView = await as(admin, 'GET', '/api/settings');
  await as(admin, 'PUT', '/api/settings/contacts', {
    version: settings.contactsVersion,
    contacts: { ...settings.contacts, routingMode: 'acd', pbxCommandUrl: pbx.url },
  });
  l1 = await t.loginAs('l1');
});
afterAll(async () => {
  await pbx?.close();
  await t?.close();
});

it('connects the call the agent accepts through a signed command, and takes the PBX’s answers back', async () => {
  const handlers = contactJobs(webhookPbx(t.ctx));
  await as(l1, 'PUT', '/api/desk/state', { state: 'available' });
  const [offered] = await report({
    id: 'rt-1',
    type: 'offered',
    callId: 'rt-call-1',
    timestamp: iso(),
    from: '+79990001122',
    to: '+73432000000',
  });
  const contactId = offered?.result.contactId;
  const desk: Desk = await as(l1, 'GET', '/api/desk');
  expect(desk.offer?.contact.id).toBe(contactId);

  later(3);
  await as(l1, 'POST', `/api/desk/offers/${contactId}/accept`);
  await runDueJobs(t.ctx, handlers);
  const connect = commands.find((command) => command.command === 'connect');
  expect(refusedByPbx).toEqual([]);
  expect(connect).toEqual({
    id: expect.any(String),
    command: 'connect',
    callId: 'rt-call-1',
    contactId,
    extension: '101',
  });

  later(1);
  const [answered] = await report({
    id: 'rt-2',
    type: 'answered',
    callId: 'rt-call-1',
    timestamp: iso(),
    agentExtension: '101',
  });
  expect(answered?.result.status).toBe('connected');
  later(120);
  const [ended] = await report({ id: 'rt-3', type: 'ended', callId: 'rt-call-1', timestamp: iso() });
  expect(ended?.result.status).toBe('after_work');
});

it('leaves a command the PBX refused (500) to the job, which tries again', async () => {
  const handlers = contactJobs(webhookPbx(t.ctx));
  pbxAnswers = 500;
  const before = commands.length;
  // The agent's after-contact work on the last call is over; the PBX is down when the next one comes.
  later(600);
  await runDueJobs(t.ctx, handlers);
  await as(l1, 'PUT', '/api/desk/state', { state: 'available' });
  const [offered] = await report({
    id: 'rt-4',
    type: 'offered',
    callId: 'rt-call-2',
    timestamp: iso(),
    from: '+79990001123',
    to: '+73432000000',
  });
  await as(l1, 'POST', `/api/desk/offers/${offered?.result.contactId}/accept`);
  await runDueJobs(t.ctx, handlers);
  expect(commands.length).toBeGreaterThan(before);
  const [job] = await t.database.rows<{ state: string; attempts: number; lastError: string | null }>(sql`
    select state, attempts, last_error as "lastError" from jobs
    where kind = 'contacts.pbx-command' and payload->>'callId' = 'rt-call-2' and payload->>'command' = 'connect'`);
  expect(job?.state).toBe('pending');
  expect(job?.attempts).toBe(1);
  expect(job?.lastError).toContain('answered 500');

  // The PBX recovers; the retry, once due, gets through.
  pbxAnswers = 200;
  later(3600);
  await runDueJobs(t.ctx, handlers);
  const [retried] = await t.database.rows<{ n: number }>(sql`
    select count(*)::int as n from jobs
    where kind = 'contacts.pbx-command' and payload->>'callId' = 'rt-call-2' and state = 'pending'`);
  expect(retried?.n).toBe(0);
});

it('gives a call whose extension does not answer to the next agent, who is connected instead', async () => {
  const handlers = contactJobs(webhookPbx(t.ctx));
  const maria = await t.loginAs('l1-2' as Role);
  const sergey = await t.loginAs('l1-3' as Role);
  await as(maria, 'PUT', '/api/desk/state', { state: 'available' });
  later(1);
  await as(sergey, 'PUT', '/api/desk/state', { state: 'available' });
  const [offered] = await report({
    id: 'rt-5',
    type: 'offered',
    callId: 'rt-call-3',
    timestamp: iso(),
    from: '+79990001124',
    to: '+73432000000',
  });
  const contactId = offered?.result.contactId;
  await as(maria, 'POST', `/api/desk/offers/${contactId}/accept`);
  await runDueJobs(t.ctx, handlers);
  expect(commands.at(-1)).toMatchObject({ command: 'connect', callId: 'rt-call-3', extension: '102' });

  later(30);
  const [rangOut] = await report({
    id: 'rt-6',
    type: 'unanswered',
    callId: 'rt-call-3',
    timestamp: iso(),
    agentExtension: '102',
  });
  expect(rangOut?.result).toEqual({ contactId, status: 'waiting', applied: 'requeued' });
  expect(((await as(maria, 'GET', '/api/desk')) as Desk).agent.state).toBe('missed');
  const sergeysDesk: Desk = await as(sergey, 'GET', '/api/desk');
  expect(sergeysDesk.offer?.contact.id).toBe(contactId);
  await as(sergey, 'POST', `/api/desk/offers/${contactId}/accept`);
  await runDueJobs(t.ctx, handlers);
  expect(commands.at(-1)).toMatchObject({ command: 'connect', callId: 'rt-call-3', extension: '103' });
});

it('sends a supervisor to a call as a signed supervise command the PBX side takes', async () => {
  const handlers = contactJobs(webhookPbx(t.ctx));
  const before = commands.length;
  await schedulePbxCommand(t.ctx, t.database.db, {
    command: 'supervise',
    callId: 'rt-call-3',
    contactId: 1,
    extension: '401',
    mode: 'whisper',
  });
  await runDueJobs(t.ctx, handlers);
  expect(refusedByPbx).toEqual([]);
  expect(commands.slice(before)).toEqual([
    {
      id: expect.any(String),
      command: 'supervise',
      callId: 'rt-call-3',
      contactId: 1,
      extension: '401',
      mode: 'whisper',
    },
  ]);
});
