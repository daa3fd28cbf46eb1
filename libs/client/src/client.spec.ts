import {
  dropTestDatabase,
  startAuthApi,
  startServiceProcess,
  testDatabase,
  testEnv,
  type AuthApiHandle,
  type ServiceProcess,
} from '@directory/testing';
import { randomBytes } from 'node:crypto';
import { createDirectoryClient, errorBody, type DirectoryClient } from './index';

/**
 * The typed client over real HTTP against the built auth-api and users-api (`nx build`), each a
 * process on its own port (no gateway here: `baseUrl` names each service's origin), on this
 * file's own database.
 */
describe('createDirectoryClient against the built services', () => {
  let auth: AuthApiHandle;
  let users: ServiceProcess;
  let dbName: string;
  let token: string | undefined;
  let api: DirectoryClient;

  beforeAll(async () => {
    ({ dbName } = testDatabase());
    auth = await startAuthApi(testEnv(dbName));
    const env = Object.fromEntries(
      Object.entries(
        testEnv(dbName, { AUTH_JWKS_URI: auth.jwksUri, AUTH_JWT_ISSUER: auth.issuer, AUTH_JWT_AUDIENCE: auth.audience }),
      ).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    users = await startServiceProcess('users-api', { env });
    // admin-analytics is not started here: its origin is never called.
    api = createDirectoryClient({ baseUrl: { auth: auth.url, users: users.url, analytics: users.url }, accessToken: () => token });
  });

  afterAll(async () => {
    await users?.stop();
    if (auth) {
      await dropTestDatabase(auth.connection, dbName);
      await auth.close();
    }
  });

  it('registers, logs in, and reads /users/me and /users?q= with the bearer token', async () => {
    const email = `client-${randomBytes(4).toString('hex')}@example.com`;
    const password = `correct horse battery ${randomBytes(4).toString('hex')}`;
    const registered = await api.auth.POST('/auth/register', { body: { email, password, name: { first: 'Zoë', last: 'Clientová' } } });
    expect(registered.response.status).toBe(201);

    // No token yet: the middleware sends none.
    const anonymous = await api.users.GET('/users/me');
    expect(anonymous.response.status).toBe(401);
    expect(errorBody(anonymous)?.code).toBe('invalid_token');

    const login = await api.auth.POST('/auth/login', { body: { email, password } });
    expect(login.response.status).toBe(200);
    if (!login.data || !('accessToken' in login.data)) throw new Error(`login → ${JSON.stringify(login.data ?? login.error)}`);
    token = login.data.accessToken;

    const me = await api.users.GET('/users/me');
    expect(me.response.status).toBe(200);
    expect(me.data?.email).toBe(email);
    expect(me.data?.name.first).toBe('Zoë');
    const id = me.data?.id;
    expect(id).toMatch(/^[0-9a-f]{24}$/);

    // The directory's own grammar: a prefix, accents ignored.
    const found = await api.users.GET('/users', { params: { query: { q: 'zoe', limit: 10 } } });
    expect(found.response.status).toBe(200);
    expect(found.data?.items.map((user) => user.id)).toContain(id);
    expect(found.data?.items.find((user) => user.id === id)?.name.last).toBe('Clientová');
  });

  it('refuses a misspelt body field, at compile time and at the service', async () => {
    // @ts-expect-error `emial` for `email`: the login body requires `email` (the spec stops compiling if the types stop saying so)
    const wrong = await api.auth.POST('/auth/login', { body: { emial: 'nobody@example.com', password: 'correct horse battery staple' } });
    // The document's additionalProperties: false and required, held by the service too.
    expect(wrong.response.status).toBe(400);
    expect(errorBody(wrong)?.code).toBe('validation_failed');
  });
});
