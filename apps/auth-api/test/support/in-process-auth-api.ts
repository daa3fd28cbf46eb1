import type { DynamicModule } from '@nestjs/common';
import { ConnectionRole, connectionToken } from '@directory/connections';
import { authApiClient, createTestApp, type AuthApiHandle } from '@directory/testing';
import type { Connection } from 'mongoose';
import type { AddressInfo } from 'node:net';
import { authApiModule, HTTP_OPTIONS } from '../../src/in-process';
import { TEST_AUTH_ENV } from './auth-test-app';

export interface InProcessAuthApiOptions {
  /** Builds the module from the env; defaults to `authApiModule`. */
  module?: (env: NodeJS.ProcessEnv) => DynamicModule;
}

/**
 * auth-api in this process, listening on 127.0.0.1 and a free port, with the same client as
 * libs/testing's `startAuthApi` (which other apps' tests use: it runs the build as a child
 * process). In-process here because this is auth-api's own suite: its code is what is under
 * test, and every response it serves passes the response scan.
 */
export async function startInProcessAuthApi(env: NodeJS.ProcessEnv, options: InProcessAuthApiOptions = {}): Promise<AuthApiHandle> {
  const fullEnv = { ...TEST_AUTH_ENV, ...env };
  const app = await createTestApp((options.module ?? authApiModule)(fullEnv), HTTP_OPTIONS);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  // The app's own connection: it is closed with the app.
  const connection = app.get<Connection>(connectionToken(ConnectionRole.Fast));
  return { ...authApiClient(`http://127.0.0.1:${port}`, connection, fullEnv), connection, close: () => app.close() };
}
