import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, logIn, openWorkstation } from './browser.js';

describe('an administrator manages staff', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const outcome = (page: Page, text: string | RegExp) => page.getByRole('status').filter({ hasText: text }).waitFor();

  it('confirms a new administrator and a disabling, renames, and sets a password that then works', async () => {
    const { page } = await openWorkstation(browser);
    await logIn(page, 'admin', { next: '/admin/staff' });
    const login = `e2e.${Date.now().toString(36)}`;
    const create = page.getByRole('region', { name: 'Новый сотрудник' });
    await create.getByLabel('Логин').fill(login);
    await create.getByLabel('ФИО').fill('Проверкин Пётр');
    await create.getByLabel('Начальный пароль').fill('first-password');
    await create.getByRole('button', { name: 'Создать' }).click();
    await outcome(page, `Сотрудник ${login} создан.`);

    // Raising to administrator asks first; cancelling changes nothing.
    const role = page.getByLabel(`Роль ${login}`, { exact: true });
    await role.selectOption('admin');
    const dialog = page.getByRole('dialog', { name: 'Сделать администратором?' });
    await dialog.getByText('Проверкин Пётр').waitFor();
    await dialog.getByRole('button', { name: 'Отмена' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await role.inputValue()).toBe('l1');
    await role.selectOption('admin');
    await dialog.getByRole('button', { name: 'Сделать администратором' }).click();
    await outcome(page, `Роль ${login}: Администратор.`);
    await role.selectOption('l2');
    await outcome(page, `Роль ${login}: 2-я линия.`);

    await page.getByRole('button', { name: `Переименовать ${login}` }).click();
    const rename = page.getByRole('dialog', { name: `Новое ФИО для ${login}` });
    await rename.getByLabel('ФИО').fill('Проверкин Павел');
    await rename.getByRole('button', { name: 'Сохранить' }).click();
    await outcome(page, `${login} теперь «Проверкин Павел».`);
    await page.getByRole('table', { name: 'Сотрудники' }).getByText('Проверкин Павел').waitFor();

    await page.getByRole('button', { name: `Сменить пароль ${login}` }).click();
    const password = page.getByRole('dialog', { name: `Новый пароль для ${login}` });
    await password.getByLabel('Новый пароль').fill('second-password');
    await password.getByRole('button', { name: 'Сменить пароль' }).click();
    await outcome(page, new RegExp(`Пароль ${login} изменён`));

    const other = await openWorkstation(browser);
    await logIn(other.page, login, { password: 'second-password' });
    await other.page.getByRole('button', { name: 'Выйти' }).waitFor();
    await other.context.close();

    await page.getByRole('button', { name: `Отключить ${login}` }).click();
    const disable = page.getByRole('dialog', { name: 'Отключить сотрудника?' });
    await disable.getByRole('button', { name: 'Отключить' }).click();
    await outcome(page, `${login} отключён, его сеансы завершены.`);
  });

  it('names each session’s browser and device in words and marks the current one', async () => {
    const { page } = await openWorkstation(browser);
    await logIn(page, 'admin', { next: '/admin/sessions' });
    const table = page.getByRole('table', { name: 'Активные сеансы' });
    const current = table.getByRole('row').filter({ hasText: 'этот сеанс' });
    await current.waitFor();
    expect(await current.getByText(/^Chrome \d+ на Linux$/).count()).toBe(1);
  });
});
