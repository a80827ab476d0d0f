import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  CreateStaffRequest,
  LoginRequest,
  Me,
  ResetPasswordRequest,
  ResetPasswordResult,
  StaffMember,
  StaffSession,
  UpdateStaffRequest,
} from '../../common/api/staff.js';
import { ProblemSchema, routeProblems } from '../../common/problem.js';
import { IdParam, StrictObject } from '../../common/schema-kit.js';
import type { AppContext } from '../core/context.js';
import { signedIn } from './access.js';
import { logIn } from './auth.js';
import { createStaff, listStaff, resetPassword, revokeAllSessionsOf, revokeSession, updateStaff } from './service.js';
import { endSession, forgetSession, listLiveSessions, SESSION_COOKIE } from './sessions.js';

const problems = { ...routeProblems, 409: ProblemSchema };

export const staffRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    '/api/auth/login',
    {
      config: { access: 'public' },
      schema: { tags: ['auth'], body: LoginRequest, response: { 200: Me, 429: ProblemSchema, ...problems } },
    },
    async (request, reply) => {
      const { me, token, expiresAt } = await logIn(ctx, request.body, {
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
      });
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        expires: expiresAt,
      });
      return { ...me, ispTimezone: ctx.config.timezone };
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { access: 'signed_in' }, schema: { tags: ['auth'], response: { 204: Type.Null(), ...problems } } },
    async (request, reply) => {
      await endSession(ctx.database.db, signedIn(request).sessionId, ctx.clock());
      forgetSession(ctx.database.db, signedIn(request).sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    { config: { access: 'signed_in' }, schema: { tags: ['auth'], response: { 200: Me, ...problems } } },
    async (request) => ({ ...signedIn(request), ispTimezone: ctx.config.timezone }),
  );

  app.get(
    '/api/auth/sessions',
    {
      config: { access: 'signed_in' },
      schema: { tags: ['auth'], response: { 200: Type.Array(StaffSession), ...problems } },
    },
    async (request) => {
      const me = signedIn(request);
      return listLiveSessions(ctx.database.db, ctx.clock(), me.sessionId, me.id);
    },
  );

  app.get(
    '/api/admin/staff',
    {
      config: { access: 'staff.manage' },
      schema: { tags: ['admin'], response: { 200: Type.Array(StaffMember), ...problems } },
    },
    async () => listStaff(ctx),
  );

  app.post(
    '/api/admin/staff',
    {
      config: { access: 'staff.manage' },
      schema: { tags: ['admin'], body: CreateStaffRequest, response: { 201: StaffMember, ...problems } },
    },
    async (request, reply) => {
      const created = await createStaff(ctx, signedIn(request), request.body, request.ip);
      return reply.status(201).send(created);
    },
  );

  app.patch(
    '/api/admin/staff/:id',
    {
      config: { access: 'staff.manage' },
      schema: {
        tags: ['admin'],
        params: IdParam,
        body: UpdateStaffRequest,
        response: { 200: StaffMember, ...problems },
      },
    },
    async (request) => {
      return updateStaff(ctx, signedIn(request), request.params.id, request.body, request.ip);
    },
  );

  app.post(
    '/api/admin/staff/:id/password',
    {
      config: { access: 'staff.manage' },
      schema: {
        tags: ['admin'],
        params: IdParam,
        body: ResetPasswordRequest,
        response: { 200: ResetPasswordResult, ...problems },
      },
    },
    async (request) => resetPassword(ctx, signedIn(request), request.params.id, request.body.password, request.ip),
  );

  app.get(
    '/api/admin/sessions',
    {
      config: { access: 'sessions.manage' },
      schema: {
        tags: ['admin'],
        querystring: StrictObject({ staffId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })) }),
        response: { 200: Type.Array(StaffSession), ...problems },
      },
    },
    async (request) => {
      return listLiveSessions(ctx.database.db, ctx.clock(), signedIn(request).sessionId, request.query.staffId);
    },
  );

  app.delete(
    '/api/admin/sessions/:id',
    {
      config: { access: 'sessions.manage' },
      schema: {
        tags: ['admin'],
        params: StrictObject({ id: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null(), ...problems },
      },
    },
    async (request, reply) => {
      await revokeSession(ctx, signedIn(request), request.params.id, request.ip);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/admin/staff/:id/revoke-sessions',
    {
      config: { access: 'sessions.manage' },
      schema: {
        tags: ['admin'],
        params: IdParam,
        response: { 200: Type.Object({ ended: Type.Integer() }), ...problems },
      },
    },
    async (request) => {
      return { ended: await revokeAllSessionsOf(ctx, signedIn(request), request.params.id, request.ip) };
    },
  );
};
