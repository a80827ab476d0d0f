import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NasAnswer, SessionActionRequest } from '../../common/api/nas-sessions.js';
import { ProblemSchema, routeProblems } from '../../common/problem.js';
import { IdParam } from '../../common/schema-kit.js';
import { recordAudit } from '../../modules/audit/service.js';
import type { AppContext } from '../../modules/core/context.js';
import type { NasRequests } from '../../modules/nas-sessions/nas-requests.js';
import { actOnCurrentSession } from '../../modules/nas-sessions/network-application.js';
import { signedIn } from '../../modules/staff/access.js';
import { radiusNasRequests } from './nas-requests.js';

/**
 * The 2nd line's remote actions on a subscriber's session: Disconnect, or the account's service
 * sent again by CoA (RFC 5176), with the NAS's answer shown to the agent and kept in the audit log.
 * `nas` replaces the RADIUS requests (tests of the route alone).
 */
export const sessionActionRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; nas?: NasRequests }> = async (
  app,
  { ctx, nas },
) => {
  const requests = nas ?? radiusNasRequests(ctx);
  app.post(
    '/api/subscribers/:id/session/actions',
    {
      config: { access: 'nas-sessions.act' },
      schema: {
        tags: ['nas-sessions'],
        description:
          "Asks the NAS about the subscriber's current session: `disconnect` ends it (the CPE logs in again), `reapply` sends the account's state and speed by CoA. Answers with the NAS's answer (ACK, NAK with its Error-Cause, or no answer after the retries); 409 when no session is online. Audited.",
        params: IdParam,
        body: SessionActionRequest,
        response: { 200: NasAnswer, ...routeProblems, 409: ProblemSchema },
      },
    },
    async (request) => {
      const me = signedIn(request);
      const { action, reason, accountId } = request.body;
      const answer = await actOnCurrentSession(ctx, requests, request.params.id, action, accountId);
      await recordAudit(
        ctx.database.db,
        {
          staffId: me.id,
          action: action === 'disconnect' ? 'nas-sessions.disconnect' : 'nas-sessions.reapply',
          targetType: 'subscriber',
          targetId: request.params.id,
          ip: request.ip,
          details: { ...answer, reason: reason ?? null, accountId: accountId ?? null },
        },
        ctx.clock(),
      );
      return answer;
    },
  );
};
