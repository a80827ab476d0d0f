import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { loginThrottle } from './schema.js';

/**
 * Thresholds for failed logins, counted in the database (so every instance sees the same count)
 * per login name and per client address. Documented in docs/security.md.
 */
export const throttleRules = {
  login: { window: 15 * 60_000, slowAfter: 3, lockAfter: 10, lockFor: 15 * 60_000 },
  ip: { window: 15 * 60_000, slowAfter: 10, lockAfter: 50, lockFor: 15 * 60_000 },
  /** Delay added per failure past `slowAfter`, capped. */
  delayStep: 500,
  maxDelay: 4_000,
} as const;

type Scope = 'login' | 'ip';
const keyOf = (scope: Scope, value: string) => `${scope}:${value.toLowerCase()}`;

export interface ThrottleState {
  lockedUntil: Date | null;
  delayMs: number;
}

export async function throttleStateFor(db: Db, login: string, ip: string, now: Date): Promise<ThrottleState> {
  const rows = await db
    .select()
    .from(loginThrottle)
    .where(inArray(loginThrottle.key, [keyOf('login', login), keyOf('ip', ip)]));
  let lockedUntil: Date | null = null;
  let delayMs = 0;
  for (const row of rows) {
    const scope = row.key.startsWith('ip:') ? 'ip' : 'login';
    const rule = throttleRules[scope];
    if (row.lockedUntil && row.lockedUntil > now) {
      if (!lockedUntil || row.lockedUntil > lockedUntil) lockedUntil = row.lockedUntil;
    }
    if (now.getTime() - row.windowStartedAt.getTime() < rule.window && row.failures >= rule.slowAfter) {
      const delay = Math.min(throttleRules.maxDelay, (row.failures - rule.slowAfter + 1) * throttleRules.delayStep);
      delayMs = Math.max(delayMs, delay);
    }
  }
  return { lockedUntil, delayMs };
}

async function countFailure(db: Db, scope: Scope, value: string, now: Date) {
  const rule = throttleRules[scope];
  const windowStart = new Date(now.getTime() - rule.window);
  // One statement, so concurrent failures from several instances all count.
  await db
    .insert(loginThrottle)
    .values({ key: keyOf(scope, value), failures: 1, windowStartedAt: now })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures: sql`case when ${loginThrottle.windowStartedAt} < ${windowStart} then 1 else ${loginThrottle.failures} + 1 end`,
        windowStartedAt: sql`case when ${loginThrottle.windowStartedAt} < ${windowStart} then ${now} else ${loginThrottle.windowStartedAt} end`,
        lockedUntil: sql`case when ${loginThrottle.windowStartedAt} >= ${windowStart} and ${loginThrottle.failures} + 1 >= ${rule.lockAfter} then ${new Date(now.getTime() + rule.lockFor)} else ${loginThrottle.lockedUntil} end`,
      },
    });
}

export async function recordLoginFailure(db: Db, login: string, ip: string, now: Date) {
  await countFailure(db, 'login', login, now);
  await countFailure(db, 'ip', ip, now);
}

/** A correct password clears the name's count; the address keeps its own. */
export async function recordLoginSuccess(db: Db, login: string) {
  await db.delete(loginThrottle).where(eq(loginThrottle.key, keyOf('login', login)));
}
