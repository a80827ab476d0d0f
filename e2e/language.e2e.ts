import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, logIn, openWorkstation } from './browser.js';

describe('the language switch', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('turns the interface to English, keeps it after a reload, and back to Russian', async () => {
    const { page } = await openWorkstation(browser);
    await logIn(page, 'l1', { next: '/subscribers' });
    const nav = page.getByRole('navigation', { name: 'Главное меню' });
    await nav.getByRole('link', { name: 'Абоненты' }).waitFor();

    // Mantine's segmented control hides its radio inputs; the operator clicks the visible label.
    await page.locator('label').filter({ hasText: /^EN$/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Subscribers' }).waitFor();
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Subscribers' })
      .waitFor();
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    await page
      .getByRole('table', { name: 'Subscribers found' })
      .getByRole('columnheader', { name: 'Balance' })
      .waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Subscribers' }).waitFor();

    await page.locator('label').filter({ hasText: /^RU$/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Абоненты' }).waitFor();
    await page.getByRole('button', { name: 'Выйти' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');
  });
});
