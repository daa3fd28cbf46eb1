import type { DynamicModule, INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { configureApp, type HttpOptions } from '@directory/platform';

/**
 * Builds an app exactly as `main.ts` does (same module, same `configureApp`), without
 * listening on a port: supertest drives `app.getHttpServer()`.
 */
export async function createTestApp(module: DynamicModule, http: HttpOptions): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
  const app = moduleRef.createNestApplication({ bufferLogs: true });
  configureApp(app, http);
  await app.init();
  return app;
}

/** Environment for an app under test: the run's database, this file's db name, quiet logs. */
export function testEnv(dbName: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const uri = process.env['MONGODB_URI'];
  if (!uri) throw new Error('MONGODB_URI is not set: run tests through `npm test` or the Jest global setup');
  return { MONGODB_URI: uri, MONGODB_DB: dbName, NODE_ENV: 'test', LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent', ...extra };
}
