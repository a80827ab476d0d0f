import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, logIn, openWorkstation } from './browser.js';

describe('an administrator ends another person’s session', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('sends the idle line 2 browser to the login page within seconds', async () => {
    const engineer = await openWorkstation(browser);
    await logIn(engineer.page, 'l2', { next: '/subscribers' });
    await engineer.page.getByRole('heading', { level: 1, name: 'Абоненты' }).waitFor();

    const admin = await openWorkstation(browser);
    await logIn(admin.page, 'admin');
    await admin.page.getByRole('link', { name: 'Администрирование' }).click();
    await admin.page.getByRole('tab', { name: 'Сеансы' }).click();
    await admin.page.waitForURL('**/admin/sessions');

    const sessions = admin.page.getByRole('table', { name: 'Активные сеансы' });
    const engineerRows = sessions
      .getByRole('row')
      .filter({ has: admin.page.getByRole('cell', { name: 'l2', exact: true }) });
    await engineerRows.first().waitFor();
    expect(await engineerRows.count()).toBe(1);

    await engineerRows.getByRole('button', { name: /^Завершить сеанс l2/ }).click();
    const revokedAt = Date.now();
    await admin.page.getByRole('status').filter({ hasText: 'Сеанс l2 завершён.' }).waitFor();
    await engineerRows.first().waitFor({ state: 'detached' });

    // The engineer does nothing: the periodic session check alone must notice.
    await engineer.page.getByRole('heading', { level: 1, name: 'Вход в Linedesk' }).waitFor({ timeout: 20_000 });
    expect(Date.now() - revokedAt).toBeLessThan(15_000);
    expect(new URL(engineer.page.url()).pathname).toBe('/login');
    await engineer.page.getByRole('status').filter({ hasText: 'Сеанс завершён. Войдите снова.' }).waitFor();

    // The administrator's own session lives on.
    await admin.page.reload();
    await sessions.getByRole('cell', { name: 'admin этот сеанс' }).waitFor();
  });
});
