import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import type { AppContext } from '../core/context.js';

/**
 * Login tries, counted in the database (so every instance sees the same counts) before the
 * password is checked, per login name and client address together, per login name, and per
 * address. Documented in docs/security.md ("Failed logins").
 *
 * Only a name *from one address* is locked: a lock on the name alone would let anyone lock a
 * member out from elsewhere by typing wrong passwords. Guessing one name from many addresses is
 * slowed instead, by a delay that grows with that name's failures.
 */
export const throttleRules = {
  /** A name from one address: locked past `lockAfter` tries in the window. */
  pair: { window: 15 * 60_000, slowAfter: null, lockAfter: 10, lockFor: 15 * 60_000 },
  /** A name from any address: slowed, never locked. */
  login: { window: 15 * 60_000, slowAfter: 3, lockAfter: null, lockFor: 0 },
  /** One address, whatever the name: slowed, then locked. */
  ip: { window: 15 * 60_000, slowAfter: 10, lockAfter: 50, lockFor: 15 * 60_000 },
  /** Delay added per try past `slowAfter`, capped. */
  delayStep: 500,
  maxDelay: 4_000,
} as const;

type Scope = 'pair' | 'login' | 'ip';
const scopes: Scope[] = ['pair', 'login', 'ip'];

function keysOf(login: string, ip: string): Record<Scope, string> {
  const name = login.toLowerCase();
  const address = ip.toLowerCase();
  return { pair: `pair:${name}@${address}`, login: `login:${name}`, ip: `ip:${address}` };
}

export interface LoginTry {
  /** Set when this try is refused without checking the password. */
  lockedUntil: Date | null;
  /** How long to wait before checking the password. */
  delayMs: number;
}

const delayAfter = (tries: number, slowAfter: number | null) =>
  slowAfter === null || tries <= slowAfter
    ? 0
    : Math.min(throttleRules.maxDelay, (tries - slowAfter) * throttleRules.delayStep);

/**
 * Counts one login try under all three keys in one statement and says whether it may be checked.
 * The count comes before the password check and the row lock of the upsert orders concurrent
 * tries, so however many arrive at once on however many instances, each gets its own number and
 * no more than `lockAfter` of them are ever checked. The keys are always locked in the same order
 * (pair, name, address), so concurrent tries cannot deadlock.
 */
export async function countLoginTry(db: Db, login: string, ip: string, now: Date): Promise<LoginTry> {
  const keys = keysOf(login, ip);
  const windowStart = new Date(now.getTime() - throttleRules.pair.window);
  const fresh = sql`login_throttle.window_started_at <= ${windowStart}`;
  const tries = sql`case when ${fresh} then 1 else login_throttle.failures + 1 end`;
  const lockFor: SQL[] = [];
  for (const scope of scopes) {
    const rule = throttleRules[scope];
    if (rule.lockAfter === null) continue;
    lockFor.push(
      sql`when login_throttle.key like ${`${scope}:%`} and ${tries} > ${rule.lockAfter}
            and (login_throttle.locked_until is null or login_throttle.locked_until <= ${now})
          then ${new Date(now.getTime() + rule.lockFor)}::timestamptz`,
    );
  }
  const rows = (await db.execute(sql`
    insert into login_throttle as login_throttle (key, failures, window_started_at, locked_until)
    values (${keys.pair}, 1, ${now}, null), (${keys.login}, 1, ${now}, null), (${keys.ip}, 1, ${now}, null)
    on conflict (key) do update set
      failures = ${tries},
      window_started_at = case when ${fresh} then ${now} else login_throttle.window_started_at end,
      locked_until = case ${sql.join(lockFor, sql` `)} else login_throttle.locked_until end
    returning key, failures, locked_until`)) as unknown as {
    rows: { key: string; failures: number; locked_until: Date | string | null }[];
  };
  let lockedUntil: Date | null = null;
  let delayMs = 0;
  for (const row of rows.rows) {
    const scope = scopes.find((candidate) => keys[candidate] === row.key);
    if (!scope) continue;
    // A name alone is never locked, whatever an older version wrote into its row.
    const until =
      row.locked_until === null || throttleRules[scope].lockAfter === null ? null : new Date(row.locked_until);
    if (until && until > now && (!lockedUntil || until > lockedUntil)) lockedUntil = until;
    delayMs = Math.max(delayMs, delayAfter(row.failures, throttleRules[scope].slowAfter));
  }
  return { lockedUntil, delayMs };
}

/**
 * A correct password: the name-and-address count starts afresh, and this try no longer counts
 * against the name or the address (it was not a guess). The name's count of other failures stays,
 * so someone guessing from elsewhere is not forgiven by the owner signing in.
 */
export async function settleSuccessfulLogin(db: Db, login: string, ip: string): Promise<void> {
  const keys = keysOf(login, ip);
  await db.execute(sql`
    with cleared as (delete from login_throttle where key = ${keys.pair})
    update login_throttle set failures = greatest(failures - 1, 0)
    where key in (${keys.login}, ${keys.ip})`);
}

/** How long past its window and its lock a row is kept before the hourly prune deletes it. */
const PRUNE_AFTER_MS = 60 * 60_000;

/**
 * Deletes the rows whose window and lock ended long ago: the next try under such a key starts
 * afresh whether the row is there or not, so they only grow the table (every address that ever
 * mistyped a password). Run hourly by a job (src/server/jobs.ts); returns how many went.
 */
export async function pruneLoginThrottle(ctx: AppContext): Promise<number> {
  const longAgo = new Date(ctx.clock().getTime() - throttleRules.pair.window - PRUNE_AFTER_MS);
  const [row] = (
    (await ctx.database.db.execute(sql`
      with gone as (
        delete from login_throttle
        where window_started_at < ${longAgo}::timestamptz
          and (locked_until is null or locked_until < ${longAgo}::timestamptz)
        returning 1)
      select count(*)::int as n from gone`)) as unknown as { rows: { n: number }[] }
  ).rows;
  return row?.n ?? 0;
}
