import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, logIn } from './browser.js';
import { freePort, type OwnServer, startServer, stopServer } from './server.js';

// A server of this test's own, on its own port and data folder: stopping the shared one would
// break the other files. Restarted on the same port and folder, so the session survives.
describe('the app while the server is away', () => {
  let browser: Browser;
  let server: OwnServer;
  let port: number;
  let dataDir: string;

  beforeAll(async () => {
    port = await freePort();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedesk-e2e-away-'));
    [server, browser] = await Promise.all([startServer({ port, dataDir }), launchBrowser()]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server.process);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const unreachable = (page: Page) => page.getByRole('alert').filter({ hasText: 'Нет связи с сервером' });

  it('says so instead of a blank page, and loads the screen by itself when the server returns', async () => {
    const context = await browser.newContext({
      baseURL: server.baseUrl,
      viewport: { width: 1440, height: 900 },
      locale: 'ru-RU',
    });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await logIn(page, 'admin', { next: '/subscribers' });
    const list = page.getByRole('table', { name: 'Найденные абоненты' });
    await list.getByRole('row').nth(1).waitFor();

    // The administration screen's code has not been loaded yet: it is fetched on this click.
    await stopServer(server.process);
    await page
      .getByRole('navigation', { name: 'Главное меню' })
      .getByRole('link', { name: 'Администрирование' })
      .click();
    await unreachable(page).waitFor();
    await page.getByRole('button', { name: 'Выйти' }).waitFor();

    server = await startServer({ port, dataDir });
    await page.getByRole('table', { name: 'Сотрудники' }).getByRole('row').nth(1).waitFor({ timeout: 30_000 });
    await unreachable(page).waitFor({ state: 'hidden' });

    // "Найти" with the same filters asks again, and the list comes back when the server does.
    await page.getByRole('navigation', { name: 'Главное меню' }).getByRole('link', { name: 'Абоненты' }).click();
    await list.getByRole('row').nth(1).waitFor();
    await stopServer(server.process);
    const asked = page.waitForRequest((request) => new URL(request.url()).pathname === '/api/subscribers', {
      timeout: 5_000,
    });
    await page.getByRole('button', { name: 'Найти', exact: true }).click();
    await asked;
    await unreachable(page).waitFor();

    server = await startServer({ port, dataDir });
    await unreachable(page).waitFor({ state: 'hidden', timeout: 30_000 });
    await list.getByRole('row').nth(1).waitFor();
    expect(await list.getAttribute('aria-busy')).not.toBe('true');
    await context.close();
  }, 240_000);
});
