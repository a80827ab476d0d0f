import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ProblemSchema } from '../../common/problem.js';
import { Nullable, StrictObject, Text } from '../../common/schema-kit.js';
import type { AppContext } from '../core/context.js';
import { listAudit } from './service.js';

const AuditRow = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  staffId: Nullable(Type.Integer()),
  action: Type.String(),
  targetType: Nullable(Type.String()),
  targetId: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  details: Type.Unknown(),
});

export const auditRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api/audit',
    {
      config: { access: 'audit.read' },
      schema: {
        tags: ['audit'],
        querystring: StrictObject({
          targetType: Type.Optional(Text(40)),
          targetId: Type.Optional(Text(100)),
          action: Type.Optional(Text(80)),
          beforeId: Type.Optional(Type.Integer({ minimum: 1 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
        }),
        response: { 200: Type.Array(AuditRow), 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request) => {
      const rows = await listAudit(ctx.database.db, { ...request.query, limit: request.query.limit ?? 100 });
      return rows.map((row) => ({ ...row, id: Number(row.id), at: row.at.toISOString() }));
    },
  );
};
