import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPassword, launchBrowser, logIn, openWorkstation } from './browser.js';

describe('what each role sees', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows a field technician the card without balance, payments or birth date', async () => {
    const { page } = await openWorkstation(browser);
    await logIn(page, 'tech', { next: '/subscribers' });
    await page.getByRole('table', { name: 'Найденные абоненты' }).getByRole('row').nth(1).click();
    await page.waitForURL(/\/subscribers\/\d+\?account=\d+$/);

    await page.getByRole('region', { name: 'Адрес' }).waitFor();
    await page.getByRole('region', { name: 'Подключение' }).waitFor();
    await page.getByRole('region', { name: 'Оборудование' }).waitFor();
    await page.getByRole('region', { name: 'Владелец договора' }).getByText('Телефоны').waitFor();
    await page.getByRole('region', { name: 'Тариф' }).getByText('Тариф действует с').waitFor();
    expect(await page.getByRole('region', { name: 'Последние платежи и списания' }).count()).toBe(0);
    expect(await page.getByText('Баланс').count()).toBe(0);
    expect(await page.getByText('Дата рождения').count()).toBe(0);
  });

  it('shows a line 1 operator the balance and the payments on the same card', async () => {
    const { page } = await openWorkstation(browser);
    await logIn(page, 'l1', { next: '/subscribers' });
    await page.getByRole('table', { name: 'Найденные абоненты' }).getByRole('row').nth(1).click();
    await page.getByRole('region', { name: 'Последние платежи и списания' }).waitFor();
    await page.getByRole('region', { name: 'Договор и лицевой счёт' }).getByText('Баланс').waitFor();
  });

  it('signs in and stays on this site when `next` points elsewhere through a backslash', async () => {
    const { page } = await openWorkstation(browser);
    await page.goto('/login?next=/%5C127.0.0.1:3999/x');
    await page.getByLabel('Логин').fill('l2');
    await page.getByLabel('Пароль').fill(demoPassword);
    await page.getByRole('button', { name: 'Войти' }).click();
    // Not the address it was given: line 2's own first screen, the desk.
    await page.getByRole('heading', { level: 1, name: 'Рабочее место' }).waitFor();
    expect(new URL(page.url()).origin).toBe(inject('baseUrl'));
    expect(new URL(page.url()).pathname).toBe('/desk');
    // session-revoke.e2e.ts counts line 2's sessions on the shared server.
    await page.getByRole('button', { name: 'Выйти' }).click();
    await page.waitForURL(/\/login/);
  });
});
