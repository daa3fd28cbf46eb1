import type { DynamicModule, INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { Connection } from 'mongoose';
import { ConnectionRole, connectionToken } from '@directory/connections';
import type { HttpOptions } from '@directory/platform';
import { createTestApp, testEnv } from './create-test-app';
import { dropTestDatabase, testDatabase } from '../database/test-database';

export interface BootSuiteOptions {
  service: string;
  role: ConnectionRole;
  http: HttpOptions;
  /** Builds the app module from an environment, the way main.ts does (loadConfig + register). */
  module: (env: NodeJS.ProcessEnv) => DynamicModule;
  /** Models no connection of this service may ever compile (secrets that stay in auth-api). */
  neverCompiles?: readonly string[];
}

/**
 * What every service must do from its first commit: boot on the real database, answer
 * health, metrics and OpenAPI, map errors to JSON with a request id, and report not-ready
 * when its database connection is gone.
 */
export function describeServiceBoot(options: BootSuiteOptions): void {
  describe(`${options.service} boots on the test database`, () => {
    const { dbName } = testDatabase();
    let app: INestApplication;

    beforeAll(async () => {
      app = await createTestApp(options.module(testEnv(dbName)), options.http);
    });

    afterAll(async () => {
      const connection = app?.get<Connection>(connectionToken(options.role));
      if (connection?.readyState === 1) await dropTestDatabase(connection, dbName);
      await app?.close();
    });

    it('GET /health/live → 200', async () => {
      const res = await request(app.getHttpServer()).get('/health/live').expect(200);
      expect(res.body.status).toBe('ok');
    });

    it(`GET /health/ready pings the ${options.role} connection → 200`, async () => {
      const res = await request(app.getHttpServer()).get('/health/ready').expect(200);
      expect(res.body.info[`mongodb-${options.role}`].status).toBe('up');
    });

    it('GET /metrics serves Prometheus text with HTTP timings', async () => {
      await request(app.getHttpServer()).get('/health/live');
      const res = await request(app.getHttpServer()).get('/metrics').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toContain('http_request_duration_seconds_bucket');
      expect(res.text).toContain(`service="${options.service}"`);
    });

    it('GET /docs/openapi.json serves the OpenAPI document', async () => {
      const res = await request(app.getHttpServer()).get('/docs/openapi.json').expect(200);
      expect(res.body.openapi).toMatch(/^3\./);
      expect(res.body.info.title).toBe(options.http.title);
      await request(app.getHttpServer()).get('/docs').expect(200);
    });

    it('unknown routes → JSON 404 with the request id, no stack', async () => {
      const res = await request(app.getHttpServer()).get('/no-such-route').set('x-request-id', 'req-123').expect(404);
      expect(res.headers['x-request-id']).toBe('req-123');
      expect(res.body).toMatchObject({ statusCode: 404, requestId: 'req-123' });
      expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.(js|ts):\d+/);
    });

    it('malformed JSON → 400, never 500', async () => {
      const res = await request(app.getHttpServer())
        .post('/no-such-route')
        .set('content-type', 'application/json')
        .send('{"email": ')
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, requestId: expect.any(String) });
    });

    if (options.neverCompiles?.length) {
      it(`compiles none of ${options.neverCompiles.join(', ')} on any of its connections`, () => {
        const connections = Object.values(ConnectionRole).flatMap((role) => {
          try {
            return [app.get<Connection>(connectionToken(role), { strict: false })];
          } catch {
            return []; // the service does not open this role
          }
        });
        expect(connections.length).toBeGreaterThan(0);
        for (const connection of connections) {
          expect(connection.modelNames().length).toBeGreaterThan(0);
          for (const name of options.neverCompiles ?? []) expect(connection.modelNames()).not.toContain(name);
        }
      });
    }

    it('GET /health/ready → 503 once its connection is gone', async () => {
      await app.get<Connection>(connectionToken(options.role)).close();
      const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
      expect(res.body.error[`mongodb-${options.role}`].status).toBe('down');
    });
  });
}
