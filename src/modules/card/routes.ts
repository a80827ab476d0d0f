import type { FastifyInstance } from 'fastify';
import { SubscriberCard, SubscriberCardQuery } from '../../common/api/subscribers.js';
import { ProblemSchema } from '../../common/problem.js';
import { IdParam } from '../../common/schema-kit.js';
import type { AppContext } from '../core/context.js';
import { signedIn } from '../staff/access.js';
import { openSubscriberCard } from './card.js';

const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

export async function cardRoutes(app: FastifyInstance, ctx: AppContext) {
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
}
