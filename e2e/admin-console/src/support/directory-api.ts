/** What users-api answers for a person (the fields these tests read). */
export interface PersonView {
  id: string;
  email: string;
  name: { first: string; last: string };
  fullName: string;
  roles: string[];
  status: string;
  department?: string | null;
  title?: string | null;
  managerId?: string | null;
  version: number;
}

export interface ApiAnswer<T> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

/**
 * The services over HTTP through the gateway, as any REST client: the tests check what the
 * console did against what the API says, never against the console's own state.
 */
export class DirectoryApi {
  constructor(
    private readonly origin: string,
    private readonly token: string,
  ) {}

  async call<T = unknown>(
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<ApiAnswer<T>> {
    const response = await fetch(`${this.origin}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(init.body !== undefined && { 'content-type': 'application/json' }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    let body: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json')) body = text ? JSON.parse(text) : undefined;
    return { status: response.status, body: body as T, headers: response.headers, text };
  }

  /** `call`, failing with the answer when the status is not the expected one. */
  async expect<T = unknown>(
    status: number,
    method: string,
    path: string,
    init?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<T> {
    const answer = await this.call<T>(method, path, init);
    if (answer.status !== status)
      throw new Error(`${method} ${path} → ${answer.status} (expected ${status}): ${answer.text.slice(0, 500)}`);
    return answer.body;
  }

  person(id: string): Promise<PersonView> {
    return this.expect<PersonView>(200, 'GET', `/users/${id}`);
  }

  /** Every match of a filter, in name order, following the cursor. */
  async search(query: Record<string, string>): Promise<PersonView[]> {
    const found: PersonView[] = [];
    let after: string | undefined;
    do {
      const params = new URLSearchParams({ ...query, limit: '100', ...(after && { after }) });
      const page = await this.expect<{ items: PersonView[]; nextCursor?: string | null }>(200, 'GET', `/users?${params}`);
      found.push(...page.items);
      after = page.nextCursor ?? undefined;
    } while (after);
    return found;
  }

  /** The audit trail, newest first (first page). */
  async events(id: string): Promise<Array<{ kind: string; from?: unknown; to?: unknown; by?: string }>> {
    const page = await this.expect<{ items: Array<{ kind: string; from?: unknown; to?: unknown; by?: string }> }>(
      200,
      'GET',
      `/users/${id}/events?limit=100`,
    );
    return page.items;
  }
}
