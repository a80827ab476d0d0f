import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import {
  SubscriberCard,
  SubscriberCardQuery,
  SubscriberList,
  SubscriberListQuery,
  TariffSchema,
} from '../../common/api/subscribers.js';
import { ProblemSchema } from '../../common/problem.js';
import { IdParam } from '../../common/schema-kit.js';
import { signedIn } from '../../server/access.js';
import type { AppContext } from '../../server/context.js';
import { listSubscribers, listTariffs, openSubscriberCard } from './service.js';

const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

export async function subscriberRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get(
    '/api/subscribers',
    {
      config: { access: 'subscribers.list' },
      schema: {
        tags: ['subscribers'],
        querystring: SubscriberListQuery,
        response: { 200: SubscriberList, ...problems },
      },
    },
    async (request) => listSubscribers(ctx, signedIn(request).role, request.query as SubscriberListQuery),
  );

  app.get(
    '/api/subscribers/:id',
    {
      config: { access: 'subscribers.card' },
      schema: {
        tags: ['subscribers'],
        params: IdParam,
        querystring: SubscriberCardQuery,
        response: { 200: SubscriberCard, ...problems },
      },
    },
    async (request) => {
      const { id } = request.params as { id: number };
      const { accountId } = request.query as { accountId?: number };
      return openSubscriberCard(ctx, signedIn(request), id, accountId, request.ip);
    },
  );

  app.get(
    '/api/tariffs',
    {
      config: { access: 'tariffs.list' },
      schema: { tags: ['subscribers'], response: { 200: Type.Array(TariffSchema), ...problems } },
    },
    async () => listTariffs(ctx),
  );
}
