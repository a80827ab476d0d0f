import { and, asc, count, eq, gt, isNull } from 'drizzle-orm';
import type {
  CreateStaffRequest,
  Role,
  SignedInStaff,
  StaffMember,
  UpdateStaffRequest,
} from '../../common/api/staff.js';
import { recordAudit } from '../audit/service.js';
import type { AppContext } from '../core/context.js';
import { Problem } from '../core/problem.js';
import { staffNameFrom } from './names.js';
import { hashPassword } from './passwords.js';
import { staff, staffSessions } from './schema.js';
import { endAllSessionsOf, endSession, findSession, forgetSession, forgetSessionsOf } from './sessions.js';

/** Every member's login and name, for screens that name staff by id (the audit log): no session counts. */
export async function staffNames(ctx: AppContext): Promise<{ id: number; login: string; fullName: string }[]> {
  return ctx.database.db
    .select({ id: staff.id, login: staff.login, fullName: staff.fullName })
    .from(staff)
    .orderBy(asc(staff.login));
}

export async function listStaff(ctx: AppContext): Promise<StaffMember[]> {
  const { db } = ctx.database;
  const now = ctx.clock();
  const live = db
    .select({ staffId: staffSessions.staffId, n: count().as('n') })
    .from(staffSessions)
    .where(and(isNull(staffSessions.revokedAt), gt(staffSessions.expiresAt, now)))
    .groupBy(staffSessions.staffId)
    .as('live');
  const rows = await db
    .select({
      id: staff.id,
      login: staff.login,
      fullName: staff.fullName,
      role: staff.role,
      isActive: staff.isActive,
      createdAt: staff.createdAt,
      activeSessions: live.n,
    })
    .from(staff)
    .leftJoin(live, eq(live.staffId, staff.id))
    .orderBy(asc(staff.login));
  return rows.map((row) => ({
    ...row,
    role: row.role as Role,
    isActive: row.isActive === 1,
    createdAt: row.createdAt.toISOString(),
    activeSessions: Number(row.activeSessions ?? 0),
  }));
}

async function staffMember(ctx: AppContext, id: number): Promise<StaffMember> {
  const member = (await listStaff(ctx)).find((row) => row.id === id);
  if (!member) throw new Problem('staff.not_found', 404, 'No such staff member');
  return member;
}

export async function createStaff(ctx: AppContext, actor: SignedInStaff, request: CreateStaffRequest, ip: string) {
  const login = request.login.toLowerCase();
  const fullName = staffNameFrom(request.fullName);
  const passwordHash = await hashPassword(request.password);
  // The check answers the usual case; two creations at the same moment both pass it, and the
  // unique constraint stops the second, answered 409 by server/problem.ts.
  const id = await ctx.database.db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: staff.id }).from(staff).where(eq(staff.login, login));
    if (existing) throw new Problem('staff.login_taken', 409, 'This login is already taken');
    const [row] = await tx
      .insert(staff)
      .values({ login, fullName, role: request.role, passwordHash })
      .returning({ id: staff.id });
    if (!row) throw new Error('insert returned nothing');
    await recordAudit(tx, {
      staffId: actor.id,
      action: 'staff.created',
      targetType: 'staff',
      targetId: row.id,
      ip,
      details: { login, fullName, role: request.role },
    });
    return row.id;
  });
  return staffMember(ctx, id);
}

/**
 * Every change is audited with its true before and after: the row is read under its lock
 * (SELECT … FOR UPDATE) in the transaction that changes it and writes the audit rows, so two
 * administrators changing one member at once through two servers are ordered, and each audit row's
 * "from" is the previous one's "to". A deactivated member's sessions end at once.
 */
export async function updateStaff(
  ctx: AppContext,
  actor: SignedInStaff,
  id: number,
  change: UpdateStaffRequest,
  ip: string,
) {
  if (id === actor.id && (change.isActive === false || (change.role && change.role !== 'admin'))) {
    throw new Problem('staff.cannot_demote_self', 409, 'Administrators cannot deactivate or demote themselves');
  }
  const fullName = change.fullName === undefined ? undefined : staffNameFrom(change.fullName);
  const now = ctx.clock();
  await ctx.database.db.transaction(async (tx) => {
    const [before] = await tx.select().from(staff).where(eq(staff.id, id)).for('update');
    if (!before) throw new Problem('staff.not_found', 404, 'No such staff member');
    const audit = (action: string, details?: Record<string, unknown>) =>
      recordAudit(tx, { staffId: actor.id, action, targetType: 'staff', targetId: id, ip, details });
    const set: Partial<typeof staff.$inferInsert> = {};
    if (fullName !== undefined && fullName !== before.fullName) {
      set.fullName = fullName;
      await audit('staff.renamed', { from: before.fullName, to: fullName });
    }
    if (change.role !== undefined && change.role !== before.role) {
      set.role = change.role;
      await audit('staff.role_changed', { from: before.role, to: change.role });
    }
    if (change.isActive !== undefined && (change.isActive ? 1 : 0) !== before.isActive) {
      set.isActive = change.isActive ? 1 : 0;
      set.deactivatedAt = change.isActive ? null : now;
      await audit(change.isActive ? 'staff.reactivated' : 'staff.deactivated');
      if (!change.isActive) await endAllSessionsOf(tx, id, now);
    }
    if (Object.keys(set).length > 0) await tx.update(staff).set(set).where(eq(staff.id, id));
  });
  // After the commit: a request in between would read the old state back into the cache.
  forgetSessionsOf(ctx.database.db, id);
  return staffMember(ctx, id);
}

/**
 * An administrator sets another member's password (they forgot it, or it leaked): audited, and
 * every session of that member ends, so whoever knew the old one is signed out. Their own password
 * an administrator does not set here: a stolen session must not be enough to take the account.
 */
export async function resetPassword(
  ctx: AppContext,
  actor: SignedInStaff,
  id: number,
  password: string,
  ip: string,
): Promise<{ endedSessions: number }> {
  if (id === actor.id) {
    throw new Problem('staff.cannot_reset_own_password', 409, 'Administrators cannot reset their own password here');
  }
  const passwordHash = await hashPassword(password);
  const now = ctx.clock();
  const endedSessions = await ctx.database.db.transaction(async (tx) => {
    const [member] = await tx.select({ id: staff.id }).from(staff).where(eq(staff.id, id)).for('update');
    if (!member) throw new Problem('staff.not_found', 404, 'No such staff member');
    await tx.update(staff).set({ passwordHash }).where(eq(staff.id, id));
    const ended = await endAllSessionsOf(tx, id, now);
    await recordAudit(tx, {
      staffId: actor.id,
      action: 'staff.password_reset',
      targetType: 'staff',
      targetId: id,
      ip,
      details: { endedSessions: ended },
    });
    return ended;
  });
  forgetSessionsOf(ctx.database.db, id);
  return { endedSessions };
}

export async function revokeSession(ctx: AppContext, actor: SignedInStaff, sessionId: string, ip: string) {
  await ctx.database.db.transaction(async (tx) => {
    const session = await findSession(tx, sessionId);
    if (!session) throw new Problem('session.not_found', 404, 'No such session');
    const ended = await endSession(tx, sessionId, ctx.clock());
    if (!ended) throw new Problem('session.already_ended', 409, 'This session has already ended');
    await recordAudit(tx, {
      staffId: actor.id,
      action: 'staff.session_revoked',
      targetType: 'session',
      targetId: sessionId,
      ip,
      details: { ownerId: session.staffId },
    });
  });
  forgetSession(ctx.database.db, sessionId);
}

export async function revokeAllSessionsOf(ctx: AppContext, actor: SignedInStaff, staffId: number, ip: string) {
  const ended = await ctx.database.db.transaction(async (tx) => {
    const [member] = await tx.select({ id: staff.id }).from(staff).where(eq(staff.id, staffId)).for('update');
    if (!member) throw new Problem('staff.not_found', 404, 'No such staff member');
    const ended = await endAllSessionsOf(tx, staffId, ctx.clock());
    await recordAudit(tx, {
      staffId: actor.id,
      action: 'staff.sessions_revoked',
      targetType: 'staff',
      targetId: staffId,
      ip,
      details: { ended },
    });
    return ended;
  });
  forgetSessionsOf(ctx.database.db, staffId);
  return ended;
}

/** The first administrator of a production install (npm run create-admin). */
export async function createFirstAdmin(ctx: AppContext, loginAsTyped: string, nameAsTyped: string, password: string) {
  // Sign-in compares logins in lower case, so they are stored that way.
  const login = loginAsTyped.toLowerCase();
  const fullName = staffNameFrom(nameAsTyped);
  const passwordHash = await hashPassword(password);
  return ctx.database.db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: staff.id }).from(staff).where(eq(staff.login, login));
    if (existing) throw new Problem('staff.login_taken', 409, `The login "${login}" is already taken`);
    const [row] = await tx
      .insert(staff)
      .values({ login, fullName, role: 'admin', passwordHash })
      .returning({ id: staff.id });
    await recordAudit(tx, {
      staffId: null,
      action: 'staff.created',
      targetType: 'staff',
      targetId: row?.id,
      details: { login, role: 'admin', by: 'create-admin' },
    });
    return row?.id;
  });
}
