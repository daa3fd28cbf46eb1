import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ConnectionRole, connectionToken } from '@directory/connections';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { baseConfigSchema, docsEnabled, loadConfig } from '../config/load-config';
import { metricsTokenMatches } from '../metrics/metrics';
import { PlatformModule } from '../platform.module';
import { configureApp } from './configure-app';

// The database comes from the Jest global setup (MONGODB_URI); libs/testing sits above platform.
const uri = process.env['MONGODB_URI'] as string;
const dbName = `t_platform_exposure_${process.env['JEST_WORKER_ID']}_${Date.now().toString(36)}`;
const TOKEN = 'metrics-scraper-token-0123456789';

/** A service made of the platform alone, built as main.ts builds one (PlatformModule + configureApp). */
async function platformApp(env: Record<string, string>): Promise<INestApplication> {
  const config = loadConfig(baseConfigSchema, { MONGODB_URI: uri, MONGODB_DB: dbName, NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
  const moduleRef = await Test.createTestingModule({
    imports: [PlatformModule.forService({ service: 'exposure-probe', config, roles: [ConnectionRole.Fast] })],
  }).compile();
  const app = moduleRef.createNestApplication({ bufferLogs: true });
  configureApp(app, { title: 'exposure probe', description: 'platform routes only' });
  await app.init();
  return app;
}

describe('platform: who may read /metrics and /docs (ASVS 5.0 13.4.5)', () => {
  const apps: INestApplication[] = [];
  const start = async (env: Record<string, string>) => {
    const app = await platformApp(env);
    apps.push(app);
    return app.getHttpServer();
  };

  afterAll(async () => {
    const connection = apps[0]?.get<Connection>(connectionToken(ConnectionRole.Fast));
    if (connection?.readyState === 1) await connection.dropDatabase();
    for (const app of apps) await app.close();
  });

  it('METRICS_TOKEN set: /metrics needs the bearer token, else 401 in the common error body', async () => {
    const server = await start({ METRICS_TOKEN: TOKEN });
    for (const authorization of [undefined, 'Bearer wrong-token-wrong-token', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`, 'Bearer ']) {
      const req = request(server).get('/metrics').set('x-request-id', 'req-metrics');
      if (authorization !== undefined) req.set('authorization', authorization);
      const res = await req.expect(401);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect(res.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'A valid metrics token is required',
        code: 'unauthorized',
        requestId: 'req-metrics',
      });
      expect(res.text).not.toContain('http_request_duration_seconds');
    }
    const ok = await request(server).get('/metrics').set('authorization', `Bearer ${TOKEN}`).expect(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain/);
    expect(ok.text).toContain('service="exposure-probe"');
    // The probes stay open: an orchestrator has no token.
    await request(server).get('/health/live').expect(200);
  });

  it('METRICS_TOKEN unset: /metrics stays public, as before', async () => {
    const server = await start({});
    const res = await request(server).get('/metrics').expect(200);
    expect(res.text).toContain('http_request_duration_seconds');
  });

  it('docs: on outside production by default; DOCS_ENABLED=false turns them off; production only when enabled', async () => {
    const development = await start({});
    expect((await request(development).get('/docs/openapi.json').expect(200)).body.info.title).toBe('exposure probe');
    await request(development).get('/docs').expect(200);

    for (const env of [{ DOCS_ENABLED: 'false' }, { NODE_ENV: 'production' }] as Record<string, string>[]) {
      const off = await start(env);
      for (const path of ['/docs', '/docs/openapi.json']) {
        const res = await request(off).get(path).expect(404);
        expect(res.body).toMatchObject({ statusCode: 404, code: 'not_found' });
      }
    }
    const enabledInProduction = await start({ NODE_ENV: 'production', DOCS_ENABLED: 'true' });
    await request(enabledInProduction).get('/docs/openapi.json').expect(200);
  });

  it('policy and token comparison, as units', () => {
    expect(docsEnabled({ NODE_ENV: 'development' })).toBe(true);
    expect(docsEnabled({ NODE_ENV: 'test' })).toBe(true);
    expect(docsEnabled({ NODE_ENV: 'production' })).toBe(false);
    expect(docsEnabled({ NODE_ENV: 'production', DOCS_ENABLED: true })).toBe(true);
    expect(docsEnabled({ NODE_ENV: 'development', DOCS_ENABLED: false })).toBe(false);
    expect(metricsTokenMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(metricsTokenMatches(`bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(metricsTokenMatches(`Bearer ${TOKEN.slice(1)}`, TOKEN)).toBe(false);
    expect(metricsTokenMatches(undefined, TOKEN)).toBe(false);
    const env = { MONGODB_URI: 'mongodb://x/' };
    expect(() => loadConfig(baseConfigSchema, { ...env, METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 16 characters/);
    expect(() => loadConfig(baseConfigSchema, { ...env, METRICS_TOKEN: 'has a space in it, sixteen+' })).toThrow(
      /METRICS_TOKEN must be printable/,
    );
    expect(() => loadConfig(baseConfigSchema, { ...env, DOCS_ENABLED: 'maybe' })).toThrow(/DOCS_ENABLED must be true or false/);
  });
});
