import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import client from 'prom-client';
import type { MetricsAccess } from '../../config.js';
import { Problem } from '../../modules/core/problem.js';
import { sendProblem, sendRouteNotFound } from '../problem.js';
import { setStrictSecurityHeaders } from './security-headers.js';

const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });
const httpDuration = new client.Histogram({
  name: 'linedesk_http_request_duration_seconds',
  help: 'HTTP request duration by route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

/**
 * Counters defined elsewhere (an integration's, with `registers: []`), served with the rest. The
 * same metric again is a no-op, so every app a process builds (tests build many) may add it.
 */
export function serveMetrics(...metrics: client.Metric[]) {
  for (const metric of metrics) registry.registerMetric(metric);
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Compared as digests, so the time taken says nothing about how much of the token was right. */
function bearerMatches(request: FastifyRequest, token: string): boolean {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match !== null && timingSafeEqual(digest(match[1] as string), digest(token));
}

function addMetricsRoute(app: FastifyInstance, token: string | undefined) {
  app.get('/metrics', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    if (token !== undefined && !bearerMatches(request, token)) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      return sendProblem(reply, new Problem('metrics.unauthorized', 401, 'Metrics need the bearer token'));
    }
    reply.type(registry.contentType);
    return registry.metrics();
  });
}

/**
 * Request durations per route for every answer; /metrics on the main port only with a bearer
 * token (METRICS_TOKEN) and no listener of its own (METRICS_PORT). Without either it is not
 * served at all: process and route figures tell an attacker what runs and what is slow.
 */
export function registerMetrics(app: FastifyInstance, access: MetricsAccess) {
  app.addHook('onResponse', async (request, reply) => {
    httpDuration
      .labels(request.method, request.routeOptions.url ?? 'unmatched', String(reply.statusCode))
      .observe(reply.elapsedTime / 1000);
  });
  if (access.token !== undefined && access.listen === undefined) addMetricsRoute(app, access.token);
}

/**
 * The listener of its own (METRICS_HOST:METRICS_PORT, 127.0.0.1 unless told), for a monitoring
 * network the main port is not on; it serves /metrics only, with the token too when one is set.
 */
export async function buildMetricsServer(access: MetricsAccess, log: FastifyBaseLogger): Promise<FastifyInstance> {
  const server = Fastify({ loggerInstance: log });
  server.addHook('onRequest', async (_request, reply) => setStrictSecurityHeaders(reply));
  addMetricsRoute(server, access.token);
  server.setNotFoundHandler((_request, reply) => sendRouteNotFound(reply));
  await server.ready();
  return server;
}
