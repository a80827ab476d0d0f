import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/connection.js';
import { openTestDatabase } from '../../testing/database.js';
import { TEST_DEMO } from '../../testing/demo.js';
import { recordLoginFailure, recordLoginSuccess, throttleRules, throttleStateFor } from './login-throttle.js';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database?.close());

const start = new Date(`${TEST_DEMO.today}T09:00:00Z`);
const startPlus = (ms: number) => new Date(start.getTime() + ms);
const minutes = (n: number) => n * 60_000;

async function fail(times: number, login: string, ip: string, at = start) {
  for (let i = 0; i < times; i++) await recordLoginFailure(database.db, login, ip, at);
}

describe('the login throttle', () => {
  it('lets the first failures of a login through without delay or lock', async () => {
    await fail(throttleRules.login.slowAfter - 1, 'first-tries', '10.50.0.1');
    expect(await throttleStateFor(database.db, 'first-tries', '10.50.0.1', start)).toEqual({
      lockedUntil: null,
      delayMs: 0,
    });
  });

  it('slows a login down by half a second per failure from the third, up to four seconds', async () => {
    const delays: number[] = [];
    for (let failures = 1; failures <= 12; failures++) {
      await recordLoginFailure(database.db, 'slowed', `10.51.0.${failures}`, start);
      delays.push((await throttleStateFor(database.db, 'slowed', '10.51.1.1', start)).delayMs);
    }
    expect(delays).toEqual([0, 0, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4000, 4000]);
  });

  it('locks a login for 15 minutes after ten failures, from any address, then lets it try again', async () => {
    await fail(9, 'locked-out', '10.52.0.1');
    expect((await throttleStateFor(database.db, 'locked-out', '10.52.9.9', start)).lockedUntil).toBeNull();
    await fail(1, 'locked-out', '10.52.0.2');
    const locked = await throttleStateFor(database.db, 'locked-out', '10.52.9.9', start);
    expect(locked.lockedUntil).toEqual(startPlus(minutes(15)));
    expect(
      (await throttleStateFor(database.db, 'locked-out', '10.52.9.9', startPlus(minutes(15)))).lockedUntil,
    ).toBeNull();
  });

  it('counts a login’s name in any case as one name', async () => {
    await fail(3, 'Mixed-Case', '10.53.0.1');
    expect((await throttleStateFor(database.db, 'mixed-case', '10.53.9.9', start)).delayMs).toBe(500);
  });

  it('starts the count afresh once the 15-minute window has passed', async () => {
    await fail(5, 'window', '10.54.0.1');
    expect((await throttleStateFor(database.db, 'window', '10.54.9.9', start)).delayMs).toBeGreaterThan(0);
    const later = startPlus(minutes(16));
    expect((await throttleStateFor(database.db, 'window', '10.54.9.9', later)).delayMs).toBe(0);
    await fail(2, 'window', '10.54.0.2', later);
    expect((await throttleStateFor(database.db, 'window', '10.54.9.9', later)).delayMs).toBe(0);
  });

  it('clears a login’s count on a correct password but keeps the address’s', async () => {
    await fail(12, 'forgiven', '10.55.0.1');
    await recordLoginSuccess(database.db, 'forgiven');
    expect((await throttleStateFor(database.db, 'forgiven', '10.55.9.9', start)).delayMs).toBe(0);
    expect((await throttleStateFor(database.db, 'someone-else', '10.55.0.1', start)).delayMs).toBe(1500);
  });

  it('slows one address guessing many logins after ten failures and locks it after fifty', async () => {
    for (let i = 0; i < 49; i++) await recordLoginFailure(database.db, `spray-${i}`, '10.56.0.1', start);
    const slowed = await throttleStateFor(database.db, 'spray-new', '10.56.0.1', start);
    expect(slowed).toEqual({ lockedUntil: null, delayMs: throttleRules.maxDelay });
    await recordLoginFailure(database.db, 'spray-49', '10.56.0.1', start);
    expect((await throttleStateFor(database.db, 'spray-new', '10.56.0.1', start)).lockedUntil).toEqual(
      startPlus(minutes(15)),
    );
    expect((await throttleStateFor(database.db, 'spray-new', '10.56.0.2', start)).lockedUntil).toBeNull();
  });
});
