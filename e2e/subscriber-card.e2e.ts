import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, logIn, openWorkstation, textOf } from './browser.js';

describe('a line 1 operator finds a subscriber and opens the card', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the list in Russian and opens the card of the chosen row with holder, account and tariff', async () => {
    const { page } = await openWorkstation(browser);
    await logIn(page, 'l1', { next: '/subscribers' });

    await page.getByRole('heading', { level: 1, name: 'Абоненты' }).waitFor();
    const table = page.getByRole('table', { name: 'Найденные абоненты' });
    const firstRow = table.getByRole('row').nth(1);
    await firstRow.waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: /^Найдено: / })
      .waitFor();

    const cells = firstRow.getByRole('cell');
    const listName = await textOf(cells.nth(0));
    const accountNumber = await textOf(cells.nth(1));
    const tariffName = await textOf(cells.nth(5));
    expect(accountNumber).toMatch(/^\d+$/);

    await firstRow.click();
    await page.waitForURL(/\/subscribers\/\d+\?account=\d+$/);

    // The list shows "Иванов И. П."; the card shows the full name, which starts with the same surname.
    const surname = listName.split(/\s+/)[0] ?? '';
    const heading = page.getByRole('heading', { level: 1 });
    await heading.filter({ hasText: surname }).waitFor();
    await page.getByRole('region', { name: 'Договор и лицевой счёт' }).getByText(accountNumber).first().waitFor();
    await page.getByRole('region', { name: 'Тариф' }).getByText(tariffName, { exact: true }).first().waitFor();
    await page.getByRole('region', { name: 'Владелец договора' }).getByText('Кодовое слово').waitFor();

    await page.screenshot({ path: '/tmp/card.png', fullPage: true });
  });

  it('goes back with Escape and opens another card from the keyboard', async () => {
    const { page } = await openWorkstation(browser);
    await logIn(page, 'l1', { next: '/subscribers' });
    const table = page.getByRole('table', { name: 'Найденные абоненты' });
    const secondRow = table.getByRole('row').nth(2);
    await secondRow.waitFor();
    const accountNumber = await textOf(secondRow.getByRole('cell').nth(1));

    // From the search field, ↓ goes to the first row, ↓ again to the second, Enter opens it.
    await page.getByLabel('Фамилия или название').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/subscribers\/\d+\?account=\d+$/);
    await page.getByRole('region', { name: 'Договор и лицевой счёт' }).getByText(accountNumber).first().waitFor();

    await page.keyboard.press('Escape');
    await page.waitForURL('**/subscribers');
    await table.getByRole('row').nth(1).waitFor();
  });

  it('pages forwards and back through the list, the page in the address bar', async () => {
    const { page } = await openWorkstation(browser);
    await logIn(page, 'l1', { next: '/subscribers' });
    const table = page.getByRole('table', { name: 'Найденные абоненты' });
    const firstAccount = () => textOf(table.getByRole('row').nth(1).getByRole('cell').nth(1));
    await table.getByRole('row').nth(1).waitFor();
    const onFirstPage = await firstAccount();
    const pages = page.getByRole('navigation', { name: 'Страницы' });
    expect(await pages.getByRole('button', { name: 'Предыдущая страница' }).isDisabled()).toBe(true);

    await pages.getByRole('button', { name: 'Следующая страница' }).click();
    await page.waitForURL(/[?&]cursor=[A-Za-z0-9_-]+/);
    await pages.getByText('Страница 2').waitFor();
    await page.waitForFunction(
      (account) => document.querySelector('table tbody tr td:nth-child(2)')?.textContent?.trim() !== account,
      onFirstPage,
    );
    const onSecondPage = await firstAccount();

    await pages.getByRole('button', { name: 'Следующая страница' }).click();
    await pages.getByText('Страница 3').waitFor();
    await pages.getByRole('button', { name: 'Предыдущая страница' }).click();
    await pages.getByText('Страница 2').waitFor();
    await page.waitForFunction(
      (account) => document.querySelector('table tbody tr td:nth-child(2)')?.textContent?.trim() === account,
      onSecondPage,
    );

    await pages.getByRole('button', { name: 'Предыдущая страница' }).click();
    await pages.getByText('Страница 1').waitFor();
    expect(new URL(page.url()).searchParams.has('cursor')).toBe(false);
    await page.waitForFunction(
      (account) => document.querySelector('table tbody tr td:nth-child(2)')?.textContent?.trim() === account,
      onFirstPage,
    );
  });
});
