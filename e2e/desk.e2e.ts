import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { PhoneLookup } from '../src/common/api/identification.js';
import type { SettingsView } from '../src/common/api/settings.js';
import type { Me } from '../src/common/api/staff.js';
import type { SubscriberCard, SubscriberList } from '../src/common/api/subscribers.js';
import { demoPassword, launchBrowser, logIn } from './browser.js';
import { freePort, type OwnServer, startServer, stopServer } from './server.js';

/**
 * The browser test: a call arrives from the PBX, the line 1 agent sees it ring with the
 * caller's card, accepts, notes, ends it with a reason and an outcome, and the supervisor's board
 * follows every step.
 *
 * Where the two browsers connect: with TEST_DATABASE_URL set (CI's .ci/run exports it before the
 * browser tests), this file starts two app instances of its own on a fresh PostgreSQL database —
 * the agent and the PBX on one, the supervisor's board on the other — so the board's updates
 * cross instances through LISTEN/NOTIFY. Without it (a bare `npm run test:e2e` on PGlite, which
 * is one process by design), both browsers use the shared server, and the test checks the same
 * steps on one instance.
 */
const databaseUrl = process.env.TEST_DATABASE_URL;
const twoInstances = Boolean(databaseUrl);

/** A live wake-up reaches a browser within a second (the issue); polling alone would take 15 s. */
const liveWithin = 5_000;

const pbxSecret = randomBytes(24).toString('hex');

/** What a PBX sends: the body signed as docs/integrations/telephony.md says, computed here independently. */
function signed(body: string, secret: string) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return {
    'content-type': 'application/json',
    'x-linedesk-timestamp': timestamp,
    'x-linedesk-signature': `sha256=${digest}`,
  };
}

async function json<T>(response: Awaited<ReturnType<APIRequestContext['get']>>, what: string): Promise<T> {
  expect(response.status(), `${what}: ${await response.text()}`).toBeLessThan(300);
  return (await response.json()) as T;
}

/** A fresh database for this file's two instances, dropped afterwards (tests own their database). */
async function withAdminClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

function databaseUrlFor(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

describe('a call on the desk and the board', () => {
  let browser: Browser;
  let agentBase: string;
  let boardBase: string;
  const servers: OwnServer[] = [];
  const dataDirs: string[] = [];
  const database = `linedesk_e2e_desk_${process.pid}_${Date.now()}`;

  beforeAll(async () => {
    browser = await launchBrowser();
    if (!databaseUrl) {
      agentBase = inject('baseUrl');
      boardBase = agentBase;
      return;
    }
    await withAdminClient(databaseUrl, (client) => client.query(`create database ${database}`));
    // Both instances seal secrets with one key: the secret set through one is read by the other.
    const env = { DATABASE_URL: databaseUrlFor(databaseUrl, database), SETTINGS_KEY: randomBytes(32).toString('hex') };
    // One after the other: the first migrates and generates the demo ISP, the second finds it there.
    for (let index = 0; index < 2; index += 1) {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `linedesk-e2e-desk-${index}-`));
      dataDirs.push(dataDir);
      servers.push(await startServer({ port: await freePort(), dataDir, env }));
    }
    agentBase = servers[0]!.baseUrl;
    boardBase = servers[1]!.baseUrl;
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    for (const server of servers) await stopServer(server.process);
    for (const dataDir of dataDirs) fs.rmSync(dataDir, { recursive: true, force: true });
    if (databaseUrl && servers.length > 0) {
      await withAdminClient(databaseUrl, (client) => client.query(`drop database if exists ${database} with (force)`));
    }
  }, 60_000);

  async function workstation(baseURL: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ baseURL, viewport: { width: 1600, height: 1000 }, locale: 'ru-RU' });
    context.setDefaultTimeout(15_000);
    return { context, page: await context.newPage() };
  }

  /** As an administrator: the PBX's secret, and line 1 open round the clock so the test runs at any hour. */
  async function connectPbx(api: APIRequestContext) {
    await json(await api.post('/api/auth/login', { data: { login: 'admin', password: demoPassword } }), 'admin login');
    await json(await api.put('/api/settings/secrets/pbx.webhookSecret', { data: { value: pbxSecret } }), 'PBX secret');
    const settings = await json<SettingsView>(await api.get('/api/settings'), 'settings');
    const lines = settings.lines.map((line) => (line.id === 'l1' ? { ...line, alwaysOpen: true } : line));
    await json(await api.put('/api/settings/lines', { data: { version: settings.linesVersion, lines } }), 'lines');
  }

  /** A subscriber whose phone is theirs alone, so the call pops exactly their card. */
  async function callerWithOwnPhone(api: APIRequestContext): Promise<{ card: SubscriberCard; phone: string }> {
    const list = await json<SubscriberList>(await api.get('/api/subscribers?kind=person&limit=20&offset=200'), 'list');
    for (const item of list.items) {
      const card = await json<SubscriberCard>(
        await api.get(`/api/subscribers/${item.id}?accountId=${item.accountId}`),
        'card',
      );
      const phone = card.holder.phones.find((entry) => entry.isPrimary)?.phone;
      if (!phone?.startsWith('+79')) continue;
      const lookup = await json<PhoneLookup>(
        await api.get(`/api/identify/phone/${encodeURIComponent(phone)}`),
        'lookup',
      );
      if (lookup.candidates.length === 1) return { card, phone };
    }
    throw new Error('no subscriber with a phone of their own among the ones tried');
  }

  it(twoInstances
    ? 'rings the agent with the caller’s card, and the board on the other instance follows every step'
    : 'rings the agent with the caller’s card, and the board follows every step (one instance: PGlite)', async () => {
    const admin = await workstation(agentBase);
    await connectPbx(admin.context.request);
    const caller = await callerWithOwnPhone(admin.context.request);
    await admin.context.close();

    // The agent lands on the desk and makes themselves available with the key shown on the button.
    const agent = await workstation(agentBase);
    await logIn(agent.page, 'l1');
    await agent.page.waitForURL('**/desk');
    await agent.page.getByRole('heading', { level: 1, name: 'Рабочее место' }).waitFor();
    const state = agent.page.getByTestId('agent-state');
    await state.waitFor();
    await agent.page.keyboard.press('1');
    await state.filter({ hasText: 'Свободен' }).waitFor();
    const me = await json<Me>(await agent.context.request.get('/api/auth/me'), 'me');

    // The supervisor's board, on the other instance when there are two.
    const supervisor = await workstation(boardBase);
    await logIn(supervisor.page, 'supervisor', { next: '/board' });
    await supervisor.page.getByRole('heading', { level: 1, name: 'Табло линий' }).waitFor();
    const agentRow = supervisor.page.locator(`tr[data-login="${me.login}"]`);
    await agentRow.filter({ hasText: 'Свободен' }).waitFor();
    const lineTile = supervisor.page.getByTestId('line-l1');
    const answeredBefore = await lineTile.getByTestId('answered-today').textContent();

    // The PBX reports a call to the hotline's number from the caller's phone (to the board's instance).
    const callId = `e2e-${Date.now()}`;
    const body = JSON.stringify({
      events: [
        {
          id: `${callId}-offered`,
          type: 'offered',
          callId,
          timestamp: new Date().toISOString(),
          from: caller.phone,
          to: '8-800-100-20-30',
        },
      ],
    });
    const offered = await fetch(`${boardBase}/api/integrations/pbx/events`, {
      method: 'POST',
      headers: signed(body, pbxSecret),
      body,
    });
    expect(offered.status, await offered.clone().text()).toBe(200);

    // It rings: the offer with the caller's number, the card popped, the title flashing.
    const offer = agent.page.getByRole('region', { name: 'Входящее обращение' });
    await offer.waitFor({ timeout: liveWithin });
    const digits = caller.phone.slice(2);
    await offer
      .getByText(`+7 ${digits.slice(0, 3)} ${digits.slice(3, 6)}-${digits.slice(6, 8)}-${digits.slice(8)}`)
      .waitFor();
    const pop = agent.page.getByRole('region', { name: 'Абонент' });
    await pop.getByRole('heading', { level: 1, name: caller.card.holder.displayName }).waitFor();
    await agent.page.waitForFunction(() => document.title.startsWith('☎'), undefined, { timeout: 3_000 });
    await agentRow.filter({ hasText: 'Вызов' }).waitFor({ timeout: liveWithin });
    await agent.page.screenshot({ path: '/tmp/desk-ringing.png' });

    // Enter accepts (the Accept button has the focus); the contact's talk timer runs.
    await agent.page.keyboard.press('Enter');
    await offer.waitFor({ state: 'detached' });
    await state.filter({ hasText: 'На линии' }).waitFor();
    const contact = agent.page.locator('[data-contact-id]');
    await contact.waitFor();
    await agentRow.filter({ hasText: 'На линии' }).waitFor({ timeout: liveWithin });

    // N focuses the note field; Ctrl+Enter adds the note.
    await agent.page.keyboard.press('n');
    await agent.page.keyboard.type('Нет линка на роутере, перезагрузили');
    await agent.page.keyboard.press('Control+Enter');
    await contact.getByRole('status').filter({ hasText: 'Заметка добавлена' }).waitFor();

    // Escape leaves the note field for the contact; E opens the end form; reason and outcome are
    // picked from the keyboard.
    await agent.page.keyboard.press('Escape');
    await agent.page.keyboard.press('e');
    const form = agent.page.getByRole('form', { name: 'Завершить обращение' });
    await form.waitFor();
    await agent.page.keyboard.type('нет инт');
    await agent.page.locator('[data-combobox-selected]', { hasText: 'Нет интернета' }).waitFor();
    await agent.page.keyboard.press('Enter');
    await agent.page.keyboard.press('Tab');
    await agent.page.keyboard.type('реш');
    await agent.page.locator('[data-combobox-selected]', { hasText: 'Решено' }).waitFor();
    await agent.page.keyboard.press('Enter');
    expect(await form.getByLabel(/^Причина/).inputValue()).toBe('Нет интернета');
    expect(await form.getByLabel(/^Итог(?!о)/).inputValue()).toBe('Решено');
    await form.getByRole('button', { name: 'Завершить' }).click();

    // After-contact work, then Done (D) makes the agent available again.
    await state.filter({ hasText: 'Постобработка' }).waitFor();
    await agentRow.filter({ hasText: 'Постобработка' }).waitFor({ timeout: liveWithin });
    await contact.getByRole('button', { name: /Готово/ }).waitFor();
    await agent.page.screenshot({ path: '/tmp/desk-after-work.png' });
    await agent.page.keyboard.press('d');
    await state.filter({ hasText: 'Свободен' }).waitFor();
    await agentRow.filter({ hasText: 'Свободен' }).waitFor({ timeout: liveWithin });
    await expect
      .poll(() => lineTile.getByTestId('answered-today').textContent(), { timeout: liveWithin })
      .not.toBe(answeredBefore);
    await supervisor.page.getByTestId('board-updated').waitFor();
    await supervisor.page.screenshot({ path: '/tmp/board.png', fullPage: true });

    // The card's contact list has the call with its reason and outcome, and opens its timeline.
    const card = await workstation(agentBase);
    await logIn(card.page, 'l1', {
      next: `/subscribers/${caller.card.id}?account=${caller.card.account.id}`,
    });
    const contacts = card.page.getByRole('table', { name: 'Обращения абонента' });
    const row = contacts.getByRole('row').filter({ hasText: 'Нет интернета' }).filter({ hasText: 'Решено' });
    await row.first().click();
    const drawer = card.page.getByRole('dialog');
    await drawer.getByText('Нет линка на роутере, перезагрузили').waitFor();
    await card.context.close();

    // Offline again, so other files find the desk as it was.
    await agent.page.keyboard.press('3');
    await state.filter({ hasText: 'Не в сети' }).waitFor();
    await agent.context.close();
    await supervisor.context.close();
  }, 180_000);
});
