import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyRequest } from 'fastify';
import { type Static, type TSchema, Type } from 'typebox';
import type { AlertSource } from '../../common/api/access-line.js';
import { ProblemSchema } from '../../common/problem.js';
import { StrictObject } from '../../common/schema-kit.js';
import type { AppContext } from '../../modules/core/context.js';
import { Problem } from '../../modules/core/problem.js';
import { type IncomingAlert, recordAlerts } from '../../modules/network/alerts/service.js';
import { AlertmanagerMessage, alertsFromAlertmanager } from './alertmanager.js';
import { alertFromLibrenms, readLibrenmsBody } from './librenms.js';
import { MalformedAlert } from './malformed.js';
import { monitoringAlertsReceived, monitoringRefused, monitoringUnknownNodes } from './metrics.js';
import { alertFromZabbix, ZabbixNotification } from './zabbix.js';

export const MONITORING_PATHS: Record<AlertSource, string> = {
  alertmanager: '/api/monitoring/alertmanager',
  zabbix: '/api/monitoring/zabbix',
  librenms: '/api/monitoring/librenms',
};
const sourceOfPath = new Map(Object.entries(MONITORING_PATHS).map(([source, path]) => [path, source as AlertSource]));

/** An Alertmanager group of a few hundred alerts with their labels and annotations fits; a runaway body does not. */
const bodyLimit = 1024 * 1024;

export const MonitoringAnswer = StrictObject({
  /** Alerts read from the body. */
  received: Type.Integer(),
  /** Of them, those whose stored state changed. */
  changed: Type.Integer(),
  /** Of them, those no node on record answers to (stored all the same). */
  unknownNodes: Type.Integer(),
});
export type MonitoringAnswer = Static<typeof MonitoringAnswer>;

const responses = {
  200: MonitoringAnswer,
  400: ProblemSchema,
  401: ProblemSchema,
  413: ProblemSchema,
  415: ProblemSchema,
  503: ProblemSchema,
};

/** What the three webhooks have in common: public to staff sessions, the token instead, their answers. */
const webhookOptions = <Body extends TSchema>(description: string, body: Body) => ({
  config: { access: 'public' as const },
  bodyLimit,
  schema: {
    tags: ['integrations'],
    security: [],
    description: `${description} Authenticated by MONITORING_WEBHOOK_TOKEN (Bearer). docs/integrations/monitoring.md.`,
    body,
    response: responses,
  },
});

const digest = (text: string) => createHash('sha256').update(text).digest();

/** `Authorization: Bearer <token>`, compared as digests so the time taken says nothing of how much was right. */
function tokenMatches(request: FastifyRequest, token: string): boolean {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return bearer !== null && timingSafeEqual(digest(bearer[1] as string), digest(token));
}

const sourceOf = (request: FastifyRequest) => sourceOfPath.get(request.routeOptions.url ?? '') ?? 'alertmanager';

const statusOf = (error: FastifyError | Problem) =>
  error instanceof Problem ? error.status : ((error as FastifyError).statusCode ?? 500);

/**
 * The monitoring systems' webhooks (docs/integrations/monitoring.md): Alertmanager's webhook
 * receiver, the shipped Zabbix media type and the LibreNMS API transport post their alerts here.
 * Not staff routes: each system presents MONITORING_WEBHOOK_TOKEN as a bearer token (all three
 * can set a header), checked before the body is read. A body Linedesk can read gets 200 even when
 * no node answers to its alerts; only a body it cannot read gets 400, logged, for Alertmanager
 * drops a notification on a 4xx and retries on a 5xx.
 */
export const monitoringRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', async (request, reply) => {
    const source = sourceOf(request);
    const token = ctx.config.monitoringWebhookToken?.value;
    if (token === undefined) {
      monitoringRefused.inc({ source, reason: 'not_configured' });
      throw new Problem(
        'monitoring.not_configured',
        503,
        'The monitoring webhooks have no token',
        'Set MONITORING_WEBHOOK_TOKEN (docs/integrations/monitoring.md) and give the monitoring system the same one.',
      );
    }
    if (!tokenMatches(request, token)) {
      monitoringRefused.inc({ source, reason: 'unauthorized' });
      request.log.warn({ ip: request.ip, source }, 'monitoring webhook refused: wrong or missing token');
      reply.header('www-authenticate', 'Bearer realm="monitoring"');
      throw new Problem('monitoring.unauthorized', 401, 'The monitoring system did not present the token');
    }
  });
  app.addHook('onError', async (request, _reply, error) => {
    const status = statusOf(error);
    if (status < 400 || status >= 500 || status === 401) return;
    const source = sourceOf(request);
    monitoringRefused.inc({ source, reason: 'malformed' });
    request.log.warn(
      {
        source,
        ip: request.ip,
        problem: error.message,
        detail: (error as Problem).detail,
        errors: (error as Problem).errors,
      },
      'monitoring webhook body refused',
    );
  });

  const record = async (source: AlertSource, read: () => IncomingAlert[]): Promise<MonitoringAnswer> => {
    let alerts: IncomingAlert[];
    try {
      alerts = read();
    } catch (error) {
      if (error instanceof MalformedAlert) {
        throw new Problem('monitoring.malformed', 400, 'No alert can be read from this body', error.message);
      }
      throw error;
    }
    const recorded = await recordAlerts(ctx, alerts);
    monitoringAlertsReceived.inc({ source }, alerts.length);
    if (recorded.unknownNodes > 0) monitoringUnknownNodes.inc({ source }, recorded.unknownNodes);
    return { received: alerts.length, ...recorded };
  };

  app.post(
    MONITORING_PATHS.alertmanager,
    webhookOptions(
      "Prometheus Alertmanager's webhook receiver (webhook_config, version 4): a group of alerts, each correlated by " +
        'its fingerprint.',
      AlertmanagerMessage,
    ),
    async (request) => {
      // max_alerts cut the group: the alerts left out are never resolved here (docs: max_alerts: 0).
      const truncated = request.body.truncatedAlerts ?? 0;
      if (truncated > 0)
        request.log.warn({ truncated, groupKey: request.body.groupKey }, 'Alertmanager left alerts out');
      return record('alertmanager', () => alertsFromAlertmanager(request.body));
    },
  );

  app.post(
    MONITORING_PATHS.zabbix,
    webhookOptions(
      "The shipped Zabbix media type's notification (problem, update, recovery), every value a string, correlated by " +
        '{EVENT.ID}.',
      ZabbixNotification,
    ),
    async (request) =>
      record('zabbix', () => {
        const alert = alertFromZabbix(request.body, ctx.config.timezone, ctx.clock());
        return alert ? [alert] : [];
      }),
  );

  // LibreNMS's API transport sends its body as text/plain, and it need not be valid JSON (its
  // template fills values in unescaped): this route alone reads any body as text.
  await app.register(async (librenms) => {
    librenms.removeAllContentTypeParsers();
    librenms.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => {
      try {
        done(null, new TextDecoder('utf-8', { fatal: true }).decode(body as Buffer));
      } catch {
        done(new Problem('request.invalid_utf8', 400, 'The body is not valid UTF-8'), undefined);
      }
    });
    librenms
      .withTypeProvider<TypeBoxTypeProvider>()
      .post(
        MONITORING_PATHS.librenms,
        webhookOptions(
          "LibreNMS's API transport with the shipped body template, as text/plain (read as JSON, else line by line), " +
            'correlated by its alert id.',
          Type.String({ maxLength: bodyLimit }),
        ),
        async (request) =>
          record('librenms', () => [alertFromLibrenms(readLibrenmsBody(request.body), ctx.config.timezone)]),
      );
  });
};
