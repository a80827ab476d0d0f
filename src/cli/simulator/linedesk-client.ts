/**
 * The simulator speaks to Linedesk as its users do: over the public API with a session cookie,
 * one client per login. Nothing here touches the database.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

export class LinedeskClient {
  private cookie = '';

  constructor(
    readonly baseUrl: string,
    readonly login: string,
  ) {}

  async signIn(password: string): Promise<void> {
    const response = await fetch(new URL('/api/auth/login', this.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: this.login, password }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw await problemOf(response, `log in as ${this.login}`);
    const session = response.headers.getSetCookie().find((cookie) => cookie.startsWith('linedesk_session='));
    if (!session) throw new ApiError(response.status, undefined, `log in as ${this.login}: no session cookie`);
    this.cookie = session.split(';')[0] as string;
  }

  async signOut(): Promise<void> {
    if (this.cookie) await this.request('POST', '/api/auth/logout').catch(() => {});
    this.cookie = '';
  }

  get<T>(path: string): Promise<T> {
    return this.request('GET', path) as Promise<T>;
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request('PUT', path, body) as Promise<T>;
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request('POST', path, body) as Promise<T>;
  }

  delete(path: string): Promise<unknown> {
    return this.request('DELETE', path);
  }

  private async request(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: { cookie: this.cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw await problemOf(response, `${method} ${path}`);
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
  }
}

async function problemOf(response: Response, what: string): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let code: string | undefined;
  let title = text.slice(0, 200);
  try {
    const problem = JSON.parse(text) as { code?: string; title?: string };
    code = problem.code;
    title = problem.title ?? title;
  } catch {
    // Not problem+json (a proxy's page): the text is the message.
  }
  return new ApiError(response.status, code, `${what}: ${response.status} ${code ?? ''} ${title}`.trim());
}
