import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { fromDatabaseError, Problem } from '../modules/core/problem.js';

function fromFastifyError(error: FastifyError): Problem | undefined {
  if (error.validation) {
    const errors = error.validation.map((issue) => ({
      path: `${error.validationContext ?? 'body'}${issue.instancePath || ''}`,
      message:
        issue.keyword === 'additionalProperties'
          ? `unknown field "${(issue.params as { additionalProperty?: string }).additionalProperty}"`
          : (issue.message ?? issue.keyword),
    }));
    return new Problem('request.invalid', 400, 'The request does not match the expected shape', undefined, errors);
  }
  const status = error.statusCode ?? 500;
  if (status >= 500) return undefined;
  const byFastifyCode: Record<string, [string, string]> = {
    FST_ERR_CTP_INVALID_MEDIA_TYPE: ['request.unsupported_media_type', 'This content type is not accepted'],
    FST_ERR_CTP_BODY_TOO_LARGE: ['request.too_large', 'The request body is too large'],
    FST_ERR_CTP_EMPTY_JSON_BODY: ['request.invalid_json', 'The JSON body is empty'],
    FST_ERR_CTP_INVALID_JSON_BODY: ['request.invalid_json', 'The body is not valid JSON'],
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['request.invalid', 'Content-Length does not match the body'],
  };
  const known = error.code ? byFastifyCode[error.code] : undefined;
  if (known) return new Problem(known[0], status, known[1]);
  if (error instanceof SyntaxError) return new Problem('request.invalid_json', 400, 'The body is not valid JSON');
  return new Problem('request.invalid', status, error.message);
}

export function sendProblem(reply: FastifyReply, problem: Problem) {
  return reply.status(problem.status).type('application/problem+json').send(problem.toBody());
}

/** The one answer to a path no route serves, whether or not the web app is served too. */
export function sendRouteNotFound(reply: FastifyReply) {
  return sendProblem(reply, new Problem('route.not_found', 404, 'No such route'));
}

export function problemErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const problem = error instanceof Problem ? error : (fromDatabaseError(error) ?? fromFastifyError(error));
  if (problem) return sendProblem(reply, problem);
  // The logger's error serializer drops the statement's parameters and the row (server/log.ts).
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(reply, new Problem('server.internal', 500, 'Something went wrong on our side'));
}

/**
 * Errors Fastify raises before routing (a path with broken percent-encoding, a too long path
 * parameter): the same problem+json as every other answer, not Fastify's own body.
 */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const problem =
    error.code === 'FST_ERR_BAD_URL'
      ? new Problem('request.invalid_url', 400, 'The path is not valid percent-encoded UTF-8')
      : (fromFastifyError(error) ?? new Problem('request.invalid', 400, 'The request cannot be routed'));
  return sendProblem(reply, problem);
}
