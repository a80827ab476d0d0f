import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LineSettings, SettingsView } from '../../common/api/settings.js';
import { startSecondInstance, startTestApp, type TestApp } from '../../testing/test-app.js';
import { lineForDialled, operationalSettings, readSecret } from './service.js';

// PostgreSQL only: two instances of the app, each with its own pool and settings cache, on one
// database.
let first: TestApp;
let second: TestApp;
let adminOnFirst: string;
let adminOnSecond: string;
beforeAll(async () => {
  // One key for both, as production sets SETTINGS_KEY on every instance.
  const env = { SETTINGS_KEY: 'e5'.repeat(32) };
  first = await startTestApp({ env });
  second = await startSecondInstance(first, { env });
  adminOnFirst = await first.loginAs('admin');
  adminOnSecond = await second.loginAs('admin');
});
afterAll(async () => {
  await second?.close();
  await first?.close();
});

async function view(): Promise<SettingsView> {
  return (await first.app.inject({ method: 'GET', url: '/api/settings', headers: { cookie: adminOnFirst } })).json();
}

const auditCount = async (action: string) =>
  (await first.database.rows<{ n: number }>(sql`select count(*)::int as n from audit_log where action = ${action}`))[0]
    ?.n ?? 0;

describe('two administrators saving at once through two instances', () => {
  it('lines: exactly one wins, the other gets 409, and the winner’s lines are what is stored, audited once', async () => {
    for (let round = 0; round < 5; round++) {
      const before = await view();
      const audited = await auditCount('settings.lines_changed');
      const edit = (name: string) => {
        const lines = structuredClone(before.lines);
        (lines[0] as LineSettings).name = name;
        return { version: before.linesVersion, lines };
      };
      const answers = await Promise.all([
        first.app.inject({
          method: 'PUT',
          url: '/api/settings/lines',
          headers: { cookie: adminOnFirst },
          payload: edit(`first ${round}`),
        }),
        second.app.inject({
          method: 'PUT',
          url: '/api/settings/lines',
          headers: { cookie: adminOnSecond },
          payload: edit(`second ${round}`),
        }),
      ]);
      const statuses = answers.map((answer) => answer.statusCode).sort();
      expect(statuses).toEqual([200, 409]);
      const winner = answers.findIndex((answer) => answer.statusCode === 200) === 0 ? 'first' : 'second';
      expect((await view()).lines[0]?.name).toBe(`${winner} ${round}`);
      expect(await auditCount('settings.lines_changed')).toBe(audited + 1);
    }
  }, 60_000);

  it('contacts and calendar: exactly one wins each', async () => {
    const before = await view();
    const contacts = await Promise.all(
      [first, second].map((instance, i) =>
        instance.app.inject({
          method: 'PUT',
          url: '/api/settings/contacts',
          headers: { cookie: i === 0 ? adminOnFirst : adminOnSecond },
          payload: { version: before.contactsVersion, contacts: { ...before.contacts, repeatWindowHours: 24 + i } },
        }),
      ),
    );
    expect(contacts.map((answer) => answer.statusCode).sort()).toEqual([200, 409]);
    const calendar = await Promise.all(
      [first, second].map((instance, i) =>
        instance.app.inject({
          method: 'PUT',
          url: '/api/settings/calendar',
          headers: { cookie: i === 0 ? adminOnFirst : adminOnSecond },
          payload: { version: before.calendarVersion, content: `2027-01-0${i + 1},holiday` },
        }),
      ),
    );
    expect(calendar.map((answer) => answer.statusCode).sort()).toEqual([200, 409]);
    const after = await view();
    expect(after.calendar.find((year) => year.year === 2027)?.days).toHaveLength(1);
  }, 60_000);
});

describe('two instances agree within a second', () => {
  it('on a line’s number changed through the other', async () => {
    expect((await lineForDialled(second.ctx, '0611')).id).toBe('l1'); // unknown: the default line
    const before = await view();
    const lines = structuredClone(before.lines);
    (lines[2] as LineSettings).dialled.push('0611');
    const saved = await first.app.inject({
      method: 'PUT',
      url: '/api/settings/lines',
      headers: { cookie: adminOnFirst },
      payload: { version: before.linesVersion, lines },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const started = Date.now();
    while ((await lineForDialled(second.ctx, '0611')).id !== 'l3') {
      expect(Date.now() - started).toBeLessThan(1_500);
      await sleep(50);
    }
    expect((await operationalSettings(second.ctx)).version).toBe((await operationalSettings(first.ctx)).version);
  });

  it('on a secret set through the other', async () => {
    const value = 'Shared-PBX-Secret-0123456789';
    const saved = await first.app.inject({
      method: 'PUT',
      url: '/api/settings/secrets/pbx.webhookSecret',
      headers: { cookie: adminOnFirst },
      payload: { value },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const started = Date.now();
    while ((await readSecret(second.ctx, 'pbx.webhookSecret')) !== value) {
      expect(Date.now() - started).toBeLessThan(1_500);
      await sleep(50);
    }
  });
});
