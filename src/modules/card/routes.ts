import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SubscriberCard, SubscriberCardQuery } from '../../common/api/subscribers.js';
import { routeProblems } from '../../common/problem.js';
import { IdParam } from '../../common/schema-kit.js';
import type { AppContext } from '../core/context.js';
import { signedIn } from '../staff/access.js';
import { openSubscriberCard } from './card.js';

export const cardRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api/subscribers/:id',
    {
      config: { access: 'subscribers.card' },
      schema: {
        tags: ['subscribers'],
        params: IdParam,
        querystring: SubscriberCardQuery,
        response: { 200: SubscriberCard, ...routeProblems },
      },
    },
    async (request) => {
      return openSubscriberCard(ctx, signedIn(request), request.params.id, request.query.accountId, request.ip);
    },
  );
};
