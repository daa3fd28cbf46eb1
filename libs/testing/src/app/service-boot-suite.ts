import type { DynamicModule, INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { Connection } from 'mongoose';
import { ConnectionRole, connectionToken } from '@directory/connections';
import type { HttpOptions } from '@directory/platform';
import { createTestApp, testEnv } from './create-test-app';
import { dropTestDatabase, testDatabase } from '../database/test-database';

interface OpenApiSchema {
  $ref?: string;
  properties?: Record<string, OpenApiSchema>;
  additionalProperties?: unknown;
  minProperties?: number;
  allOf?: OpenApiSchema[];
  items?: OpenApiSchema;
}
interface OpenApiDoc {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: OpenApiSchema }> } }>>;
  components?: { schemas?: Record<string, OpenApiSchema> };
}

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

    // Issue 12 item 6: the document says exactly what the service accepts (unknown fields are refused, a PATCH needs a field).
    it('OpenAPI: every request body object says additionalProperties: false, PATCH bodies minProperties: 1', async () => {
      const doc = (await request(app.getHttpServer()).get('/docs/openapi.json').expect(200)).body as OpenApiDoc;
      const schemas = doc.components?.schemas ?? {};
      const resolve = (s: OpenApiSchema): OpenApiSchema => (s.$ref ? (schemas[s.$ref.split('/').pop() ?? ''] ?? {}) : s);
      const open: string[] = [];
      const visit = (schema: OpenApiSchema, where: string, seen: Set<OpenApiSchema>): void => {
        const s = resolve(schema);
        if (seen.has(s)) return;
        seen.add(s);
        if (s.properties && s.additionalProperties !== false) open.push(where);
        for (const [name, property] of Object.entries(s.properties ?? {})) visit(property, `${where}.${name}`, seen);
        for (const item of [...(s.allOf ?? []), ...(s.items ? [s.items] : [])]) visit(item, where, seen);
      };
      for (const [path, item] of Object.entries(doc.paths)) {
        for (const [method, operation] of Object.entries(item)) {
          const schema = operation.requestBody?.content?.['application/json']?.schema;
          if (!schema) continue;
          visit(schema, `${method.toUpperCase()} ${path}`, new Set());
          if (method === 'patch') expect({ [path]: resolve(schema).minProperties }).toEqual({ [path]: 1 });
        }
      }
      expect(open).toEqual([]);
    });

    // Issue 12 item 6 (ASVS 5.0 4.1.4: only the documented HTTP methods are accepted; RFC 9110 §15.5.6).
    it('an undeclared method on a known path → 405 with Allow and the common error body; unknown paths stay 404', async () => {
      const server = app.getHttpServer();
      for (const method of ['post', 'delete', 'patch', 'options', 'trace'] as const) {
        const res = await request(server)[method]('/health/live').set('x-request-id', 'req-405').expect(405);
        expect(res.headers['allow']).toBe('GET, HEAD');
        expect(res.body).toMatchObject({ statusCode: 405, code: 'method_not_allowed', requestId: 'req-405' });
      }
      await request(server).head('/health/live').expect(200);
      const docs = await request(server).post('/docs/openapi.json').expect(405);
      expect(docs.headers['allow']).toBe('GET, HEAD');
      // Every documented path (TRACE /users/me, ...): 405 whose Allow names at least the documented methods.
      const doc = (await request(server).get('/docs/openapi.json').expect(200)).body as OpenApiDoc;
      for (const [path, item] of Object.entries(doc.paths)) {
        const res = await request(server).trace(path.replace(/\{[^}]+\}/g, '0'.repeat(24)));
        expect({ path, status: res.status }).toEqual({ path, status: 405 });
        const allow = String(res.headers['allow']).split(', ');
        for (const method of Object.keys(item)) expect(allow).toContain(method.toUpperCase());
      }
      const unknown = await request(server).trace('/no-such-route').expect(404);
      expect(unknown.headers['allow']).toBeUndefined();
      expect(unknown.body).toMatchObject({ statusCode: 404, code: 'not_found' });
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

    // ASVS 5.0 16.5.1, 13.4.5: the public probe says "down" and nothing else; the driver's error
    // text (hosts, ports, addresses) goes to the log only.
    it('GET /health/ready → 503 with a generic body once its connection is gone', async () => {
      await app.get<Connection>(connectionToken(options.role)).close();
      const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
      expect(res.body.error[`mongodb-${options.role}`]).toEqual({ status: 'down' });
      expect(res.body.details[`mongodb-${options.role}`]).toEqual({ status: 'down' });
      expect(JSON.stringify(res.body)).not.toMatch(
        /Mongo\w*Error|must be connected|not connected|mongodb:\/\/|\d+\.\d+\.\d+\.\d+|:\d{4,5}\b/,
      );
    });
  });
}
