import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AuditQuery, AuditRow, AuditStaffMember } from '../../common/api/audit.js';
import { routeProblems } from '../../common/problem.js';
import type { AppContext } from '../core/context.js';
import { Problem } from '../core/problem.js';
import type { AuditNames } from './names.js';
import { auditRowsWithNames, listAudit } from './service.js';

/** `names` comes from src/server (names.ts says why); without it rows carry ids only. */
export const auditRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; names?: AuditNames }> = async (
  app,
  { ctx, names },
) => {
  app.get(
    '/api/audit',
    {
      config: { access: 'audit.read' },
      schema: {
        tags: ['audit'],
        description: "The audit log, newest first; page on with `beforeId` = the last row's id.",
        querystring: AuditQuery,
        response: { 200: Type.Array(AuditRow), ...routeProblems },
      },
    },
    async (request) => {
      const { from, to, ...query } = request.query;
      const fromAt = from === undefined ? undefined : new Date(from);
      const toAt = to === undefined ? undefined : new Date(to);
      if (fromAt && toAt && fromAt > toAt) {
        throw new Problem('request.invalid', 400, '`from` is after `to`');
      }
      const rows = await listAudit(ctx.database.db, { ...query, from: fromAt, to: toAt, limit: query.limit ?? 100 });
      return auditRowsWithNames(rows, names);
    },
  );

  app.get(
    '/api/audit/staff',
    {
      config: { access: 'audit.read' },
      schema: {
        tags: ['audit'],
        description: 'Staff members to filter the audit log by (empty when names are not wired).',
        response: { 200: Type.Array(AuditStaffMember), ...routeProblems },
      },
    },
    async () => {
      const staff = names ? await names.staff() : [];
      return staff
        .map(({ id, login, fullName }) => ({ id, login, fullName }))
        .sort((a, b) => a.fullName.localeCompare(b.fullName, 'ru'));
    },
  );
};
