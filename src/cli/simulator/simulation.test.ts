import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SettingsView } from '../../common/api/settings.js';
import { Random } from '../../demo-data/random.js';
import { webhookPbx } from '../../integrations/pbx-webhook/sender.js';
import { contactJobs, contactRecurringJobs } from '../../modules/contacts/jobs.js';
import { type JobRunner, startJobRunner } from '../../modules/jobs/service.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { diallingPlan, startSimulation } from './simulation.js';

// The simulator against a whole app over real HTTP on 127.0.0.1, with the job runner main.ts
// starts: calls arrive, are answered by the simulated agents and end, and on stop nothing is left
// on the line and the settings are as they were.
let t: TestApp;
let base: string;
let runner: JobRunner;
const said: string[] = [];

beforeAll(async () => {
  // The simulator signs with the real time, so the app runs on it too.
  t = await startTestApp({ clock: () => new Date() });
  base = await t.listen();
  runner = startJobRunner(t.ctx, contactJobs(webhookPbx(t.ctx)), { pollMs: 100, every: contactRecurringJobs });
});
afterAll(async () => {
  await runner?.stop();
  await t?.close();
});

async function settings(): Promise<SettingsView> {
  const admin = await t.loginAs('admin');
  return (await t.app.inject({ url: '/api/settings', headers: { cookie: admin } })).json();
}

it('plays a PBX and agents: calls are answered and ended, and on stop nothing is left on the line and the settings are back', async () => {
  const before = await settings();
  const simulation = await startSimulation({
    url: base,
    rate: 360,
    agents: 7,
    speed: 20,
    seed: 3,
    password: 'demo',
    openLines: true,
    agentPollMs: 200,
    say: (text) => said.push(text),
  });
  expect(new URL(simulation.commandUrl).hostname).toBe('127.0.0.1');
  expect(simulation.agents).toHaveLength(7);
  const during = await settings();
  expect(during.contacts.pbxCommandUrl).toBe(simulation.commandUrl);
  expect(during.lines.every((line) => line.alwaysOpen)).toBe(true);

  // Until a call has gone through its whole life: answered, talked, ended by the agent (on a
  // busy machine that takes longer than the simulated minutes suggest).
  const deadline = Date.now() + 90_000;
  const ended = () => simulation.progress().agents.reduce((total, agent) => total + agent.ended, 0);
  while (ended() < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
  const summary = await simulation.stop();

  const placed = Object.values(summary.phones.placed).reduce((a, b) => a + b, 0);
  expect(placed, said.join('\n')).toBeGreaterThan(5);
  expect(summary.phones.eventsRefused, said.join('\n')).toBe(0);
  expect(summary.phones.answered, said.join('\n')).toBeGreaterThan(0);
  expect(summary.phones.commands.connect).toBeGreaterThan(0);
  expect(summary.agents.reduce((total, agent) => total + agent.ended, 0)).toBeGreaterThan(0);

  // Every simulated call is over in Linedesk, and every simulated agent is logged off.
  const open = await t.database.rows<{ n: number }>(sql`select count(*)::int as n from contacts
    where call_id like 'sim-%' and status in ('waiting', 'offered', 'connected')`);
  expect(open[0]?.n).toBe(0);
  const agents = await t.database.rows<{ login: string; state: string }>(sql`
    select staff.login, agent_states.state from agent_states join staff on staff.id = agent_states.staff_id
    where staff.login = any(${sql.param(simulation.agents)}::text[])`);
  expect(agents.map((agent) => agent.state)).toEqual(agents.map(() => 'offline'));

  const after = await settings();
  expect(after.contacts).toEqual(before.contacts);
  expect(after.lines.map((line) => line.alwaysOpen)).toEqual(before.lines.map((line) => line.alwaysOpen));
  expect(after.secrets.find((secret) => secret.name === 'pbx.webhookSecret')?.set).toBe(false);
});

it('reaches each line by the numbers and menu choices the settings give it, in the usual shares', async () => {
  const plan = diallingPlan((await settings()).lines);
  expect(plan.items).toEqual([
    { line: 'l1', to: '8-800-100-20-30', menuChoice: '1' },
    { line: 'l2', to: '8-800-100-20-30', menuChoice: '2' },
    { line: 'l3', to: '8-800-100-20-30', menuChoice: '3' },
  ]);
  const random = new Random(1);
  const counts: Record<string, number> = {};
  for (let i = 0; i < 10_000; i++) {
    const { line } = plan.pick(random);
    counts[line] = (counts[line] ?? 0) + 1;
  }
  expect((counts.l1 ?? 0) / 10_000).toBeCloseTo(0.7, 1);
  expect((counts.l2 ?? 0) / 10_000).toBeCloseTo(0.25, 1);
  expect((counts.l3 ?? 0) / 10_000).toBeCloseTo(0.05, 1);
});
