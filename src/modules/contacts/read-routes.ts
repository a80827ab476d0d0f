import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Board, ContactDetail, SubscriberContacts } from '../../common/api/contacts.js';
import { routeProblems } from '../../common/problem.js';
import { IdParam } from '../../common/schema-kit.js';
import type { AppContext } from '../core/context.js';
import { signedIn } from '../staff/access.js';
import { boardOf } from './board.js';
import { contactDetail, subscriberContacts } from './history.js';

/** What anyone reads about contacts (a subscriber's, one contact's timeline) and the supervisor's board. */
export const contactReadRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api/subscribers/:id/contacts',
    {
      config: { access: 'contacts.read' },
      schema: {
        tags: ['contacts'],
        description:
          "The subscriber's newest contacts (up to 50), each marked with the earlier one it repeats within the repeat window.",
        params: IdParam,
        response: { 200: SubscriberContacts, ...routeProblems },
      },
    },
    async (request) => subscriberContacts(ctx, signedIn(request), request.params.id),
  );

  app.get(
    '/api/contacts/:id',
    {
      config: { access: 'contacts.read' },
      schema: {
        tags: ['contacts'],
        description: 'One contact and its timeline, oldest event first.',
        params: IdParam,
        response: { 200: ContactDetail, ...routeProblems },
      },
    },
    async (request) => contactDetail(ctx, signedIn(request), request.params.id),
  );

  app.get(
    '/api/board',
    {
      config: { access: 'contacts.board' },
      schema: {
        tags: ['contacts'],
        description: "The supervisor's board: every line's queue and figures today, and every agent's state.",
        response: { 200: Board, ...routeProblems },
      },
    },
    async () => boardOf(ctx),
  );
};
