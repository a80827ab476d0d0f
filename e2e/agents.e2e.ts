import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SettingsView } from '../src/common/api/settings.js';
import { launchBrowser, logIn, openWorkstation, textOf } from './browser.js';

/** A live wake-up reaches a browser within a second (issue 12); the fallback poll alone would take 15 s. */
const liveWithin = 5_000;

describe('a supervisor sets an agent’s routing profile', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const rowOf = (page: Page, login: string) =>
    page.getByRole('table', { name: 'Профили маршрутизации операторов' }).locator(`tr[data-login="${login}"]`);

  it('changes l2-2’s extension and skills from the board’s link, refuses a taken one, and another screen follows live', async () => {
    const { page } = await openWorkstation(browser);
    await logIn(page, 'supervisor', { next: '/board' });
    await page.getByRole('link', { name: 'Линии, навыки, номера' }).click();
    await page.waitForURL(/\/agents$/);
    const settings = (await (await page.request.get('/api/settings')).json()) as SettingsView;
    const line2 = settings.lines.find((line) => line.id === 'l2');

    const row = rowOf(page, 'l2-2');
    await row.waitFor();
    expect(await textOf(row.locator('td').nth(4))).toBe(line2?.name);
    const before = await textOf(row.getByTestId('extension'));

    // An administrator watching the same list elsewhere.
    const other = await openWorkstation(browser);
    await logIn(other.page, 'admin', { next: '/agents' });
    await rowOf(other.page, 'l2-2').waitFor();

    // l2's extension is taken: the dialog stays open with the reason.
    await page.getByRole('button', { name: 'Изменить l2-2', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: /^Профиль маршрутизации:/ });
    await dialog.getByLabel('Внутренний номер').fill('201');
    await dialog.getByLabel('Внутренний номер').press('Enter');
    await dialog.getByRole('alert').filter({ hasText: 'Этот внутренний номер уже у другого оператора.' }).waitFor();

    const extension = String(7000 + (Date.now() % 1000));
    const skills = dialog.getByLabel('Навыки');
    await skills.fill('Business');
    await skills.press('Enter');
    await dialog.getByLabel('Внутренний номер').fill(extension);
    await dialog.getByRole('button', { name: 'Сохранить' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('status').filter({ hasText: '(l2-2): профиль маршрутизации сохранён.' }).waitFor();
    expect(await textOf(row.getByTestId('extension'))).toBe(extension);
    expect(await textOf(row.locator('td').nth(5))).toContain('business');

    await rowOf(other.page, 'l2-2')
      .getByTestId('extension')
      .filter({ hasText: extension })
      .waitFor({ timeout: liveWithin });
    await other.context.close();

    // Back as it was, for the other browser tests on the shared server: Backspace takes the last skill off.
    await page.getByRole('button', { name: 'Изменить l2-2', exact: true }).click();
    await dialog.getByLabel('Навыки').press('Backspace');
    await dialog.getByLabel('Внутренний номер').fill(before === '—' ? '' : before);
    await dialog.getByLabel('Внутренний номер').press('Enter');
    await row.getByTestId('extension').filter({ hasText: before }).waitFor();
    expect(await textOf(row.locator('td').nth(5))).not.toContain('business');
  });
});
