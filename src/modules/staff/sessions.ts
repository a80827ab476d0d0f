import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import type { Role, SignedInStaff, StaffSession } from '../../common/api/staff.js';
import type { Db } from '../../db/connection.js';
import { staff, staffSessions } from './schema.js';

export const SESSION_COOKIE = 'linedesk_session';
/** A shift plus overtime; an idle session ends sooner (see `SESSION_IDLE_MS`). */
export const SESSION_LIFETIME_MS = 14 * 60 * 60 * 1000;
export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000;
// last_seen_at is written at most this often, so reads do not turn into writes on every request.
const TOUCH_INTERVAL_MS = 60 * 1000;

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

// Every signed-in request would otherwise start with a query of its own (the caller lookup's
// budget is 10 ms in all). A session is kept in memory for a few seconds: this process forgets
// it at once when it ends it or changes its staff member (forgetSession, forgetSessionsOf, called
// after the commit); another server on the same database sees the change within SESSION_CACHE_MS.
// The TTL runs on performance.now() (lru-cache's clock), so it is real time even under a test's
// fixed clock. The bound is far more than a contact centre's shift signs in; past it the least
// recently used session is read from the database again.
const SESSION_CACHE_MS = 5_000;
const SESSION_CACHE_MAX = 10_000;
interface CachedSession {
  me: SignedInStaff;
  expiresAt: number;
  lastSeenAt: number;
}
/** Per database handle: the cached sessions by token hash and the prepared statement that reads one. */
interface SessionStore {
  cache: LRUCache<string, CachedSession>;
  byTokenHash: ReturnType<typeof sessionByTokenHash>;
}
const storeOf = new WeakMap<Db, SessionStore>();

function sessionStore(db: Db): SessionStore {
  let store = storeOf.get(db);
  if (!store) {
    store = {
      cache: new LRUCache({ max: SESSION_CACHE_MAX, ttl: SESSION_CACHE_MS }),
      byTokenHash: sessionByTokenHash(db),
    };
    storeOf.set(db, store);
  }
  return store;
}

function forgetCachedWhere(db: Db, ends: (me: SignedInStaff) => boolean): void {
  const { cache } = sessionStore(db);
  const ended = [...cache.entries()].filter(([, entry]) => ends(entry.me)).map(([key]) => key);
  for (const key of ended) cache.delete(key);
}

/** Drops a session from this process's cache, so its next request reads the database. */
export function forgetSession(db: Db, sessionId: string): void {
  forgetCachedWhere(db, (me) => me.sessionId === sessionId);
}

/** Drops every cached session of a staff member (deactivated, role changed, sessions revoked). */
export function forgetSessionsOf(db: Db, staffId: number): void {
  forgetCachedWhere(db, (me) => me.id === staffId);
}

export async function startSession(
  db: Db,
  staffId: number,
  client: { ip: string | null; userAgent: string | null },
  now: Date,
): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const sessionId = randomUUID();
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
  await db.insert(staffSessions).values({
    id: sessionId,
    tokenHash: tokenHash(token),
    staffId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
    ip: client.ip,
    userAgent: client.userAgent?.slice(0, 300) ?? null,
  });
  return { token, sessionId, expiresAt };
}

/** The signed-in staff member behind a cookie token, or null when the session is over. */
export async function resolveSession(db: Db, token: string, now: Date): Promise<SignedInStaff | null> {
  if (token.length < 20 || token.length > 100) return null;
  const key = tokenHash(token);
  const { cache, byTokenHash } = sessionStore(db);
  let entry = cache.get(key);
  if (!entry) {
    const [row] = await byTokenHash.execute({ tokenHash: key });
    if (!row) return null;
    entry = {
      me: { id: row.id, login: row.login, fullName: row.fullName, role: row.role as Role, sessionId: row.sessionId },
      expiresAt: row.expiresAt.getTime(),
      lastSeenAt: row.lastSeenAt.getTime(),
    };
    cache.set(key, entry);
  }
  // Expiry and idleness are checked here, not in SQL, so a cached session ends on time too.
  const nowMs = now.getTime();
  if (entry.expiresAt <= nowMs || entry.lastSeenAt <= nowMs - SESSION_IDLE_MS) {
    cache.delete(key);
    return null;
  }
  if (nowMs - entry.lastSeenAt > TOUCH_INTERVAL_MS) {
    entry.lastSeenAt = nowMs;
    await db.update(staffSessions).set({ lastSeenAt: now }).where(eq(staffSessions.id, entry.me.sessionId));
  }
  return entry.me;
}

const sessionByTokenHash = (db: Db) =>
  db
    .select({
      sessionId: staffSessions.id,
      lastSeenAt: staffSessions.lastSeenAt,
      expiresAt: staffSessions.expiresAt,
      id: staff.id,
      login: staff.login,
      fullName: staff.fullName,
      role: staff.role,
    })
    .from(staffSessions)
    .innerJoin(staff, eq(staff.id, staffSessions.staffId))
    .where(
      and(
        eq(staffSessions.tokenHash, sql.placeholder('tokenHash')),
        isNull(staffSessions.revokedAt),
        eq(staff.isActive, 1),
      ),
    )
    .prepare('session_by_token_hash');

export async function endSession(db: Db, sessionId: string, now: Date): Promise<boolean> {
  const ended = await db
    .update(staffSessions)
    .set({ revokedAt: now })
    .where(and(eq(staffSessions.id, sessionId), isNull(staffSessions.revokedAt)))
    .returning({ id: staffSessions.id });
  return ended.length > 0;
}

export async function endAllSessionsOf(db: Db, staffId: number, now: Date): Promise<number> {
  const ended = await db
    .update(staffSessions)
    .set({ revokedAt: now })
    .where(and(eq(staffSessions.staffId, staffId), isNull(staffSessions.revokedAt)))
    .returning({ id: staffSessions.id });
  return ended.length;
}

export async function findSession(db: Db, sessionId: string) {
  const [row] = await db.select().from(staffSessions).where(eq(staffSessions.id, sessionId));
  return row ?? null;
}

/** Sessions still usable now, newest first; `staffId` narrows to one person. */
export async function listLiveSessions(
  db: Db,
  now: Date,
  currentSessionId: string,
  staffId?: number,
): Promise<StaffSession[]> {
  const rows = await db
    .select({
      id: staffSessions.id,
      staffId: staffSessions.staffId,
      staffLogin: staff.login,
      createdAt: staffSessions.createdAt,
      lastSeenAt: staffSessions.lastSeenAt,
      expiresAt: staffSessions.expiresAt,
      ip: staffSessions.ip,
      userAgent: staffSessions.userAgent,
    })
    .from(staffSessions)
    .innerJoin(staff, eq(staff.id, staffSessions.staffId))
    .where(
      and(
        isNull(staffSessions.revokedAt),
        gt(staffSessions.expiresAt, now),
        gt(staffSessions.lastSeenAt, new Date(now.getTime() - SESSION_IDLE_MS)),
        staffId ? eq(staffSessions.staffId, staffId) : sql`true`,
      ),
    )
    .orderBy(desc(staffSessions.lastSeenAt))
    .limit(500);
  return rows.map((row) => ({
    ...row,
    createdAt: row.createdAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    current: row.id === currentSessionId,
  }));
}
