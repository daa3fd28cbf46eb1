import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
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

/** A running auth-api, driven over HTTP as another service (or a user) would. */
export interface AuthApiClient {
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
}

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
 * The client of an auth-api listening at `url`, however it was started (a child process for
 * other apps' tests, in-process for auth-api's own). There is no API for a first admin, so
 * `makeAdmin` writes the role through `connection`, a connection to auth-api's database; `env`
 * is the environment auth-api was started with (for the issuer and audience it signs).
 */
export function authApiClient(url: string, connection: Connection, env: NodeJS.ProcessEnv = {}): AuthApiClient {
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
  const makeAdmin = (userId: string) => grantAdmin(connection, userId);
  return {
    url,
    jwksUri: `${url}/.well-known/jwks.json`,
    issuer: env['AUTH_JWT_ISSUER'] ?? 'directory-auth',
    audience: env['AUTH_JWT_AUDIENCE'] ?? 'directory',
    register,
    login,
    makeAdmin,
    async registerAdmin(input) {
      const user = await register(input);
      await makeAdmin(user.id);
      return { ...user, ...(await login(user.email, user.password)) };
    },
  };
}
