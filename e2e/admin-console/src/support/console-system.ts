import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  dropTestDatabase,
  exitWithParent,
  freePort,
  startAuthApi,
  startServiceProcess,
  testDatabase,
  testEnv,
  type AuthApiHandle,
  type ServiceProcess,
} from '@directory/testing';

/** The workspace root: tools/gateway-main.ts and dist/ are found from there. */
export const WORKSPACE_ROOT = join(__dirname, '..', '..', '..', '..');

/**
 * The whole system as `npm start` runs it, on this file's own database: the built auth-api,
 * users-api and admin-analytics as processes, and tools/gateway-main.ts in front of them as a
 * process of its own, serving the built console (dist/apps/admin-console) under /console/.
 */
export interface ConsoleSystem {
  /** The gateway's origin as a browser opens it (`http://localhost:<port>`): the one origin of every page and API. */
  url: string;
  /** The same gateway at `http://127.0.0.1:<port>`, for the tests' own API calls (Node may try ::1 first for localhost). */
  apiUrl: string;
  dbName: string;
  auth: AuthApiHandle;
  users: ServiceProcess;
  analytics: ServiceProcess;
  /** The gateway's output so far, for failure messages. */
  gatewayOutput(): string;
  close(): Promise<void>;
}

const GATEWAY_READY = /gateway listening on (\d+)/;

/** `NodeJS.ProcessEnv` allows undefined values; a child's environment has none. */
function defined(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

interface GatewayProcess {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** tools/gateway-main.ts through tsx, as its own process; resolves on its "gateway listening on" line. */
async function startGateway(port: number, upstreams: { auth: string; users: string; analytics: string }): Promise<GatewayProcess> {
  const launch = exitWithParent();
  const child = spawn(process.execPath, [...launch.args, '--import', 'tsx', 'tools/gateway-main.ts'], {
    cwd: WORKSPACE_ROOT,
    env: {
      ...process.env,
      ...launch.env,
      TSX_TSCONFIG_PATH: 'tsconfig.base.json',
      GATEWAY_PORT: String(port),
      GATEWAY_AUTH_URL: upstreams.auth,
      GATEWAY_USERS_URL: upstreams.users,
      GATEWAY_ANALYTICS_URL: upstreams.analytics,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: string) => {
      output += chunk;
      if (GATEWAY_READY.test(output)) resolve();
    };
    child.stdout?.setEncoding('utf8').on('data', onData);
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('exit', (code, signal) =>
      reject(new Error(`the gateway exited (code ${code}, signal ${signal}) before listening:\n${output}`)),
    );
    child.once('error', reject);
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { child, output: () => output, stop };
}

/**
 * Starts everything; `close()` stops it and drops the database. Call in beforeAll, once per file.
 * The gateway's port is chosen first: auth-api's PUBLIC_URL and WebAuthn origin name it.
 */
export async function startConsoleSystem(): Promise<ConsoleSystem> {
  const { dbName } = testDatabase();
  const gatewayPort = await freePort();
  // localhost, not 127.0.0.1: auth-api derives its WebAuthn RP ID from PUBLIC_URL and refuses an IP address.
  const url = `http://localhost:${gatewayPort}`;
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const auth = await startAuthApi(
      testEnv(dbName, {
        PUBLIC_URL: url,
        AUTH_WEBAUTHN_ORIGINS: url,
        // The gateway passes the browser's address in X-Forwarded-For; believed from loopback only.
        TRUST_PROXY: 'loopback',
      }),
    );
    stops.push(async () => {
      if (auth.connection.readyState === 1) await dropTestDatabase(auth.connection, dbName);
      await auth.close();
    });
    const verifying = defined(
      testEnv(dbName, {
        AUTH_JWKS_URI: auth.jwksUri,
        AUTH_JWT_ISSUER: auth.issuer,
        AUTH_JWT_AUDIENCE: auth.audience,
        AUTH_PUBLIC_URL: auth.url,
        TRUST_PROXY: 'loopback',
      }),
    );
    const started = await Promise.allSettled([
      startServiceProcess('users-api', { env: verifying }),
      startServiceProcess('admin-analytics', { env: verifying }),
    ]);
    for (const result of started) if (result.status === 'fulfilled') stops.push(() => result.value.stop());
    const [users, analytics] = started.map((result) => {
      if (result.status === 'rejected') throw result.reason;
      return result.value;
    }) as [ServiceProcess, ServiceProcess];
    const gateway = await startGateway(gatewayPort, { auth: auth.url, users: users.url, analytics: analytics.url });
    stops.push(() => gateway.stop());
    return {
      url,
      apiUrl: `http://127.0.0.1:${gatewayPort}`,
      dbName,
      auth,
      users,
      analytics,
      gatewayOutput: gateway.output,
      close: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
