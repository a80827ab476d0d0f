import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, logIn, openWorkstation } from './browser.js';

describe('the audit log screen', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows a supervisor every action in words and filters by action', async () => {
    const { page } = await openWorkstation(browser);
    await logIn(page, 'supervisor', { next: '/subscribers' });
    await page.getByRole('table', { name: 'Найденные абоненты' }).getByRole('row').nth(1).click();
    await page.getByRole('region', { name: 'Адрес' }).waitFor();

    await page.getByRole('navigation', { name: 'Главное меню' }).getByRole('link', { name: 'Журнал аудита' }).click();
    const table = page.getByRole('table', { name: 'Записи журнала аудита' });
    await table.getByRole('cell', { name: 'Вошёл в систему' }).first().waitFor();

    await page.getByLabel('Действие').selectOption('subscriber.card_opened');
    await page.getByRole('button', { name: 'Найти', exact: true }).click();
    await page.waitForFunction(() =>
      [...document.querySelectorAll('table tbody tr td:nth-child(3)')].every(
        (cell) => cell.textContent === 'Открыл карточку абонента',
      ),
    );
    expect(await table.getByRole('row').count()).toBeGreaterThan(1);
    await table.getByRole('row').nth(1).getByRole('link').waitFor();
  });

  it('is not offered to a line 1 operator', async () => {
    const { page } = await openWorkstation(browser);
    await logIn(page, 'l1', { next: '/subscribers' });
    await page.getByRole('navigation', { name: 'Главное меню' }).getByRole('link', { name: 'Абоненты' }).waitFor();
    expect(await page.getByRole('link', { name: 'Журнал аудита' }).count()).toBe(0);
    await page.goto('/audit');
    await page.getByRole('heading', { name: 'Нет доступа' }).waitFor();
  });
});
