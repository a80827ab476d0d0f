import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { SubscriberList, SubscriberListQuery, TariffSchema } from '../../common/api/subscribers.js';
import { routeProblems } from '../../common/problem.js';
import type { AppContext } from '../core/context.js';
import { signedIn } from '../staff/access.js';
import { listSubscribers, listTariffs } from './service.js';

export const subscriberRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api/subscribers',
    {
      config: { access: 'subscribers.list' },
      schema: {
        tags: ['subscribers'],
        querystring: SubscriberListQuery,
        response: { 200: SubscriberList, ...routeProblems },
      },
    },
    async (request) => listSubscribers(ctx, signedIn(request).role, request.query),
  );

  app.get(
    '/api/tariffs',
    {
      config: { access: 'tariffs.list' },
      schema: { tags: ['subscribers'], response: { 200: Type.Array(TariffSchema), ...routeProblems } },
    },
    async () => listTariffs(ctx),
  );
};
