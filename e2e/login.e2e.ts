import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openWorkstation } from './browser.js';

describe('signing in with a wrong password', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('says so in the operator’s language and stays on the login page', async () => {
    const { page } = await openWorkstation(browser);
    await page.goto('/subscribers');
    await page.waitForURL(/\/login\?next=%2Fsubscribers$/);

    await page.getByLabel('Логин').fill('l1');
    await page.getByLabel('Пароль').fill('not-the-password');
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('alert').filter({ hasText: 'Неверный логин или пароль.' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');

    // The message comes from the problem's code, so it follows the language switch at once.
    await page.locator('label').filter({ hasText: /^EN$/ }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong login or password.' }).waitFor();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });
});
