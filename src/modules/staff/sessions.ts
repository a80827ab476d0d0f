import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
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
  const [row] = await db
    .select({
      sessionId: staffSessions.id,
      lastSeenAt: staffSessions.lastSeenAt,
      id: staff.id,
      login: staff.login,
      fullName: staff.fullName,
      role: staff.role,
    })
    .from(staffSessions)
    .innerJoin(staff, eq(staff.id, staffSessions.staffId))
    .where(
      and(
        eq(staffSessions.tokenHash, tokenHash(token)),
        isNull(staffSessions.revokedAt),
        gt(staffSessions.expiresAt, now),
        gt(staffSessions.lastSeenAt, new Date(now.getTime() - SESSION_IDLE_MS)),
        eq(staff.isActive, 1),
      ),
    );
  if (!row) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.update(staffSessions).set({ lastSeenAt: now }).where(eq(staffSessions.id, row.sessionId));
  }
  return { id: row.id, login: row.login, fullName: row.fullName, role: row.role as Role, sessionId: row.sessionId };
}

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
