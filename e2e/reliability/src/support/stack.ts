import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, ObjectId } from 'mongodb';
import { startServiceProcess, type ServiceProcess } from '@directory/testing';

export const SERVICES = ['auth-api', 'users-api', 'admin-analytics'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface Account {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/**
 * The three built services as child processes on one database, wired as in production:
 * users-api verifies tokens against auth-api's JWKS over HTTP.
 */
export interface Stack {
  services: Record<ServiceName, ServiceProcess>;
  mongodbUri: string;
  dbName: string;
  /** POST /auth/register with a unique email and a strong password. */
  register(): Promise<Account>;
  login(email: string, password: string): Promise<{ status: number; body: Record<string, unknown> }>;
  /** register, grant `admin` in the database, log in again for a token that carries it. */
  registerAdmin(): Promise<Account>;
  stop(): Promise<void>;
}

export interface StackOptions {
  mongodbUri: string;
  dbName: string;
  /** Extra environment for every service. */
  env?: Record<string, string>;
}

/** A password auth-api's policy accepts; random so nothing can rely on a known value. */
export function strongPassword(): string {
  return `correct horse battery ${randomBytes(6).toString('hex')}`;
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed };
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'directory-reliability-'));
  const env = {
    MONGODB_URI: opts.mongodbUri,
    MONGODB_DB: opts.dbName,
    DIRECTORY_DATA_DIR: dataDir,
    // Hundreds of requests from one address would otherwise be throttled before validation.
    AUTH_THROTTLE_LIMIT: '1000000',
    ...opts.env,
  };
  const started: ServiceProcess[] = [];
  const stopAll = async () => {
    await Promise.all(started.map((service) => service.stop('SIGTERM')));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const auth = await startServiceProcess('auth-api', { env });
    started.push(auth);
    // Both verify access tokens against auth-api's key set, over HTTP as in production.
    const verifying = { ...env, AUTH_JWKS_URI: `${auth.url}/.well-known/jwks.json`, AUTH_PUBLIC_URL: auth.url };
    const [users, analytics] = await Promise.all([
      startServiceProcess('users-api', { env: verifying }),
      startServiceProcess('admin-analytics', { env: verifying }),
    ]);
    started.push(users, analytics);

    const login = (email: string, password: string) => postJson(`${auth.url}/auth/login`, { email, password });
    const register = async (): Promise<Account> => {
      const email = `rel-${randomBytes(6).toString('hex')}@example.com`;
      const password = strongPassword();
      const res = await postJson(`${auth.url}/auth/register`, { email, password, name: { first: 'Réli', last: 'Ability' } });
      if (res.status !== 201) throw new Error(`register → ${res.status}: ${JSON.stringify(res.body)}`);
      const user = res.body['user'] as { id: string };
      return { id: user.id, email, password, accessToken: String(res.body['accessToken']), refreshToken: String(res.body['refreshToken']) };
    };
    const registerAdmin = async (): Promise<Account> => {
      const account = await register();
      const client = new MongoClient(opts.mongodbUri, { serverSelectionTimeoutMS: 10_000 });
      try {
        await client
          .db(opts.dbName)
          .collection('users')
          .updateOne({ _id: new ObjectId(account.id) }, { $addToSet: { roles: 'admin' } });
      } finally {
        await client.close();
      }
      const res = await login(account.email, account.password);
      if (res.status !== 200) throw new Error(`admin login → ${res.status}: ${JSON.stringify(res.body)}`);
      return { ...account, accessToken: String(res.body['accessToken']), refreshToken: String(res.body['refreshToken']) };
    };
    return {
      services: { 'auth-api': auth, 'users-api': users, 'admin-analytics': analytics },
      mongodbUri: opts.mongodbUri,
      dbName: opts.dbName,
      register,
      login,
      registerAdmin,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
