import type { INestApplication } from '@nestjs/common';
import { ConnectionRole, connectionToken } from '@directory/connections';
import { loadConfig } from '@directory/platform';
import { ModelName, type UserFields } from '@directory/schemas';
import {
  createTestApp,
  dropTestDatabase,
  startAuthApi,
  testDatabase,
  testEnv,
  type AuthApiHandle,
  type RegisteredUser,
} from '@directory/testing';
import type { Connection, Model } from 'mongoose';
import request from 'supertest';
import { AppModule } from '../../src/app/app.module';
import { HTTP_OPTIONS } from '../../src/app/http-options';
import { configSchema } from '../../src/config';

export interface UsersTestContext {
  app: INestApplication;
  auth: AuthApiHandle;
  dbName: string;
  connection: Connection;
  users: Model<UserFields>;
  /** supertest against users-api with a bearer token. */
  as(token: string): {
    get(path: string): request.Test;
    post(path: string): request.Test;
    patch(path: string): request.Test;
    delete(path: string): request.Test;
  };
  close(): Promise<void>;
}

/**
 * users-api in-process and the built auth-api as a child process (`startAuthApi`), on this
 * file's own database: tokens are issued by auth-api and verified by users-api through
 * auth-api's JWKS endpoint, as in production.
 */
export async function startUsersApi(
  extraEnv: Record<string, string> = {},
  authEnv: Record<string, string> = {},
): Promise<UsersTestContext> {
  const { dbName } = testDatabase();
  const auth = await startAuthApi(testEnv(dbName, authEnv));
  const env = testEnv(dbName, {
    AUTH_JWKS_URI: auth.jwksUri,
    AUTH_JWT_ISSUER: auth.issuer,
    AUTH_JWT_AUDIENCE: auth.audience,
    ...extraEnv,
  });
  const app = await createTestApp(AppModule.register(loadConfig(configSchema, env)), HTTP_OPTIONS);
  const connection = app.get<Connection>(connectionToken(ConnectionRole.Fast));
  const server = app.getHttpServer();
  return {
    app,
    auth,
    dbName,
    connection,
    users: connection.model<UserFields>(ModelName.User),
    as: (token) => ({
      get: (path) => request(server).get(path).set('Authorization', `Bearer ${token}`),
      post: (path) => request(server).post(path).set('Authorization', `Bearer ${token}`),
      patch: (path) => request(server).patch(path).set('Authorization', `Bearer ${token}`),
      delete: (path) => request(server).delete(path).set('Authorization', `Bearer ${token}`),
    }),
    async close() {
      if (connection.readyState === 1) await dropTestDatabase(connection, dbName);
      await app.close();
      await auth.close();
    },
  };
}

export type { RegisteredUser };
