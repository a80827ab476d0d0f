import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import { testContext } from '../../testing/context.js';
import { openTestDatabase } from '../../testing/database.js';
import { TEST_DEMO } from '../../testing/demo.js';
import { countLoginTry, pruneLoginThrottle, settleSuccessfulLogin, throttleRules } from './login-throttle.js';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database?.close());

const start = new Date(`${TEST_DEMO.today}T09:00:00Z`);
const startPlus = (ms: number) => new Date(start.getTime() + ms);
const minutes = (n: number) => n * 60_000;

async function tries(times: number, login: string, ip: string, at = start) {
  const results = [];
  for (let i = 0; i < times; i++) results.push(await countLoginTry(database.db, login, ip, at));
  return results;
}

describe('the login throttle', () => {
  it('lets the first tries of a login through without delay or lock', async () => {
    const results = await tries(throttleRules.login.slowAfter, 'first-tries', '10.50.0.1');
    expect(results.every((result) => result.delayMs === 0 && result.lockedUntil === null)).toBe(true);
  });

  it('slows a login tried from many addresses by half a second per try from the fourth, up to four seconds', async () => {
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 12; attempt++) {
      delays.push((await countLoginTry(database.db, 'slowed', `10.51.0.${attempt}`, start)).delayMs);
    }
    expect(delays).toEqual([0, 0, 0, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4000]);
  });

  it('refuses the eleventh try of a login from one address for 15 minutes, and not from another address', async () => {
    const results = await tries(10, 'locked-out', '10.52.0.1');
    expect(results.every((result) => result.lockedUntil === null)).toBe(true);
    const eleventh = await countLoginTry(database.db, 'locked-out', '10.52.0.1', start);
    expect(eleventh.lockedUntil).toEqual(startPlus(minutes(15)));
    expect((await countLoginTry(database.db, 'locked-out', '10.52.9.9', startPlus(1000))).lockedUntil).toBeNull();
    const after = await countLoginTry(database.db, 'locked-out', '10.52.0.1', startPlus(minutes(15)));
    expect(after.lockedUntil).toBeNull();
  });

  it('counts a login’s name in any case as one name', async () => {
    await tries(3, 'Mixed-Case', '10.53.0.1');
    expect((await countLoginTry(database.db, 'mixed-case', '10.53.9.9', start)).delayMs).toBe(500);
  });

  it('starts the count afresh once the 15-minute window has passed', async () => {
    await tries(5, 'window', '10.54.0.1');
    const later = startPlus(minutes(16));
    expect((await countLoginTry(database.db, 'window', '10.54.0.1', later)).delayMs).toBe(0);
  });

  it('forgets the name-and-address count on a correct password but keeps the others’ failures', async () => {
    await tries(9, 'forgiven', '10.55.0.1');
    await settleSuccessfulLogin(database.db, 'forgiven', '10.55.0.1');
    // The pair starts again at one: ten more tries from there before a refusal.
    const again = await tries(10, 'forgiven', '10.55.0.1', startPlus(1000));
    expect(again.every((result) => result.lockedUntil === null)).toBe(true);
    // The name keeps 8 + 10 failures: still slowed at the cap.
    expect((await countLoginTry(database.db, 'forgiven', '10.55.9.9', startPlus(2000))).delayMs).toBe(
      throttleRules.maxDelay,
    );
  });

  it('slows one address trying many logins after ten tries and refuses it past fifty', async () => {
    const results = [];
    for (let i = 0; i < 50; i++) results.push(await countLoginTry(database.db, `spray-${i}`, '10.56.0.1', start));
    expect(results.every((result) => result.lockedUntil === null)).toBe(true);
    expect(results[49]?.delayMs).toBe(throttleRules.maxDelay);
    const refused = await countLoginTry(database.db, 'spray-new', '10.56.0.1', start);
    expect(refused.lockedUntil).toEqual(startPlus(minutes(15)));
    expect((await countLoginTry(database.db, 'spray-new', '10.56.0.2', start)).lockedUntil).toBeNull();
  });

  it('gives concurrent tries each their own number, so no more than the limit pass', async () => {
    const results = await Promise.all(
      Array.from({ length: 30 }, () => countLoginTry(database.db, 'at-once', '10.57.0.1', start)),
    );
    expect(results.filter((result) => result.lockedUntil === null)).toHaveLength(throttleRules.pair.lockAfter);
  });

  it('never locks a name alone, even where an older version left a lock in its row', async () => {
    await database.db.execute(
      sql`insert into login_throttle (key, failures, window_started_at, locked_until)
          values ('login:legacy', 10, ${start}, ${startPlus(minutes(15))})`,
    );
    expect((await countLoginTry(database.db, 'legacy', '10.58.0.1', startPlus(1000))).lockedUntil).toBeNull();
  });

  it('prunes only the rows whose window and lock ended more than an hour ago', async () => {
    await database.db.execute(sql`delete from login_throttle`);
    const hoursAgo = (n: number) => startPlus(-n * 60 * 60_000);
    await database.db.execute(
      sql`insert into login_throttle (key, failures, window_started_at, locked_until) values
          ('ip:old', 3, ${hoursAgo(3)}, null),
          ('ip:old-lock', 60, ${hoursAgo(3)}, ${hoursAgo(2)}),
          ('ip:recent-window', 3, ${hoursAgo(1)}, null),
          ('ip:lock-ended-lately', 60, ${hoursAgo(3)}, ${hoursAgo(0.5)}),
          ('ip:locked-on', 60, ${hoursAgo(3)}, ${startPlus(minutes(10))})`,
    );
    expect(await pruneLoginThrottle(testContext(database, { clock: () => start }))).toBe(2);
    const left = await database.rows<{ key: string }>(sql`select key from login_throttle order by key`);
    expect(left.map((row) => row.key)).toEqual(['ip:lock-ended-lately', 'ip:locked-on', 'ip:recent-window']);
  });
});
