import type { DynamicModule, INestApplication } from '@nestjs/common';
import type { HttpOptions } from '@directory/platform';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { createTestApp } from '../app/create-test-app';
import { grantAdmin } from './grant-admin';

/** What registration and login return. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface RegisteredUser extends TokenPair {
  id: string;
  email: string;
  password: string;
  user: Record<string, unknown>;
}

export interface RegisterInput {
  email: string;
  password: string;
  name: { first: string; last: string };
  displayName?: string;
  title?: string;
  department?: string;
  location?: string;
  phone?: string;
}

export interface AuthApiHandle {
  app: INestApplication;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Give this to `AuthModule.forRoot({ jwksUri })`. */
  jwksUri: string;
  /** The `iss` and `aud` its tokens carry (auth-api's defaults unless the env changed them). */
  issuer: string;
  audience: string;
  /** Registers a user (unique email and a strong password unless given) and returns its tokens. */
  register(input?: Partial<RegisterInput>): Promise<RegisteredUser>;
  login(email: string, password: string): Promise<TokenPair>;
  /** Adds the admin role in the database; tokens issued afterwards (log in again) carry it. */
  makeAdmin(userId: string): Promise<void>;
  /** register + makeAdmin + login: an admin with an admin access token. */
  registerAdmin(input?: Partial<RegisterInput>): Promise<RegisteredUser>;
  close(): Promise<void>;
}

export interface StartAuthApiOptions {
  /** Builds the module from the env; defaults to auth-api's own `authApiModule`. */
  module?: (env: NodeJS.ProcessEnv) => DynamicModule;
}

interface AuthApiEntry {
  authApiModule(env: NodeJS.ProcessEnv): DynamicModule;
  HTTP_OPTIONS: HttpOptions;
}

/**
 * auth-api's in-process entry, loaded by path at run time. No project may import an app, and
 * this keeps it so: the dependency graph has no edge to apps/auth-api, only tests that call
 * `startAuthApi` run its code.
 */
const AUTH_API_ENTRY = resolve(__dirname, '../../../../apps/auth-api/src/in-process');

/** Throttling would get in the way of tests that register many users from one address. */
const TEST_DEFAULTS: NodeJS.ProcessEnv = { AUTH_THROTTLE_LIMIT: '100000' };

const STRONG_PASSWORD = 'correct horse battery staple 42';

async function call<T>(url: string, body: unknown, expected: number): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== expected) throw new Error(`POST ${url} → ${response.status} (expected ${expected}): ${text}`);
  return JSON.parse(text) as T;
}

/**
 * Starts auth-api in this process, listening on 127.0.0.1 and a free port, so another app's
 * e2e test can verify real tokens through the real JWKS endpoint:
 *
 *   const auth = await startAuthApi(testEnv(dbName));
 *   AuthModule.forRoot({ jwksUri: auth.jwksUri, issuer: auth.issuer, audience: auth.audience })
 *   const admin = await auth.registerAdmin();
 *
 * Use the same database name as the app under test, so both see the same users.
 */
export async function startAuthApi(env: NodeJS.ProcessEnv, options: StartAuthApiOptions = {}): Promise<AuthApiHandle> {
  const fullEnv = { ...TEST_DEFAULTS, ...env };
  const entry = (await import(AUTH_API_ENTRY)) as AuthApiEntry;
  const module = options.module ? options.module(fullEnv) : entry.authApiModule(fullEnv);
  const app = await createTestApp(module, entry.HTTP_OPTIONS);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const login = (email: string, password: string) => call<TokenPair>(`${url}/auth/login`, { email, password }, 200);
  const register = async (input: Partial<RegisterInput> = {}): Promise<RegisteredUser> => {
    const body: RegisterInput = {
      email: `user-${randomBytes(6).toString('hex')}@example.com`,
      password: STRONG_PASSWORD,
      name: { first: 'Test', last: 'User' },
      ...input,
    };
    const result = await call<TokenPair & { user: Record<string, unknown> }>(`${url}/auth/register`, body, 201);
    return { ...result, id: String(result.user['id']), email: body.email, password: body.password };
  };
  const makeAdmin = (userId: string) => grantAdmin(app, userId);

  return {
    app,
    url,
    jwksUri: `${url}/.well-known/jwks.json`,
    issuer: fullEnv['AUTH_JWT_ISSUER'] ?? 'directory-auth',
    audience: fullEnv['AUTH_JWT_AUDIENCE'] ?? 'directory',
    register,
    login,
    makeAdmin,
    async registerAdmin(input) {
      const user = await register(input);
      await makeAdmin(user.id);
      return { ...user, ...(await login(user.email, user.password)) };
    },
    close: () => app.close(),
  };
}
