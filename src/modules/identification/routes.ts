import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Identification, IdentifyQuery, PhoneLookup } from '../../common/api/identification.js';
import { ProblemSchema, routeProblems } from '../../common/problem.js';
import { StrictObject, Text } from '../../common/schema-kit.js';
import type { AppContext } from '../core/context.js';
import { Problem } from '../core/problem.js';
import { signedIn } from '../staff/access.js';
import { identifyCallerAudited } from './answer-limit.js';
import { findCallerByPhone } from './identify.js';

export const identificationRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api/identify',
    {
      config: { access: 'subscribers.identify' },
      schema: {
        tags: ['identification'],
        description:
          'Finds the caller from whatever they said, narrowed by their answers to suggested questions. With answers it is audited, and answers that fit nobody beyond the limit per minute are refused (429 identify.too_many_wrong_answers).',
        querystring: IdentifyQuery,
        response: { 200: Identification, 429: ProblemSchema, ...routeProblems },
      },
    },
    async (request) => identifyCallerAudited(ctx, { staff: signedIn(request), ip: request.ip }, request.query),
  );

  app.get(
    '/api/identify/phone/:phone',
    {
      config: { access: 'subscribers.identify' },
      schema: {
        tags: ['identification'],
        description: 'Caller ID: subscribers with exactly this phone on record (any common written form).',
        params: StrictObject({ phone: Text(40, { minLength: 1 }) }),
        response: { 200: PhoneLookup, ...routeProblems },
      },
    },
    async (request) => {
      const found = await findCallerByPhone(ctx, signedIn(request).role, request.params.phone);
      if (!found) throw new Problem('identify.invalid_phone', 400, 'This is not a Russian phone number');
      return found;
    },
  );
};
