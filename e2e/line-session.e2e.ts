import { randomBytes } from 'node:crypto';
import type { APIRequestContext, Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SubscriberCard, SubscriberList } from '../src/common/api/subscribers.js';
import type { AttributeToSend } from '../src/integrations/radius/codec.js';
import { demoPassword, launchBrowser, logIn, openWorkstation } from './browser.js';
import { FakeNas } from './fake-nas.js';

/**
 * The browser test for the line state: a line 2 engineer has the subscriber's card open;
 * the NAS (played by this test, over real RADIUS accounting on loopback) reports the session's
 * Start and then its Stop, and the card follows each within a second, without a reload.
 */
const liveWithin = 1_000;

const ACCT_START = 1;
const ACCT_STOP = 2;
const LOST_CARRIER = 2;
const ADMIN_RESET = 6;

async function json<T>(response: Awaited<ReturnType<APIRequestContext['get']>>, what: string): Promise<T> {
  expect(response.status(), `${what}: ${await response.text()}`).toBeLessThan(300);
  return (await response.json()) as T;
}

/** A subscriber connected by PPPoE: the NAS's User-Name is what matches the session to them. */
async function pppoeSubscriber(api: APIRequestContext): Promise<{ card: SubscriberCard; login: string }> {
  const list = await json<SubscriberList>(await api.get('/api/subscribers?kind=person&limit=30&offset=100'), 'list');
  for (const item of list.items) {
    const card = await json<SubscriberCard>(
      await api.get(`/api/subscribers/${item.id}?accountId=${item.accountId}`),
      'card',
    );
    if (card.connection?.method === 'pppoe' && card.connection.pppoeLogin && card.otherAccounts.length === 0) {
      return { card, login: card.connection.pppoeLogin };
    }
  }
  throw new Error('no PPPoE subscriber with one account among the ones tried');
}

/** Ends the session on the server too: other files count who is signed in (session-revoke.e2e.ts). */
async function logOut(page: Page) {
  await page.getByRole('button', { name: 'Выйти' }).click();
  await page.waitForURL((url) => url.pathname === '/login');
}

describe("the card's line state, live from the NAS's accounting", () => {
  let browser: Browser;
  let nas: FakeNas;
  let subscriber: { card: SubscriberCard; login: string };
  const nasName = `e2e-bras-${process.pid}`;

  beforeAll(async () => {
    browser = await launchBrowser();
    nas = await FakeNas.open(inject('radiusAcctPort'), randomBytes(16).toString('hex'));
    // The administrator lists the NAS with its shared secret and its Dynamic Authorization port.
    const admin = await openWorkstation(browser);
    const api = admin.context.request;
    await json(await api.post('/api/auth/login', { data: { login: 'admin', password: demoPassword } }), 'login');
    await json(
      await api.put(`/api/settings/nas/${nasName}`, {
        data: {
          address: nas.address,
          vendor: 'mikrotik',
          interimIntervalSeconds: 300,
          coaPort: nas.coaPort,
          secret: nas.secret,
        },
      }),
      'NAS',
    );
    subscriber = await pppoeSubscriber(api);
    await admin.context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await nas?.close();
  });

  it('goes online within a second of the Start, and offline with the cause in words after the Stop', async () => {
    const { card, login } = subscriber;
    const { page } = await openWorkstation(browser);
    await logIn(page, 'l2', { next: `/subscribers/${card.id}` });
    const panel = page.getByRole('region', { name: 'Сессия на линии' });
    await panel.getByText('NAS не сообщал об этом абоненте.').waitFor();
    // Anything that reloads the page would drop this mark.
    await page.evaluate(() => {
      (window as unknown as { sameDocument: boolean }).sameDocument = true;
    });

    const sessionId = `e2e-${Date.now().toString(16)}`;
    // The session began an hour ago (the NAS reports the Start late: its Event-Timestamp says when).
    const stoppedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    const startedAt = new Date(stoppedAt.getTime() - 65 * 60_000);
    await nas.account([
      ['Acct-Status-Type', ACCT_START],
      ['User-Name', login],
      ['Acct-Session-Id', sessionId],
      ['Event-Timestamp', startedAt],
      ['Framed-IP-Address', '100.64.14.7'],
      ['Delegated-IPv6-Prefix', '2001:db8:14::/56'],
    ]);
    // The server answered: the record is committed. The card is told at once, not at its next poll.
    await panel.getByText('В сети', { exact: true }).waitFor({ timeout: liveWithin });
    await panel.getByText('100.64.14.7').waitFor();
    await panel.locator('dd').filter({ hasText: '1 ч 5 мин' }).waitFor();
    await panel.getByText('2001:db8:14::/56').waitFor();
    await panel.getByText(nasName).waitFor();
    await panel.getByText(/^\d+ с назад$/).waitFor();
    // Line 2 may act on the session; the buttons are there (the NAS's answer is another test's).
    await panel.getByRole('button', { name: 'Разорвать сессию' }).waitFor();
    await panel.screenshot({ path: '/tmp/line-session-online.png' });

    await nas.account([
      ['Acct-Status-Type', ACCT_STOP],
      ['User-Name', login],
      ['Acct-Session-Id', sessionId],
      ['Event-Timestamp', stoppedAt],
      ['Acct-Terminate-Cause', LOST_CARRIER],
      ['Acct-Output-Octets', 1_234_567_890],
      ['Acct-Input-Octets', 45_600_000],
    ]);
    await panel.getByText('Не в сети', { exact: true }).waitFor({ timeout: liveWithin });
    await panel.locator('dd').filter({ hasText: 'пропала несущая (Lost-Carrier)' }).waitFor();
    await panel.getByText(/1,2\s?ГБ/).waitFor();
    // The timeline: the session with its length and cause.
    const timeline = panel.getByRole('table', { name: 'Сессии за 30 дней' });
    await timeline.getByRole('row').filter({ hasText: '1 ч 5 мин' }).filter({ hasText: 'пропала несущая' }).waitFor();
    await timeline.getByRole('button', { name: `Показать изменения сессии ${sessionId}` }).click();
    await timeline.getByText('сессия началась · найден по логину PPPoE · 100.64.14.7').waitFor();
    await timeline.getByText('сессия завершена · пропала несущая').waitFor();

    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await panel.screenshot({ path: '/tmp/line-session-offline.png' });
    await logOut(page);
  });

  it("lets line 2 re-apply the profile and disconnect the session, and shows the NAS's answers", async () => {
    const { card, login } = subscriber;
    const { page } = await openWorkstation(browser);
    await logIn(page, 'l2', { next: `/subscribers/${card.id}` });
    const panel = page.getByRole('region', { name: 'Сессия на линии' });
    await panel.getByText('Не в сети', { exact: true }).waitFor();

    const sessionId = `e2e-act-${Date.now().toString(16)}`;
    const pairs: AttributeToSend[] = [
      ['User-Name', login],
      ['Acct-Session-Id', sessionId],
    ];
    await nas.account([['Acct-Status-Type', ACCT_START], ...pairs, ['Framed-IP-Address', '100.64.14.8']]);
    await panel.getByText('В сети', { exact: true }).waitFor({ timeout: liveWithin });

    // The NAS refuses the CoA: the agent reads its Error-Cause in words.
    nas.answer = { ack: false, errorCause: 503 };
    await panel.getByRole('button', { name: 'Переприменить профиль (CoA)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Переприменить профиль?' });
    await dialog.getByText(`сессии ${sessionId}`).waitFor();
    await dialog.getByRole('button', { name: 'Отправить CoA' }).click();
    await panel.getByText('NAS отказал (NAK): сессия не найдена на NAS (Session Context Not Found).').waitFor();
    expect(nas.requests.at(-1)).toMatchObject({ verified: true, packet: { code: 43 } });

    // The NAS accepts the Disconnect, and reports the session's end as a NAS does.
    nas.answer = { ack: true };
    await panel.getByRole('button', { name: 'Разорвать сессию' }).click();
    const confirm = page.getByRole('dialog', { name: 'Разорвать сессию?' });
    await confirm.getByLabel('Причина (для журнала аудита)').fill('роутер завис, абонент согласен');
    await confirm.getByRole('button', { name: 'Разорвать', exact: true }).click();
    await panel.getByText('NAS подтвердил (ACK): разрыв сессии выполнен.').waitFor();
    expect(nas.requests.at(-1)).toMatchObject({ verified: true, packet: { code: 40 } });
    await nas.account([['Acct-Status-Type', ACCT_STOP], ...pairs, ['Acct-Terminate-Cause', ADMIN_RESET]]);
    await panel.getByText('Не в сети', { exact: true }).waitFor({ timeout: liveWithin });
    await panel.locator('dd').filter({ hasText: 'разорвана администратором (Admin-Reset)' }).waitFor();
    // The answer stays on screen after the session went offline.
    await panel.getByText('NAS подтвердил (ACK): разрыв сессии выполнен.').waitFor();
    await panel.screenshot({ path: '/tmp/line-session-disconnected.png' });
    await logOut(page);
  });

  it('lets the administrator block the account, and the card says so until the NAS applies it', async () => {
    const { card, login } = subscriber;
    await nas.account([
      ['Acct-Status-Type', ACCT_START],
      ['User-Name', login],
      ['Acct-Session-Id', `e2e-block-${Date.now().toString(16)}`],
    ]);
    const { page } = await openWorkstation(browser);
    await logIn(page, 'admin', { next: `/subscribers/${card.id}` });
    const panel = page.getByRole('region', { name: 'Сессия на линии' });
    await panel.getByText('В сети', { exact: true }).waitFor();

    // The NAS refuses at first: the change is not on the network yet, and the card says why.
    nas.answer = { ack: false, errorCause: 506 };
    await page.getByRole('button', { name: 'Изменить состояние или тариф счёта' }).click();
    const dialog = page.getByRole('dialog', { name: `Состояние и тариф счёта ${card.account.number}` });
    await dialog.getByRole('textbox', { name: 'Состояние' }).click();
    await page.getByRole('option', { name: 'Блокировка за долг' }).click();
    await dialog.getByLabel('Причина (для журнала аудита)').fill('долг 1 500 ₽, e2e');
    await dialog.getByRole('button', { name: 'Сохранить' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('heading', { level: 1 }).locator('..').getByText('Блокировка за долг').waitFor();
    const notice = panel.getByRole('status').filter({ hasText: 'Ещё не применено в сети' });
    await notice.filter({ hasText: 'у NAS не хватает ресурсов (Resources Unavailable)' }).waitFor();
    expect(nas.requests.at(-1)).toMatchObject({ verified: true, packet: { code: 40 } });
    await panel.screenshot({ path: '/tmp/line-session-not-applied.png' });

    // The server asks again (10 s later); this time the NAS applies it and the notice goes.
    nas.answer = { ack: true };
    await notice.waitFor({ state: 'detached', timeout: 30_000 });
    await logOut(page);
  }, 90_000);

  it('shows line 1 the line state without the actions on the NAS', async () => {
    const { page } = await openWorkstation(browser);
    await logIn(page, 'l1', { next: '/subscribers' });
    const table = page.getByRole('table', { name: 'Найденные абоненты' });
    await table.getByRole('row').nth(1).click();
    const panel = page.getByRole('region', { name: 'Сессия на линии' });
    await panel
      .getByText(/^(NAS не сообщал об этом абоненте\.|В сети|Не в сети|Нет вестей от NAS)$/)
      .first()
      .waitFor();
    expect(await panel.getByRole('button', { name: 'Разорвать сессию' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Изменить состояние/ }).count()).toBe(0);
    await logOut(page);
  });
});
