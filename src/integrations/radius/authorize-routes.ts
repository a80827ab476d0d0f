import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import client from 'prom-client';
import { ProblemSchema } from '../../common/problem.js';
import type { AppContext } from '../../modules/core/context.js';
import { Problem } from '../../modules/core/problem.js';
import { authorizeSession, RestReply, RestRequest } from './authorize.js';

export const RADIUS_AUTHORIZE_PATH = '/api/radius/authorize';

/** 255 attributes of 253 octets written as hex with their names fit; a runaway body does not. */
const authorizeBodyLimit = 256 * 1024;

export const radiusAuthorizeAnswers = new client.Counter({
  name: 'linedesk_radius_authorize_total',
  help: "Answers to the RADIUS server's authorize calls, by outcome (served, closed, unknown, unauthorized, not_configured)",
  labelNames: ['outcome'] as const,
  registers: [],
});
export const radiusAuthorizeMetrics = [radiusAuthorizeAnswers];

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * The token as `Authorization: Bearer <token>`, or as the password of HTTP Basic (what rlm_rest's
 * own `auth = 'basic'` sends, keeping the token a secret in FreeRADIUS's debug output). Compared as
 * digests, so the time taken says nothing about how much of it was right.
 */
function presentedToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1] as string;
  const basic = /^Basic\s+([A-Za-z0-9+/]+=*)$/i.exec(header);
  if (!basic) return null;
  const credentials = Buffer.from(basic[1] as string, 'base64').toString('utf8');
  const colon = credentials.indexOf(':');
  return colon < 0 ? null : credentials.slice(colon + 1);
}

const tokenMatches = (presented: string | null, token: string) =>
  presented !== null && timingSafeEqual(digest(presented), digest(token));

/**
 * POST /api/radius/authorize: FreeRADIUS's rest module asks, in its authorize section, what the
 * Access-Request's subscriber gets (docs/integrations/radius.md). Not a staff route: the RADIUS
 * server has no session; it presents RADIUS_AUTHORIZE_TOKEN, checked before the body is read.
 * The HTTP status is what rlm_rest turns into its module code: 200 with the reply attributes
 * (updated), 403 for a closed account (userlock: rejected), 404 for no account (notfound: the
 * RADIUS server's own policy decides), 401/503 when Linedesk cannot answer (fail).
 */
export const radiusAuthorizeRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    RADIUS_AUTHORIZE_PATH,
    {
      config: { access: 'public' },
      bodyLimit: authorizeBodyLimit,
      schema: {
        tags: ['integrations'],
        security: [],
        description:
          "FreeRADIUS's rest module (rlm_rest, `body = 'json'`) in the authorize section: the Access-Request's attributes in, " +
          'the reply attributes for the NAS out (tariff speed, or the walled garden for a blocked account). ' +
          'Authenticated by RADIUS_AUTHORIZE_TOKEN (Bearer, or the password of HTTP Basic). docs/integrations/radius.md.',
        body: RestRequest,
        response: {
          200: RestReply,
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
          413: ProblemSchema,
          415: ProblemSchema,
          503: ProblemSchema,
        },
      },
      onRequest: async (request, reply) => {
        const token = ctx.config.radiusAuthorizeToken?.value;
        if (token === undefined) {
          radiusAuthorizeAnswers.inc({ outcome: 'not_configured' });
          throw new Problem(
            'radius.authorize_not_configured',
            503,
            'The authorize endpoint has no token',
            'Set RADIUS_AUTHORIZE_TOKEN (docs/operations.md) and give FreeRADIUS the same one.',
          );
        }
        if (!tokenMatches(presentedToken(request), token)) {
          radiusAuthorizeAnswers.inc({ outcome: 'unauthorized' });
          request.log.warn({ ip: request.ip }, 'RADIUS authorize call refused: wrong or missing token');
          reply.header('www-authenticate', 'Bearer realm="radius-authorize"');
          throw new Problem('radius.authorize_unauthorized', 401, 'The RADIUS server did not present the token');
        }
      },
    },
    async (request, reply) => {
      const decision = await authorizeSession(ctx, request.body);
      radiusAuthorizeAnswers.inc({ outcome: decision.outcome });
      request.log.debug(
        { outcome: decision.outcome, account: decision.outcome === 'unknown' ? null : decision.account.accountId },
        'RADIUS authorize answered',
      );
      if (decision.outcome === 'unknown') {
        throw new Problem('radius.subscriber_unknown', 404, 'No account on record has this login, MAC or Option 82');
      }
      if (decision.outcome === 'closed') {
        throw new Problem('radius.account_closed', 403, `Account ${decision.account.accountNumber} is closed`);
      }
      return reply.send(decision.reply);
    },
  );
};
