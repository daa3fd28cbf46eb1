import type { INestApplication } from '@nestjs/common';
import { ConnectionRole, connectionToken } from '@directory/connections';
import { dropTestDatabase, enrolTotp, startAuthApi, testDatabase, testEnv, type AuthApiHandle } from '@directory/testing';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { startAnalyticsApp } from './support/analytics-app';

/** AUTH_REQUIRE_MFA_FOR_ADMINS in admin-analytics: the analytics API and the dashboard's sign-in. */
describe('admin-analytics: AUTH_REQUIRE_MFA_FOR_ADMINS', () => {
  const { dbName } = testDatabase();
  let auth: AuthApiHandle;
  let app: INestApplication;

  beforeAll(async () => {
    auth = await startAuthApi(testEnv(dbName, { AUTH_REQUIRE_MFA_FOR_ADMINS: 'true' }));
    app = await startAnalyticsApp(dbName, auth, { AUTH_REQUIRE_MFA_FOR_ADMINS: 'true' });
  });

  afterAll(async () => {
    const connection = app?.get<Connection>(connectionToken(ConnectionRole.Slow));
    if (connection?.readyState === 1) await dropTestDatabase(connection, dbName);
    await app?.close();
    await auth?.close();
  });

  it('password-only admin → 403 mfa_required on /analytics; with a factor, the dashboard asks for it and the token is let in', async () => {
    const admin = await auth.registerAdmin();
    const server = app.getHttpServer();
    const refused = await request(server).get('/analytics/signups').set('Authorization', `Bearer ${admin.accessToken}`).expect(403);
    expect(refused.body.code).toBe('mfa_required');
    const viaForm = await request(server).post('/dashboard/api/login').send({ email: admin.email, password: admin.password }).expect(200);
    const stillRefused = await request(server)
      .get('/analytics/signups')
      .set('Authorization', `Bearer ${viaForm.body.accessToken}`)
      .expect(403);
    expect(stillRefused.body.message).toContain('enrol');

    const authenticator = await enrolTotp(auth, admin.accessToken);
    const challenged = await request(server)
      .post('/dashboard/api/login')
      .send({ email: admin.email, password: admin.password })
      .expect(200);
    expect(challenged.body).toEqual({ mfaRequired: true, challenge: expect.any(String), methods: ['totp'], expiresIn: expect.any(Number) });
    expect(challenged.headers['cache-control']).toBe('no-store');
    const verified = await request(server)
      .post('/dashboard/api/mfa')
      .send({ challenge: challenged.body.challenge, totp: await authenticator.code() })
      .expect(200);
    expect(Object.keys(verified.body).sort()).toEqual(['accessToken', 'expiresIn']);
    await request(server).get('/analytics/signups').set('Authorization', `Bearer ${verified.body.accessToken}`).expect(200);
  });
});
