import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  AccountChangeRequest,
  AccountChangeResult,
  SubscriberList,
  SubscriberListQuery,
  TariffSchema,
} from '../../common/api/subscribers.js';
import { routeProblems } from '../../common/problem.js';
import { IdParam } from '../../common/schema-kit.js';
import type { AppContext } from '../core/context.js';
import { signedIn } from '../staff/access.js';
import { changeAccount } from './account-change.js';
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

  app.patch(
    '/api/subscribers/:id/account',
    {
      config: { access: 'accounts.manage' },
      schema: {
        tags: ['subscribers'],
        description:
          "Sets an account's state or tariff by hand (administrators, until billing does it), with the reason for the audit log; the NASes are told after it commits (the session panel's `application`). 409 when the tariff is not offered or nothing would change.",
        params: IdParam,
        body: AccountChangeRequest,
        response: { 200: AccountChangeResult, ...routeProblems },
      },
    },
    async (request) => changeAccount(ctx, signedIn(request), request.params.id, request.body, request.ip),
  );
};
