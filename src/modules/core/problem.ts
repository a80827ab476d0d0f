import { type ProblemBody, problemTypeUri } from '../../common/problem.js';

/** A failure the caller can act on; rendered as RFC 9457 problem+json with a stable code. */
export class Problem extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: { path: string; message: string }[],
  ) {
    super(`${code}: ${title}`);
  }

  toBody(): ProblemBody {
    const body: ProblemBody = {
      type: problemTypeUri(this.code),
      code: this.code,
      title: this.title,
      status: this.status,
    };
    if (this.detail) body.detail = this.detail;
    if (this.errors) body.errors = this.errors;
    return body;
  }
}

/**
 * A unique constraint the database enforced (SQLSTATE 23505): two requests created the same thing
 * at the same moment, and the second lost the race after its own check had passed. That is a
 * conflict for the caller, never a server error. The constraints people can run into have their
 * own code; any other is `request.conflict`.
 */
const uniqueViolations: Record<string, [string, string]> = {
  staff_login_unique: ['staff.login_taken', 'This login is already taken'],
  agent_states_extension_key: ['contacts.extension_taken', 'Another agent has this extension'],
};

function sqlStateOf(error: unknown): { code?: string; constraint?: string } | undefined {
  // Drizzle wraps the driver's error (pg or PGlite) as its `cause`.
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const { code, constraint } = current as { code?: unknown; constraint?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      return { code, constraint: typeof constraint === 'string' ? constraint : undefined };
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function fromDatabaseError(error: unknown): Problem | undefined {
  const state = sqlStateOf(error);
  if (state?.code !== '23505') return undefined;
  const [code, title] = (state.constraint && uniqueViolations[state.constraint]) || [
    'request.conflict',
    'This already exists',
  ];
  return new Problem(code, 409, title);
}
