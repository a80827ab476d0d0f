import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import type { Role, SignedInStaff } from '../../common/api/staff.js';
import { recordAudit } from '../audit/service.js';
import type { AppContext } from '../core/context.js';
import { Problem } from '../core/problem.js';
import { countLoginTry, settleSuccessfulLogin } from './login-throttle.js';
import { decoyPasswordHash, passwordMatches } from './passwords.js';
import { staff } from './schema.js';
import { startSession } from './sessions.js';

export interface ClientInfo {
  ip: string;
  userAgent: string | null;
}

/**
 * Checks a login and password and opens a session. Every try is counted before the password is
 * checked, per name and address together, per name and per address; tries are answered slower and
 * slower, and past the limit refused without a check (login-throttle.ts). The answer never says
 * whether the name exists.
 */
export async function logIn(
  ctx: AppContext,
  credentials: { login: string; password: string },
  client: ClientInfo,
): Promise<{ me: SignedInStaff; token: string; expiresAt: Date }> {
  const { db } = ctx.database;
  const now = ctx.clock();
  const login = credentials.login.toLowerCase();
  const throttle = await countLoginTry(db, login, client.ip, now);
  if (throttle.lockedUntil) {
    throw new Problem(
      'auth.locked',
      429,
      'Too many failed logins: try again later',
      `Locked until ${throttle.lockedUntil.toISOString()}`,
    );
  }
  if (throttle.delayMs > 0) await sleep(throttle.delayMs);

  const [member] = await db.select().from(staff).where(eq(staff.login, login));
  const matches = await passwordMatches(member?.passwordHash ?? (await decoyPasswordHash()), credentials.password);
  if (!member || !matches || member.isActive !== 1) {
    await recordAudit(db, {
      staffId: member?.id ?? null,
      action: 'staff.login_failed',
      targetType: 'staff',
      targetId: login,
      ip: client.ip,
    });
    throw new Problem('auth.invalid_credentials', 401, 'Wrong login or password');
  }
  await settleSuccessfulLogin(db, login, client.ip);
  const session = await startSession(db, member.id, client, now);
  await recordAudit(db, {
    staffId: member.id,
    action: 'staff.logged_in',
    targetType: 'session',
    targetId: session.sessionId,
    ip: client.ip,
  });
  return {
    me: {
      id: member.id,
      login: member.login,
      fullName: member.fullName,
      role: member.role as Role,
      sessionId: session.sessionId,
    },
    token: session.token,
    expiresAt: session.expiresAt,
  };
}
