import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

const shared: Options = { allErrors: false, removeAdditional: false, useDefaults: true, strict: false };

// Bodies and headers: no coercion, unknown fields rejected by the schemas' additionalProperties.
const strictAjv = addFormats.default(new Ajv({ ...shared, coerceTypes: false }));
// Query strings and path parameters arrive as text: numbers and booleans are read from it, and
// nothing else is forgiven.
const queryAjv = addFormats.default(new Ajv({ ...shared, coerceTypes: true }));

export function registerValidation(app: FastifyInstance) {
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const ajv = httpPart === 'querystring' || httpPart === 'params' ? queryAjv : strictAjv;
    return ajv.compile(schema);
  });
}
