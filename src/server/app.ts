import cookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { Health } from '../common/api/health.js';
import type { TrustProxy } from '../config.js';
import { databaseAnswers } from '../db/connection.js';
import { ariMetrics } from '../integrations/asterisk-ari/metrics.js';
import { monitoringMetrics } from '../integrations/monitoring/metrics.js';
import { monitoringRoutes } from '../integrations/monitoring/routes.js';
import { pbxWebhookMetrics } from '../integrations/pbx-webhook/metrics.js';
import { pbxWebhookRoutes } from '../integrations/pbx-webhook/routes.js';
import { radiusAuthorizeMetrics, radiusAuthorizeRoutes } from '../integrations/radius/authorize-routes.js';
import { radiusMetrics } from '../integrations/radius/metrics.js';
import { sessionActionRoutes } from '../integrations/radius/session-action-routes.js';
import { bounceRoutes } from '../integrations/snmp/bounce-routes.js';
import { snmpMetrics } from '../integrations/snmp/metrics.js';
import { auditRoutes } from '../modules/audit/routes.js';
import { cardRoutes } from '../modules/card/routes.js';
import { deskPresence } from '../modules/contacts/presence.js';
import { contactReadRoutes } from '../modules/contacts/read-routes.js';
import { contactRoutes } from '../modules/contacts/routes.js';
import type { AppContext } from '../modules/core/context.js';
import { identificationRoutes } from '../modules/identification/routes.js';
import { createLiveHub, type LiveHub } from '../modules/live/hub.js';
import { liveRoutes } from '../modules/live/routes.js';
import type { LivePresence } from '../modules/live/streams.js';
import { sessionRoutes } from '../modules/nas-sessions/routes.js';
import { accessLineRoutes } from '../modules/network/access-line/routes.js';
import { recordAccessObservations } from '../modules/network/access-line/service.js';
import { networkNodesNamed } from '../modules/network/polling/nodes.js';
import { settingsRoutes } from '../modules/settings/routes.js';
import { snmpNodeRoutes } from '../modules/settings/snmp-nodes-routes.js';
import { registerAccess } from '../modules/staff/access.js';
import { roleMay } from '../modules/staff/permissions.js';
import { staffRoutes } from '../modules/staff/routes.js';
import { staffNames } from '../modules/staff/service.js';
import { subscriberRoutes } from '../modules/subscribers/routes.js';
import { subscriberNamesOf } from '../modules/subscribers/service.js';
import { registerMetrics, serveMetrics } from './plugins/metrics.js';
import { registerOpenApi } from './plugins/openapi.js';
import { registerSecurityHeaders, setStrictSecurityHeaders } from './plugins/security-headers.js';
import { registerWeb } from './plugins/web.js';
import { frameworkErrorHandler, problemErrorHandler, sendRouteNotFound } from './problem.js';
import { registerStrictInput } from './strict-input.js';
import { registerValidation } from './validation.js';

const version = '0.1.0';

/**
 * A hop count becomes proxy-addr's hop function: Fastify 5 takes a bare number as "trust nobody"
 * (it cannot know the peer is a proxy), but an operator who sets TRUST_PROXY=1 says it is one.
 */
const trustProxyOption = (trust: TrustProxy) =>
  typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust;

/** Builds the whole application without listening, so tests drive it with inject(). */
export async function buildApp(
  ctx: AppContext,
  options: {
    serveWeb?: boolean;
    webDir?: string;
    /** This instance's live hub (tests hand in one to look at); without it, one of its own. */
    liveHub?: LiveHub;
    /** Heartbeat of the live streams (tests shorten it). */
    liveHeartbeatMs?: number;
    /** Told when staff members' browsers come and go (tests hand in a fake). */
    livePresence?: LivePresence;
  } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    bodyLimit: 256 * 1024,
    // Behind a load balancer the client's address comes from X-Forwarded-For (docs/operations.md).
    trustProxy: trustProxyOption(ctx.config.trustProxy),
    // Long path parameters are refused before routing instead of reaching a query.
    routerOptions: { maxParamLength: 200 },
    frameworkErrors: (error, request, reply) => {
      setStrictSecurityHeaders(reply);
      return frameworkErrorHandler(error, request, reply);
    },
  });
  registerValidation(app);
  registerStrictInput(app);
  app.setErrorHandler(problemErrorHandler);
  await registerSecurityHeaders(app);
  await app.register(cookie);
  await registerOpenApi(app);
  registerAccess(app, ctx);
  registerMetrics(app, ctx.config.metrics);

  const started = Date.now();
  app.get(
    '/api/health',
    { config: { access: 'public' }, schema: { tags: ['operations'], response: { 200: Health, 503: Health } } },
    async (_request, reply) => {
      const answers = await databaseAnswers(ctx.database);
      return reply.status(answers ? 200 : 503).send({
        status: answers ? 'ok' : 'degraded',
        database: { engine: ctx.database.engine, answers },
        version,
        uptimeSeconds: Math.round((Date.now() - started) / 1000),
      });
    },
  );

  await app.register(staffRoutes, { ctx });
  await app.register(subscriberRoutes, { ctx });
  await app.register(cardRoutes, { ctx });
  await app.register(identificationRoutes, { ctx });
  await app.register(settingsRoutes, { ctx });
  await app.register(contactRoutes, { ctx });
  await app.register(contactReadRoutes, { ctx });
  await app.register(sessionRoutes, { ctx });
  await app.register(sessionActionRoutes, { ctx });
  // The network module may not import staff: the role's permission to bounce a port is handed in.
  await app.register(accessLineRoutes, { ctx, mayBounce: (role) => roleMay(role, 'access-line.bounce') });
  // The 2nd line's port bounce over SNMP (docs/integrations/snmp.md).
  // What the switch answers after a bounce goes straight to the access line's store.
  await app.register(bounceRoutes, {
    ctx,
    sink: { record: (observations) => recordAccessObservations(ctx, observations) },
  });
  // Settings may not import network: which nodes are on record is handed in.
  await app.register(snmpNodeRoutes, { ctx, nodesOnRecord: (names) => networkNodesNamed(ctx, names) });
  // The generic PBX adapter's webhook in (docs/integrations/telephony.md); its counters on /metrics.
  await app.register(pbxWebhookRoutes, { ctx });
  // FreeRADIUS's rest module asks here what a subscriber's session gets (docs/integrations/radius.md).
  await app.register(radiusAuthorizeRoutes, { ctx });
  await app.register(monitoringRoutes, { ctx });
  serveMetrics(
    ...pbxWebhookMetrics,
    ...ariMetrics,
    ...radiusMetrics,
    ...radiusAuthorizeMetrics,
    ...snmpMetrics,
    ...monitoringMetrics,
  );
  // The hub starts when the app is ready and stops when it closes, before the database does.
  await app.register(liveRoutes, {
    ctx,
    hub: options.liveHub ?? createLiveHub(ctx),
    heartbeatMs: options.liveHeartbeatMs,
    // An agent's open desk is their presence: a browser gone past the grace period gives their contacts back.
    presence: options.livePresence ?? deskPresence,
  });
  // The audit module may not import the modules that write to it: their names are handed in here.
  await app.register(auditRoutes, {
    ctx,
    names: { staff: () => staffNames(ctx), subscribers: (ids) => subscriberNamesOf(ctx, ids) },
  });
  if (options.serveWeb !== false) await registerWeb(app, options.webDir);
  else app.setNotFoundHandler((_request, reply) => sendRouteNotFound(reply));
  return app;
}
