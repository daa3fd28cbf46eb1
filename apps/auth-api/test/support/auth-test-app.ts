import type { INestApplication } from '@nestjs/common';
import { ConnectionRole, connectionToken } from '@directory/connections';
import { createTestApp, dropTestDatabase, testEnv } from '@directory/testing';
import type { Connection } from 'mongoose';
import { authApiModule, HTTP_OPTIONS } from '../../src/in-process';
import { FakeClock } from './fake-clock';
import { RecordingClient } from './recording-client';

export interface AuthTestApp {
  app: INestApplication;
  http: RecordingClient;
  connection: Connection;
  clock: FakeClock;
  close(): Promise<void>;
}

/** Test defaults: throttling out of the way (one test turns it back on). */
export const TEST_AUTH_ENV = { AUTH_THROTTLE_LIMIT: '100000' };

/** auth-api as main.ts builds it, on this file's database, with a fake clock. */
export async function startAuthTestApp(dbName: string, env: Record<string, string> = {}): Promise<AuthTestApp> {
  const clock = new FakeClock();
  const app = await createTestApp(authApiModule(testEnv(dbName, { ...TEST_AUTH_ENV, ...env }), { clock }), HTTP_OPTIONS);
  const connection = app.get<Connection>(connectionToken(ConnectionRole.Fast));
  return {
    app,
    http: new RecordingClient(app.getHttpServer()),
    connection,
    clock,
    async close() {
      if (connection.readyState === 1) await dropTestDatabase(connection, dbName);
      await app.close();
    },
  };
}

export const STRONG_PASSWORD = 'correct horse battery staple 42';

let counter = 0;
/** A unique, valid registration body. */
export function newUser(
  overrides: Record<string, unknown> = {},
): { email: string; password: string; name: { first: string; last: string } } & Record<string, unknown> {
  counter += 1;
  return {
    email: `user${counter}-${process.pid}-${Date.now()}@example.com`,
    password: STRONG_PASSWORD,
    name: { first: 'Ada', last: 'Lovelace' },
    ...overrides,
  };
}
