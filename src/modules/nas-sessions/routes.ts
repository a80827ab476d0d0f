import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SessionPanel, SessionPanelQuery } from '../../common/api/nas-sessions.js';
import { routeProblems } from '../../common/problem.js';
import { IdParam } from '../../common/schema-kit.js';
import type { AppContext } from '../core/context.js';
import { sessionPanel } from './panel.js';

/** The card's "is the equipment on the line": what the NAS's accounting says of the subscriber. */
export const sessionRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api/subscribers/:id/session',
    {
      config: { access: 'nas-sessions.read' },
      schema: {
        tags: ['nas-sessions'],
        description:
          "The subscriber's NAS session now (online, or not heard of lately) and the last 30 days of sessions with their changes, from RADIUS accounting; `readAt` says when, so the card shows its age. With `accountId`, only that account's sessions and changes (a subscriber with two flats has two).",
        params: IdParam,
        querystring: SessionPanelQuery,
        response: { 200: SessionPanel, ...routeProblems },
      },
    },
    async (request) => sessionPanel(ctx, request.params.id, request.query.accountId),
  );
};
