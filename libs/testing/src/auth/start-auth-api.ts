import { ConnectionRole, createConnection } from '@directory/connections';
import type { Connection } from 'mongoose';
import { startServiceProcess, type ServiceProcess } from '../app/service-process';
import { authApiClient, type AuthApiClient } from './auth-api-client';

export interface AuthApiHandle extends AuthApiClient {
  /**
   * The test's own connection to auth-api's database (not auth-api's: that lives in another
   * process), for seeding and reading back; closed by `close()`.
   */
  connection: Connection;
  /** Stops auth-api and closes `connection`. */
  close(): Promise<void>;
}

/** Throttling would get in the way of tests that register many users from one address. */
const TEST_DEFAULTS: Readonly<Record<string, string>> = { AUTH_THROTTLE_LIMIT: '100000' };

/**
 * Starts the built auth-api (`dist/apps/auth-api/main.js`, `nx build auth-api`) as a child
 * process on 127.0.0.1 and a free port, so another app's e2e test can verify real tokens
 * through the real JWKS endpoint:
 *
 *   const auth = await startAuthApi(testEnv(dbName));
 *   AuthModule.forRoot({ jwksUri: auth.jwksUri, issuer: auth.issuer, audience: auth.audience })
 *   const admin = await auth.registerAdmin();
 *
 * A process, not an import: a project never imports an app, and the project whose tests call
 * this declares it (`implicitDependencies: ["auth-api"]`, its `test` target depending on
 * `auth-api:build`), so the graph shows the edge. Use the same database name (MONGODB_DB) as
 * the app under test, so both see the same users.
 */
export async function startAuthApi(env: NodeJS.ProcessEnv): Promise<AuthApiHandle> {
  const fullEnv = definedOnly({ ...TEST_DEFAULTS, ...env });
  const uri = fullEnv['MONGODB_URI'];
  if (!uri) throw new Error('startAuthApi: the env has no MONGODB_URI (use testEnv(dbName))');
  // In parallel: neither needs the other, and the process start is the slow part.
  const [service, connection] = await Promise.allSettled([
    startServiceProcess('auth-api', { env: fullEnv }),
    createConnection(ConnectionRole.Fast, { uri, dbName: fullEnv['MONGODB_DB'], autoIndex: false }),
  ]);
  if (service.status === 'fulfilled' && connection.status === 'fulfilled') return handle(service.value, connection.value, fullEnv);
  if (service.status === 'fulfilled') await service.value.stop();
  if (connection.status === 'fulfilled') await connection.value.close();
  throw service.status === 'rejected' ? service.reason : (connection as PromiseRejectedResult).reason;
}

function handle(service: ServiceProcess, connection: Connection, env: Record<string, string>): AuthApiHandle {
  return {
    ...authApiClient(service.url, connection, env),
    connection,
    async close() {
      await service.stop();
      await connection.close();
    },
  };
}

/** `NodeJS.ProcessEnv` allows undefined values; a child's environment has none. */
function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
