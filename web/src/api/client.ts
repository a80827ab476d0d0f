import { type ProblemBody, problemTypeUri } from '@common/problem.ts';
import { meansUnreachable, reportUnreachable } from './server-reach.ts';

/** A failed API call, carrying the server's RFC 9457 problem; `code` is what the UI translates. */
export class ApiProblem extends Error {
  readonly code: string;
  readonly status: number;
  readonly detail: string | undefined;
  readonly errors: ProblemBody['errors'];

  constructor(body: ProblemBody) {
    super(`${body.code}: ${body.title}`);
    this.name = 'ApiProblem';
    this.code = body.code;
    this.status = body.status;
    this.detail = body.detail;
    this.errors = body.errors;
  }
}

export const isApiProblem = (error: unknown): error is ApiProblem => error instanceof ApiProblem;

/** The session is over (logged out elsewhere, revoked by an administrator, expired). */
export const isSessionOver = (error: unknown) =>
  isApiProblem(error) && error.status === 401 && error.code === 'auth.required';

type SessionOverListener = () => void;
const sessionOverListeners = new Set<SessionOverListener>();

/**
 * Any call can learn that the session is over; the app shell subscribes once and goes to the
 * login page, so no screen has to handle "401" itself.
 */
export function onSessionOver(listener: SessionOverListener): () => void {
  sessionOverListeners.add(listener);
  return () => sessionOverListeners.delete(listener);
}

export type QueryValue = string | number | boolean | null | undefined;

export function withQuery(path: string, query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(name, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function problemFrom(response: Response): Promise<ApiProblem> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await response.json()) as Partial<ProblemBody>;
      if (typeof body.code === 'string') {
        return new ApiProblem({
          type: body.type ?? problemTypeUri(body.code),
          code: body.code,
          title: body.title ?? response.statusText,
          status: body.status ?? response.status,
          detail: body.detail,
          errors: body.errors,
        });
      }
    } catch {
      // Not the JSON it claimed to be: fall through to a problem made from the status.
    }
  }
  // A proxy or a crashed upstream answers without problem+json; keep the status, give a stable code.
  const code = response.status >= 500 ? 'server.unavailable' : 'request.failed';
  return new ApiProblem({
    type: problemTypeUri(code),
    code,
    title: response.statusText,
    status: response.status,
  });
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' }, signal };
  if (body !== undefined) {
    init.headers = { ...init.headers, 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    // Cancelled by the caller (a superseded search): not a network failure, nothing to show.
    if (signal?.aborted) throw error;
    void reportUnreachable();
    throw new ApiProblem({
      type: problemTypeUri('network.unreachable'),
      code: 'network.unreachable',
      title: 'The server cannot be reached',
      status: 0,
    });
  }
  if (!response.ok) {
    if (meansUnreachable(response.status)) void reportUnreachable();
    const problem = await problemFrom(response);
    if (isSessionOver(problem)) for (const listener of sessionOverListeners) listener();
    throw problem;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  /** `signal` cancels the call, e.g. TanStack Query's when a newer query supersedes it. */
  get: <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, undefined, signal),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
};
