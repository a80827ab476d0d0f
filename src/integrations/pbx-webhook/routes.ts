import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { ProblemSchema } from '../../common/problem.js';
import { PbxEventBatcher } from '../../modules/contacts/pbx-event-batches.js';
import type { PbxEventOutcome } from '../../modules/contacts/pbx-events.js';
import type { AppContext } from '../../modules/core/context.js';
import { Problem } from '../../modules/core/problem.js';
import { type PbxConnection, pbxConnectionOf } from './connection.js';
import { pbxEventsReceived, pbxRequestsRefused } from './metrics.js';
import { checkSignature, SIGNATURE_HEADER, TIMESTAMP_HEADER, toleranceSeconds } from './signature.js';
import { type EventOutcome, EventsAccepted, EventsRefused, eventIssues, toPbxEvent, WireEventBatch } from './wire.js';

export const PBX_EVENTS_PATH = '/api/integrations/pbx/events';

/** About 250 events of a typical size: a PBX batching a busy second fits, a runaway body does not. */
export const eventsBodyLimit = 64 * 1024;

const refusals = {
  not_configured: () =>
    new Problem(
      'pbx.not_configured',
      503,
      'No PBX secret is configured',
      'An administrator sets the PBX secret (pbx.webhookSecret) in the settings first.',
    ),
  missing: () =>
    new Problem(
      'pbx.signature_missing',
      401,
      'The request is not signed',
      'Send X-Linedesk-Timestamp and X-Linedesk-Signature (docs/integrations/telephony.md).',
    ),
  malformed: () =>
    new Problem(
      'pbx.signature_invalid',
      401,
      'The signature headers are malformed',
      'X-Linedesk-Timestamp: Unix seconds; X-Linedesk-Signature: sha256=<64 hex digits>.',
    ),
  wrong: () => new Problem('pbx.signature_invalid', 401, 'The signature does not match the body and the PBX secret'),
  stale: () =>
    new Problem(
      'pbx.signature_stale',
      401,
      `The signature's timestamp is more than ${toleranceSeconds} s away from Linedesk's clock`,
      'Check the PBX clock (NTP); a replayed request is refused this way too.',
    ),
  too_large: () => new Problem('request.too_large', 413, `The body is larger than ${eventsBodyLimit} bytes`),
  not_json: () => new Problem('request.unsupported_media_type', 415, 'Events are sent as application/json'),
} as const;

function refuse(request: FastifyRequest, reason: keyof typeof refusals): Problem {
  pbxRequestsRefused.inc({ reason });
  request.log.warn({ reason, ip: request.ip }, 'PBX webhook refused');
  return refusals[reason]();
}

const isJson = (contentType: string | undefined) => /^application\/json\s*(;|$)/i.test(contentType ?? '');

async function readBody(payload: Readable, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of payload) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * POST /api/integrations/pbx/events: what a PBX reports, signed with the PBX secret. Public to
 * sessions (a PBX has none) and authenticated by the signature alone, which is checked on the raw
 * bytes before they are parsed: an unsigned or wrongly signed request learns nothing about what
 * a well-formed body would be and changes nothing.
 */
export const pbxWebhookRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; connection?: PbxConnection }> = async (
  app,
  { ctx, connection = pbxConnectionOf(ctx) },
) => {
  // Requests that arrive together are applied together (contacts/pbx-event-batches.ts).
  const batcher = new PbxEventBatcher(ctx);
  app.post(
    PBX_EVENTS_PATH,
    {
      config: { access: 'public' },
      bodyLimit: eventsBodyLimit,
      schema: {
        tags: ['integrations'],
        security: [],
        description:
          'Events from the PBX (offered, answered, ended, dtmf, recording), signed with the PBX secret; ' +
          'one or more per request, applied in order. docs/integrations/telephony.md has the protocol.',
        body: WireEventBatch,
        response: {
          200: EventsAccepted,
          400: EventsRefused,
          401: ProblemSchema,
          404: EventsRefused,
          409: EventsRefused,
          413: ProblemSchema,
          415: ProblemSchema,
          503: ProblemSchema,
        },
      },
      onRequest: async (request) => {
        const length = Number(request.headers['content-length']);
        if (Number.isFinite(length) && length > eventsBodyLimit) throw refuse(request, 'too_large');
      },
      // The signature covers the exact bytes sent: they are read here, checked, and handed on to
      // the usual JSON parser (strict UTF-8, no control characters, NFC).
      preParsing: async (request, _reply, payload) => {
        const secret = await connection.secret();
        if (!secret) throw refuse(request, 'not_configured');
        const headers = { timestamp: request.headers[TIMESTAMP_HEADER], signature: request.headers[SIGNATURE_HEADER] };
        if (headers.timestamp === undefined || headers.signature === undefined) throw refuse(request, 'missing');
        const raw = await readBody(payload, eventsBodyLimit);
        if (raw === null) throw refuse(request, 'too_large');
        const check = checkSignature(secret, headers, raw, ctx.clock());
        if (check !== 'valid') throw refuse(request, check);
        // Fastify would read text/plain as a string too; a PBX that sends anything but JSON is misconfigured.
        if (!isJson(request.headers['content-type'])) throw refuse(request, 'not_json');
        return Readable.from([raw]);
      },
    },
    async (request, reply) => {
      const { events } = request.body;
      const now = ctx.clock();
      const issues = events.flatMap((event, index) =>
        eventIssues(event, `body/events/${index}`, now, toleranceSeconds),
      );
      if (issues.length > 0) {
        pbxRequestsRefused.inc({ reason: 'invalid' });
        throw new Problem('request.invalid', 400, 'Some events do not fit their type', undefined, issues);
      }
      // In the order sent, in one transaction (with other requests' events that came meanwhile): a
      // refused event (about a call never offered) leaves the others applied; a failure rolls the
      // batch back whole, and a resend applies it.
      const outcomes = await batcher.apply(events.map(toPbxEvent));
      const results: EventOutcome[] = [];
      let refused: Problem | undefined;
      events.forEach((event, index) => {
        const outcome = outcomes[index] as PbxEventOutcome;
        if ('refused' in outcome) {
          pbxEventsReceived.inc({ type: event.type, outcome: 'refused' });
          request.log.warn(
            { callId: event.callId, eventId: event.id, type: event.type, problem: outcome.refused.code },
            'PBX event refused',
          );
          refused ??= outcome.refused;
          results.push({ id: event.id, status: outcome.refused.status, problem: outcome.refused.toBody() });
          return;
        }
        pbxEventsReceived.inc({ type: event.type, outcome: outcome.repeated ? 'repeated' : 'applied' });
        results.push({ id: event.id, status: 200, result: outcome.result, repeated: outcome.repeated });
      });
      if (refused) {
        return reply
          .status(refused.status as 400 | 404 | 409)
          .type('application/problem+json')
          .send({ ...refused.toBody(), results });
      }
      return { results };
    },
  );
};
