import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/**
 * Secrets never reach a log line (docs/security.md, "Logs"): passwords and their hashes, session
 * tokens and cookies, code words and their hashes, bearer tokens. Two layers: pino's `redact`
 * for fields that name a secret, wherever they are logged, and the error serializer for database
 * errors, whose message, parameters and `detail` carry the values of the failed statement (a new
 * member's argon2id hash among them).
 */
const secretFields = [
  'password',
  'passwordHash',
  'password_hash',
  'codeWord',
  'code_word',
  'codeWordHash',
  'code_word_hash',
  'token',
  'tokenHash',
  'token_hash',
  'authorization',
  'cookie',
  'set-cookie',
  'params',
];

export const redactedPaths = [
  ...secretFields.flatMap((field) =>
    /^\w+$/.test(field) ? [field, `*.${field}`, `*.*.${field}`] : [`*["${field}"]`, `*.*["${field}"]`],
  ),
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
];

// Whatever the field, a value that looks like one of these is a secret: an argon2 or scheme-named
// hash, a session cookie.
const secretValues: [RegExp, string][] = [
  [/\$argon2(?:id|i|d)\$[^\s,)"'\]}]*/g, '[redacted hash]'],
  [/\b(?:sha256|scrypt|bcrypt|pbkdf2[\w-]*)\$[0-9A-Za-z+/=$.]+/g, '[redacted hash]'],
  [/(linedesk_session=)[^;\s,"']+/g, '$1[redacted]'],
  [/(Bearer\s+)[^\s,"']+/gi, '$1[redacted]'],
];

export function scrubText(text: string): string {
  let scrubbed = text;
  for (const [pattern, replacement] of secretValues) scrubbed = scrubbed.replace(pattern, replacement);
  return scrubbed;
}

// Drizzle's DrizzleQueryError says "Failed query: <sql>\nparams: <values>"; the values go.
const withoutParams = (text: string) => text.replace(/\nparams: [\s\S]*?(?=\n\s+at |$)/, '\nparams: [redacted]');

interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  cause?: SerializedError;
}

/**
 * An error as it may be logged: its type, message and stack without statement parameters, and of
 * a database error only the fields that name what failed (SQLSTATE, constraint, table, column) —
 * never `detail` ("Failing row contains (…)", "Key (…)=(…)"), `where` or the parameters.
 */
export function scrubError(error: unknown, depth = 0): SerializedError | unknown {
  if (!(error instanceof Error) || depth > 4) {
    return typeof error === 'string' ? scrubText(error) : error;
  }
  const source = error as Error & Record<string, unknown>;
  const serialized: SerializedError = {
    type: error.constructor?.name ?? 'Error',
    message: scrubText(withoutParams(error.message)),
  };
  if (error.stack) serialized.stack = scrubText(withoutParams(error.stack));
  for (const field of ['code', 'constraint', 'table', 'column'] as const) {
    if (typeof source[field] === 'string') serialized[field] = source[field] as string;
  }
  if (source.cause !== undefined) serialized.cause = scrubError(source.cause, depth + 1) as SerializedError;
  return serialized;
}

export function logOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    serializers: { err: scrubError, error: scrubError },
    hooks: {
      // A secret inside a message string (an error's text logged as the message) is scrubbed too.
      logMethod(args, method) {
        method.apply(
          this,
          args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg)) as Parameters<typeof method>,
        );
      },
    },
  };
}

/** The process's logger: JSON lines on standard output (or `destination`), secrets redacted. */
export function createLog(level: string, destination?: DestinationStream): Logger {
  return destination ? pino(logOptions(level), destination) : pino(logOptions(level));
}
