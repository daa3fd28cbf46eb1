import { testDatabase } from '@directory/testing';
import { Types } from 'mongoose';
import { totpCode } from '../src/app/factors/totp';
import { startAuthTestApp, newUser, type AuthTestApp } from './support/auth-test-app';
import { bearer, decodeJwt } from './support/jwt';

const STEP_MS = 30_000;

/**
 * AUTH_REQUIRE_MFA_FOR_ADMINS on auth-api's own admin routes: an admin who signed in with the
 * password alone is refused (403 mfa_required) but can still enrol a factor (member routes);
 * signed in again with the factor, the admin gets in. Off, nothing changes.
 */
describe('auth-api: AUTH_REQUIRE_MFA_FOR_ADMINS', () => {
  const { dbName } = testDatabase();
  let t: AuthTestApp;

  beforeAll(async () => {
    t = await startAuthTestApp(dbName, { AUTH_REQUIRE_MFA_FOR_ADMINS: 'true' });
  });

  afterAll(() => t?.close());

  const login = (email: string, password: string) => t.http.post('/auth/login').send({ email, password });
  const adminFactors = (access: string, userId: string) => t.http.get(`/auth/admin/users/${userId}/factors`).set(...bearer(access));

  /** A registered admin, signed in with the password (no factor yet). */
  async function admin() {
    const input = newUser();
    const res = await t.http.post('/auth/register').send(input).expect(201);
    const id = res.body.user.id as string;
    await t.connection.collection('users').updateOne({ _id: new Types.ObjectId(id) }, { $set: { roles: ['member', 'admin'] } });
    const signedIn = await login(input.email, input.password).expect(200);
    return { id, email: input.email, password: input.password, access: signedIn.body.accessToken as string };
  }

  it('a password-only admin token: 403 mfa_required on an admin route, telling how to enrol; member routes answer', async () => {
    const boss = await admin();
    expect(decodeJwt(boss.access).payload['amr']).toEqual(['pwd']);
    const refused = await adminFactors(boss.access, boss.id).expect(403);
    expect(refused.body.code).toBe('mfa_required');
    expect(refused.body.message).toContain('POST /auth/factors/totp');
    // The same token still works where the admin role is not what lets it in.
    await t.http
      .get('/auth/factors')
      .set(...bearer(boss.access))
      .expect(200);
  });

  it('the admin enrols TOTP with that token, signs in with password + code, and the admin route answers 200', async () => {
    const boss = await admin();
    const enrolment = await t.http
      .post('/auth/factors/totp')
      .set(...bearer(boss.access))
      .send({ name: 'phone' })
      .expect(201);
    const secret = new URL(enrolment.body.otpauthUri as string).searchParams.get('secret') as string;
    await t.http
      .post(`/auth/factors/totp/${enrolment.body.factorId}/confirm`)
      .set(...bearer(boss.access))
      .send({ code: await totpCode(secret, t.clock.now()) })
      .expect(204);
    // The enrolling session signed in with the password alone: still refused on admin routes.
    expect((await adminFactors(boss.access, boss.id).expect(403)).body.code).toBe('mfa_required');

    t.clock.advance(STEP_MS);
    const first = await login(boss.email, boss.password).expect(200);
    expect(first.body).toMatchObject({ mfaRequired: true });
    const pair = await t.http
      .post('/auth/mfa/verify')
      .send({ challenge: first.body.challenge, totp: await totpCode(secret, t.clock.now()) })
      .expect(200);
    expect(decodeJwt(pair.body.accessToken).payload['amr']).toEqual(expect.arrayContaining(['otp', 'mfa']));
    const listed = await adminFactors(pair.body.accessToken, boss.id).expect(200);
    expect(listed.body.factors).toEqual([expect.objectContaining({ type: 'totp', status: 'active' })]);

    // A refreshed token keeps the session's amr, so it keeps the admin in.
    const refreshed = await t.http.post('/auth/refresh').send({ refreshToken: pair.body.refreshToken }).expect(200);
    await adminFactors(refreshed.body.accessToken, boss.id).expect(200);

    // Or, without signing in again, a step-up in the enrolling session lets that session in too.
    t.clock.advance(STEP_MS);
    const stepped = await t.http
      .post('/auth/mfa/step-up')
      .set(...bearer(boss.access))
      .send({ totp: await totpCode(secret, t.clock.now()) })
      .expect(200);
    await adminFactors(stepped.body.accessToken, boss.id).expect(200);
  });

  it('a member is refused for the role (403 forbidden), not asked for a factor', async () => {
    const input = newUser();
    const res = await t.http.post('/auth/register').send(input).expect(201);
    const refused = await adminFactors(res.body.accessToken, res.body.user.id).expect(403);
    expect(refused.body.code).toBe('forbidden');
  });

  // Off (the test default) is every other admin test: factors.e2e's admin signs in with the password alone.
});
