import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecondInstance, startTestApp, type TestApp } from '../../testing/test-app.js';

// PostgreSQL only: two administrators on two instances editing the NAS list at once.
let first: TestApp;
let second: TestApp;
let onFirst: string;
let onSecond: string;
beforeAll(async () => {
  const env = { SETTINGS_KEY: 'a7'.repeat(32) };
  first = await startTestApp({ env });
  second = await startSecondInstance(first, { env });
  onFirst = await first.loginAs('admin');
  onSecond = await second.loginAs('admin');
});
afterAll(async () => {
  await second?.close();
  await first?.close();
});

const put = (t: TestApp, cookie: string, name: string, payload: object) =>
  t.app.inject({ method: 'PUT', url: `/api/settings/nas/${name}`, headers: { cookie }, payload });

const nas = (address: string, secret: string) => ({ address, vendor: 'cisco', interimIntervalSeconds: 300, secret });

const rows = (query: ReturnType<typeof sql>) => first.database.rows<{ n: number }>(query);

describe('two administrators changing the NAS list at once', () => {
  it('adding one name: one is added, the other gets 409, and one addition is audited', async () => {
    for (let round = 0; round < 5; round++) {
      const name = `race-${round}`;
      const answers = await Promise.all([
        put(first, onFirst, name, nas(`127.0.1.${round}`, 'first-admin-secret-1')),
        put(second, onSecond, name, nas(`127.0.2.${round}`, 'second-admin-secret')),
      ]);
      expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 409]);
      const [audited] = await rows(
        sql`select count(*)::int as n from audit_log where action = 'settings.nas_added' and target_id = ${name}`,
      );
      expect(audited?.n).toBe(1);
      const winner = answers.find((answer) => answer.statusCode === 200)?.json();
      const [stored] = await first.database.rows<{ address: string }>(
        sql`select address from settings_nas where name = ${name}`,
      );
      expect(stored?.address).toBe(winner.address);
    }
  });

  it('two NASes with one address: one is added, the other gets 409', async () => {
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all([
        put(first, onFirst, `one-${round}`, nas(`127.0.3.${round}`, 'first-admin-secret-1')),
        put(second, onSecond, `two-${round}`, nas(`127.0.3.${round}`, 'second-admin-secret')),
      ]);
      expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 409]);
      const [stored] = await rows(
        sql`select count(*)::int as n from settings_nas where address = ${`127.0.3.${round}`}`,
      );
      expect(stored?.n).toBe(1);
    }
  });

  it('editing one NAS from one version: one edit wins, the other gets 409', async () => {
    const { version } = (await put(first, onFirst, 'edited', nas('127.0.4.1', 'first-admin-secret-1'))).json();
    const answers = await Promise.all([
      put(first, onFirst, 'edited', {
        ...nas('127.0.4.1', 'first-admin-secret-1'),
        interimIntervalSeconds: 600,
        version,
      }),
      put(second, onSecond, 'edited', {
        ...nas('127.0.4.1', 'second-admin-secret'),
        interimIntervalSeconds: 900,
        version,
      }),
    ]);
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 409]);
  });
});
