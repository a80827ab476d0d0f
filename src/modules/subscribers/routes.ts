import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { Identification, IdentifyQuery, PhoneLookup } from '../../common/api/identification.js';
import {
  SubscriberCard,
  SubscriberCardQuery,
  SubscriberList,
  SubscriberListQuery,
  TariffSchema,
} from '../../common/api/subscribers.js';
import { ProblemSchema } from '../../common/problem.js';
import { IdParam, StrictObject, Text } from '../../common/schema-kit.js';
import { signedIn } from '../../server/access.js';
import type { AppContext } from '../../server/context.js';
import { Problem } from '../../server/problem.js';
import { openSubscriberCard } from './card.js';
import { findCallerByPhone, identifyCaller } from './identify.js';
import { listSubscribers, listTariffs } from './service.js';

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

  app.get(
    '/api/identify',
    {
      config: { access: 'subscribers.identify' },
      schema: {
        tags: ['identification'],
        description: 'Finds the caller from whatever they said, narrowed by their answers to suggested questions.',
        querystring: IdentifyQuery,
        response: { 200: Identification, ...problems },
      },
    },
    async (request) => identifyCaller(ctx, signedIn(request).role, request.query as IdentifyQuery),
  );

  app.get(
    '/api/identify/phone/:phone',
    {
      config: { access: 'subscribers.identify' },
      schema: {
        tags: ['identification'],
        description: 'Caller ID: subscribers with exactly this phone on record (any common written form).',
        params: StrictObject({ phone: Text(40, { minLength: 1 }) }),
        response: { 200: PhoneLookup, ...problems },
      },
    },
    async (request) => {
      const { phone } = request.params as { phone: string };
      const found = await findCallerByPhone(ctx, signedIn(request).role, phone);
      if (!found) throw new Problem('identify.invalid_phone', 400, 'This is not a Russian phone number');
      return found;
    },
  );
}
