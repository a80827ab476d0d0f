import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecondInstance, startTestApp, type TestApp } from '../../testing/test-app.js';
import { throttleRules } from './login-throttle.js';

// PostgreSQL only (*.pg.test.ts runs under `npm run test:pg`): two instances of the app, each with
// its own pool and caches, on one database, taking requests at the same moment.
let first: TestApp;
let second: TestApp;
let admin: string;
beforeAll(async () => {
  first = await startTestApp();
  second = await startSecondInstance(first);
  admin = await first.loginAs('admin');
});
afterAll(async () => {
  await second?.close();
  await first?.close();
});

const instance = (i: number) => (i % 2 === 0 ? first : second);

const logIn = (i: number, login: string, password: string, ip: string) =>
  instance(i).app.inject({ method: 'POST', url: '/api/auth/login', payload: { login, password }, remoteAddress: ip });

async function createMember(login: string, password: string, role = 'l1') {
  const response = await first.app.inject({
    method: 'POST',
    url: '/api/admin/staff',
    headers: { cookie: admin },
    payload: { login, fullName: 'Проверка Параллельная', role, password },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id as number;
}

const pairTries = async (login: string, ip: string) =>
  (
    await first.database.rows<{ failures: number }>(
      sql`select failures from login_throttle where key = ${`pair:${login}@${ip}`}`,
    )
  )[0]?.failures ?? 0;

describe('logins at the same moment through two instances', () => {
  it('check no more than the limit of 100 wrong passwords for one login; the rest get 429', async () => {
    await createMember('hundred', 'the right password');
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => logIn(i, 'hundred', `wrong ${i}`, '10.61.0.1')),
    );
    const statuses = answers.map((answer) => answer.statusCode);
    expect(statuses.filter((status) => status === 401)).toHaveLength(throttleRules.pair.lockAfter);
    expect(statuses.filter((status) => status === 429)).toHaveLength(100 - throttleRules.pair.lockAfter);
  }, 60_000);

  it('refuse the right password sent as the 21st of 40 concurrent tries once the limit is reached', async () => {
    await createMember('twentyfirst', 'the right password');
    const ip = '10.62.0.1';
    const firstTwenty = Array.from({ length: 20 }, (_, i) => logIn(i, 'twentyfirst', `wrong ${i}`, ip));
    // The first twenty are counted (and the ten checked ones still wait out their delays) …
    while ((await pairTries('twentyfirst', ip)) < 20) await sleep(5);
    // … when the right password and nineteen more arrive.
    const right = logIn(20, 'twentyfirst', 'the right password', ip);
    const lastNineteen = Array.from({ length: 19 }, (_, i) => logIn(21 + i, 'twentyfirst', `late ${i}`, ip));
    const answers = await Promise.all([...firstTwenty, right, ...lastNineteen]);
    expect(answers[20]?.statusCode).toBe(429);
    expect(answers.filter((answer) => answer.statusCode === 200)).toHaveLength(0);
    expect(answers.filter((answer) => answer.statusCode === 401)).toHaveLength(throttleRules.pair.lockAfter);
    // From another address the member still signs in: nobody locks them out from elsewhere.
    expect((await logIn(0, 'twentyfirst', 'the right password', '10.62.9.9')).statusCode).toBe(200);
  }, 60_000);
});

describe('staff changes at the same moment through two instances', () => {
  it('answer a login taken at the same moment with 409, never 500', async () => {
    const statuses: number[] = [];
    for (let pair = 0; pair < 20; pair++) {
      const both = await Promise.all(
        [first, second].map((app) =>
          app.app.inject({
            method: 'POST',
            url: '/api/admin/staff',
            headers: { cookie: admin },
            payload: { login: `twin${pair}`, fullName: 'Близнец', role: 'l1', password: 'long enough' },
          }),
        ),
      );
      for (const answer of both) {
        statuses.push(answer.statusCode);
        if (answer.statusCode === 409) expect(answer.json().code).toBe('staff.login_taken');
      }
      expect(both.map((answer) => answer.statusCode).sort()).toEqual([201, 409]);
    }
    expect(statuses).not.toContain(500);
  }, 60_000);

  it('leave role-change audit rows in which each "from" is the previous "to"', async () => {
    const id = await createMember('shuffled', 'long enough', 'l1');
    const roles = ['l2', 'l3', 'supervisor', 'tech', 'admin', 'l1'] as const;
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        instance(i).app.inject({
          method: 'PATCH',
          url: `/api/admin/staff/${id}`,
          headers: { cookie: admin },
          payload: { role: roles[i % roles.length] },
        }),
      ),
    );
    expect(answers.map((answer) => answer.statusCode).every((status) => status === 200)).toBe(true);
    const audit = await first.database.rows<{ from: string; to: string }>(
      sql`select details->>'from' as "from", details->>'to' as "to" from audit_log
          where action = 'staff.role_changed' and target_id = ${String(id)} order by id`,
    );
    expect(audit.length).toBeGreaterThan(1);
    expect(audit[0]?.from).toBe('l1');
    for (let i = 1; i < audit.length; i++) expect(audit[i]?.from, `row ${i}`).toBe(audit[i - 1]?.to);
    const [now] = await first.database.rows<{ role: string }>(sql`select role from staff where id = ${id}`);
    expect(audit.at(-1)?.to).toBe(now?.role);
  }, 60_000);
});
