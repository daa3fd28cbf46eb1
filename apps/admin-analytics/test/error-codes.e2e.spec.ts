import type { INestApplication } from '@nestjs/common';
import { ConnectionRole, connectionToken } from '@directory/connections';
import { dropTestDatabase, startAuthApi, testDatabase, testEnv, type AuthApiHandle, type RegisteredUser } from '@directory/testing';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { startAnalyticsApp } from './support/analytics-app';

/** Every error admin-analytics answers carries a machine-readable `code`, its validation 400s included. */
describe('admin-analytics: every error body carries a code', () => {
  const { dbName } = testDatabase();
  let auth: AuthApiHandle;
  let app: INestApplication;
  let admin: RegisteredUser;

  beforeAll(async () => {
    auth = await startAuthApi(testEnv(dbName));
    app = await startAnalyticsApp(dbName, auth, { ANALYTICS_MAX_RANGE_DAYS: '366' });
    admin = await auth.registerAdmin();
  });

  afterAll(async () => {
    // This app's own connection, so the clean-up does not depend on how auth-api is started.
    const connection = app?.get<Connection>(connectionToken(ConnectionRole.Slow));
    if (connection?.readyState === 1) await dropTestDatabase(connection, dbName);
    await app?.close();
    await auth?.close();
  });

  const server = () => app.getHttpServer();
  const get = (path: string) => request(server()).get(path).set('Authorization', `Bearer ${admin.accessToken}`);

  /** A snake_case code and the usual envelope; never a stack. */
  function expectCoded(body: Record<string, unknown>, status: number, code: string): void {
    expect(body).toMatchObject({ statusCode: status, code, requestId: expect.any(String) });
    expect(body['code']).toMatch(/^[a-z0-9_]+$/);
    expect(JSON.stringify(body)).not.toMatch(/\bat .+\.(js|ts):\d+/);
  }

  describe('bad queries → 400 with a code', () => {
    it.each([
      ['/analytics/signups?interval=year', 'validation_failed', /interval must be one of/],
      ['/analytics/active-users?interval=hour', 'validation_failed', /interval must be one of/],
      ['/analytics/breakdown?by=favouriteColour', 'validation_failed', /by must be one of/],
      ['/analytics/breakdown', 'validation_failed', /by must be one of/],
      ['/analytics/breakdown?by=role&limit=0', 'validation_failed', /limit/],
      ['/analytics/cohorts?weeks=-1', 'validation_failed', /weeks/],
      ['/analytics/signups?from=2027-02-29&to=2027-03-05', 'validation_failed', /calendar date/],
      ['/analytics/signups?from=yesterday', 'validation_failed', /calendar date/],
      ['/analytics/signups?from=2027-01-01&to=2027-01-05&extra=1', 'validation_failed', /extra should not exist/],
      ['/analytics/signups?from=2027-01-06&to=2027-01-05', 'invalid_range', /from must be before to/],
      ['/analytics/signups?from=2027-01-05&to=2027-01-05', 'invalid_range', /from must be before to/],
      ['/analytics/logins?from=2026-01-01&to=2027-06-01', 'range_too_large', /at most 366/],
      ['/analytics/cohorts?from=2027-01-01&weeks=60', 'range_too_large', /at most 366/],
    ])('%s → %s', async (path, code, message) => {
      const res = await get(path).expect(400);
      expectCoded(res.body, 400, code);
      expect(res.body.error).toBe('Bad Request');
      expect(JSON.stringify(res.body.message)).toMatch(message);
    });

    it('a CSV request gets the same JSON error', async () => {
      const res = await get('/analytics/signups?interval=year').set('Accept', 'text/csv').expect(400);
      expectCoded(res.body, 400, 'validation_failed');
    });
  });

  it('no token → 401 invalid_token; a member → 403 forbidden', async () => {
    expectCoded((await request(server()).get('/analytics/signups').expect(401)).body, 401, 'invalid_token');
    const member = await auth.register();
    const res = await request(server()).get('/analytics/signups').set('Authorization', `Bearer ${member.accessToken}`).expect(403);
    expectCoded(res.body, 403, 'forbidden');
  });

  describe('errors Nest and body-parser raise without a code get one by status', () => {
    it('unknown route → 404 not_found', async () => {
      expectCoded((await get('/analytics/nope').expect(404)).body, 404, 'not_found');
      expectCoded((await request(server()).get('/nowhere').expect(404)).body, 404, 'not_found');
    });

    it('unknown dashboard asset → 404 not_found', async () => {
      expectCoded((await request(server()).get('/dashboard/assets/nope.js').expect(404)).body, 404, 'not_found');
    });

    const login = () => request(server()).post('/dashboard/api/login');

    it('malformed JSON → 400 malformed_json, without echoing the body', async () => {
      const res = await login().set('Content-Type', 'application/json').send('{"email": s3cret-input}').expect(400);
      expectCoded(res.body, 400, 'malformed_json');
      expect(res.body.message).toBe('Malformed JSON body');
      expect(JSON.stringify(res.body)).not.toContain('s3cret');
    });

    it('JSON nested too deep → 400 json_too_deep', async () => {
      const res = await login()
        .set('Content-Type', 'application/json')
        .send(`{"email":${'['.repeat(100)}${']'.repeat(100)}}`)
        .expect(400);
      expectCoded(res.body, 400, 'json_too_deep');
    });

    it('a body over the limit → 413 payload_too_large', async () => {
      const res = await login()
        .send({ email: 'a@b.c', password: 'x'.repeat(200_000) })
        .expect(413);
      expectCoded(res.body, 413, 'payload_too_large');
    });

    it('a charset body-parser cannot read → 415 unsupported_media_type', async () => {
      const res = await login().set('Content-Type', 'application/json; charset=ebcdic').send('{}').expect(415);
      expectCoded(res.body, 415, 'unsupported_media_type');
    });

    it('a sign-in body failing its DTO → 400 validation_failed', async () => {
      expectCoded((await login().send({ email: 'not an email' }).expect(400)).body, 400, 'validation_failed');
    });
  });
});
