import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Identification, IdentifyQuery, PhoneLookup } from '../../common/api/identification.js';
import { ProblemSchema } from '../../common/problem.js';
import { StrictObject, Text } from '../../common/schema-kit.js';
import type { AppContext } from '../core/context.js';
import { Problem } from '../core/problem.js';
import { signedIn } from '../staff/access.js';
import { findCallerByPhone, identifyCaller } from './identify.js';

const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

export const identificationRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
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
    async (request) => identifyCaller(ctx, signedIn(request).role, request.query),
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
      const found = await findCallerByPhone(ctx, signedIn(request).role, request.params.phone);
      if (!found) throw new Problem('identify.invalid_phone', 400, 'This is not a Russian phone number');
      return found;
    },
  );
};
