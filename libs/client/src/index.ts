import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type * as AnalyticsApi from './generated/admin-analytics';
import type * as AuthApi from './generated/auth-api';
import type * as UsersApi from './generated/users-api';

/** Each service's `paths`, `components` and `operations`, generated from its OpenAPI document. */
export type { AnalyticsApi, AuthApi, UsersApi };

/** The services' own origins, for talking to them without the gateway (`npm start` prints all three). */
export interface ServiceOrigins {
  auth: string;
  users: string;
  analytics: string;
}

export interface DirectoryClientOptions {
  /**
   * The one origin every route answers on behind the gateway (`/auth/*`, `/users/*`,
   * `/analytics/*`), or each service's own origin.
   */
  baseUrl: string | ServiceOrigins;
  /**
   * Read before every request, so a refreshed token is used at once; `undefined` sends no
   * Authorization header. A request that sets its own Authorization keeps it.
   */
  accessToken?: () => string | undefined;
  /** Another fetch (a test double, a proxy agent); globalThis.fetch by default. */
  fetch?: (input: Request) => Promise<Response>;
}

/**
 * The body of every error answer (libs/platform's exception filter; README "Every service
 * has"). The documents declare error statuses without a body schema, so openapi-fetch types
 * `error` as absent: read it through `errorBody`.
 */
export interface DirectoryError {
  statusCode: number;
  error: string;
  message: string | string[];
  /** Stable, for clients to switch on (`invalid_credentials`, `validation_failed`, `invalid_token`…). */
  code: string;
  requestId?: string;
  /** Only on a 500: quote it, the log has the rest. */
  errorId?: string;
}

/** A failed call's error body; undefined when the call succeeded. */
export function errorBody(result: { error?: unknown; response: Response }): DirectoryError | undefined {
  return result.response.ok ? undefined : (result.error as DirectoryError | undefined);
}

/** openapi-fetch clients, one per service: `GET`, `POST`, `PATCH`… typed by path. */
export interface DirectoryClient {
  auth: Client<AuthApi.paths>;
  users: Client<UsersApi.paths>;
  analytics: Client<AnalyticsApi.paths>;
}

/**
 *   const api = createDirectoryClient({ baseUrl: 'https://directory.example.com', accessToken: () => token });
 *   const { data, error } = await api.users.GET('/users', { params: { query: { q: 'jose' } } });
 *
 * Errors are returned, not thrown (`errorBody(result)?.code`); a network failure rejects.
 */
export function createDirectoryClient(options: DirectoryClientOptions): DirectoryClient {
  const origins: ServiceOrigins =
    typeof options.baseUrl === 'string' ? { auth: options.baseUrl, users: options.baseUrl, analytics: options.baseUrl } : options.baseUrl;
  const bearer: Middleware = {
    onRequest({ request }) {
      const token = options.accessToken?.();
      if (token && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${token}`);
      return request;
    },
  };
  const client = <Paths extends object>(baseUrl: string): Client<Paths> => {
    const made = createClient<Paths>({ baseUrl, ...(options.fetch && { fetch: options.fetch }) });
    made.use(bearer);
    return made;
  };
  return {
    auth: client<AuthApi.paths>(origins.auth),
    users: client<UsersApi.paths>(origins.users),
    analytics: client<AnalyticsApi.paths>(origins.analytics),
  };
}
