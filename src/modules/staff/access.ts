import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SignedInStaff } from '../../common/api/staff.js';
import type { AppContext } from '../core/context.js';
import { Problem } from '../core/problem.js';
import { type Permission, permissions, roleMay } from './permissions.js';
import { resolveSession, SESSION_COOKIE } from './sessions.js';

/** `public`: anyone; `signed_in`: any active session; otherwise a permission from the table. */
export type Access = 'public' | 'signed_in' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    staff: SignedInStaff | null;
  }
}

export function signedIn(request: FastifyRequest): SignedInStaff {
  if (!request.staff) throw new Problem('auth.required', 401, 'Sign in first');
  return request.staff;
}

/**
 * Every route states who may call it; one that does not fails at start-up rather than being open.
 * The session is read from the cookie for every routed request and checked against the table.
 */
export function registerAccess(app: FastifyInstance, ctx: AppContext) {
  app.decorateRequest('staff', null);
  app.addHook('onRoute', (route) => {
    // The web app's files and the API's own documentation are public by nature.
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) {
      route.config = { ...route.config, access: route.config?.access ?? 'public' };
      return;
    }
    const access = (route.config as { access?: Access } | undefined)?.access;
    if (!access) throw new Error(`route ${route.method} ${route.url} declares no config.access`);
    if (access !== 'public' && access !== 'signed_in' && !(access in permissions)) {
      throw new Error(`route ${route.method} ${route.url} names unknown permission ${access}`);
    }
  });
  app.addHook('preHandler', async (request) => {
    const access = request.routeOptions.config.access;
    if (!access || access === 'public') return;
    const token = request.cookies[SESSION_COOKIE];
    const me = token ? await resolveSession(ctx.database.db, token, ctx.clock()) : null;
    if (!me) throw new Problem('auth.required', 401, 'Sign in first');
    request.staff = me;
    if (access !== 'signed_in' && !roleMay(me.role, access)) {
      throw new Problem('auth.forbidden', 403, 'Your role may not do this');
    }
  });
}
