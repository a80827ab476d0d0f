import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { inject } from 'vitest';

/** Debian's Chromium; playwright-core drives it, so no browser is downloaded for the tests. */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A fresh browser profile (cookies, localStorage) at the app: one operator's workstation. */
export async function openWorkstation(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: inject('baseUrl'),
    viewport: { width: 1440, height: 900 },
    locale: 'ru-RU',
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  return { context, page };
}

export const demoPassword = 'demo';

/**
 * Logs in through the form, in Russian (the default language of a fresh profile). Without `next`
 * the browser lands on the role's first screen: the desk for the lines' agents, the list for others.
 */
export async function logIn(page: Page, login: string, options: { password?: string; next?: string } = {}) {
  await page.goto(options.next ? `/login?next=${encodeURIComponent(options.next)}` : '/login');
  await page.getByLabel('Логин').fill(login);
  await page.getByLabel('Пароль').fill(options.password ?? demoPassword);
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.waitForURL((url) => url.pathname !== '/login' && url.pathname !== '/');
}

export const textOf = async (locator: Locator) => ((await locator.textContent()) ?? '').trim();
