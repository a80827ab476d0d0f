import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AccessLinePanel, AccessLineQuery } from '../../../common/api/access-line.js';
import type { Role } from '../../../common/api/staff.js';
import { routeProblems } from '../../../common/problem.js';
import { IdParam } from '../../../common/schema-kit.js';
import type { AppContext } from '../../core/context.js';
import { Problem } from '../../core/problem.js';
import { accessLinePanel } from './panel.js';

export interface AccessLineRoutesOptions {
  ctx: AppContext;
  /**
   * Whether a role may bounce a port (`access-line.bounce`): handed in by src/server, as the
   * network module may not import staff's permissions table.
   */
  mayBounce: (role: Role) => boolean;
}

/** The card's access line: what the switch or OLT says of the subscriber's port and ONT, and the nodes behind. */
export const accessLineRoutes: FastifyPluginAsyncTypebox<AccessLineRoutesOptions> = async (app, { ctx, mayBounce }) => {
  app.get(
    '/api/subscribers/:id/access-line',
    {
      config: { access: 'access-line.read' },
      schema: {
        tags: ['network'],
        description:
          "The account's access port (link, speed, duplex, errors and their trend, the MACs on it and whether the CPE on record is among them), its ONT on GPON (state, last down cause, optical levels against the receive window), the access node and its uplinks (reachable, alerts), and 30 days of their changes, newest first; each part with the time it was read. The account is `accountId`, else the subscriber's first account with a connection.",
        params: IdParam,
        querystring: AccessLineQuery,
        response: { 200: AccessLinePanel, ...routeProblems },
      },
    },
    async (request) => {
      if (!request.staff) throw new Problem('auth.required', 401, 'Sign in first');
      return accessLinePanel(ctx, request.params.id, request.query.accountId, mayBounce(request.staff.role));
    },
  );
};
