import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, logIn } from './browser.js';

const phone = { width: 390, height: 844 };

async function openPhone(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    baseURL: inject('baseUrl'),
    viewport: phone,
    locale: 'ru-RU',
    isMobile: true,
    hasTouch: true,
  });
  context.setDefaultTimeout(15_000);
  return context.newPage();
}

/** Every part of the element lies within the screen's width. */
async function expectOnScreen(name: string, box: Locator) {
  const bounds = await box.boundingBox();
  expect(bounds, name).not.toBeNull();
  expect(bounds!.x, name).toBeGreaterThanOrEqual(0);
  expect(bounds!.x + bounds!.width, name).toBeLessThanOrEqual(phone.width);
}

describe('on a phone, 390 px wide', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('keeps the header’s controls on screen and the list readable without the page scrolling sideways', async () => {
    const page = await openPhone(browser);
    await logIn(page, 'admin', { next: '/subscribers' });
    const table = page.getByRole('table', { name: 'Найденные абоненты' });
    await table.getByRole('row').nth(1).waitFor();
    await page.getByRole('navigation', { name: 'Страницы' }).waitFor();

    const header = page.locator('header');
    await expectOnScreen('menu', header.getByRole('button', { name: 'Показать или скрыть меню' }));
    await expectOnScreen('Russian', header.locator('label').filter({ hasText: /^RU$/ }));
    await expectOnScreen('English', header.locator('label').filter({ hasText: /^EN$/ }));
    await expectOnScreen('log out', header.getByRole('button', { name: 'Выйти' }));
    await expectOnScreen('name', table.getByRole('row').nth(1).getByRole('cell').first());
    await expectOnScreen('next page', page.getByRole('button', { name: 'Следующая страница' }));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.width);

    // The menu opens over the screen and takes the operator elsewhere.
    await header.getByRole('button', { name: 'Показать или скрыть меню' }).click();
    await page
      .getByRole('navigation', { name: 'Главное меню' })
      .getByRole('link', { name: 'Администрирование' })
      .click();
    await page.getByRole('table', { name: 'Сотрудники' }).getByRole('row').nth(1).waitFor();
    await expectOnScreen('log out on the staff screen', header.getByRole('button', { name: 'Выйти' }));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.width);
  });
});
