import type { INestApplication } from '@nestjs/common';
import { dropTestDatabase, startAuthApi, testDatabase, testEnv, type AuthApiHandle, type RegisteredUser } from '@directory/testing';
import { ModelName, type SecondFactorType } from '@directory/schemas';
import request from 'supertest';
import { startAnalyticsApp } from './support/analytics-app';

const DAY = 86_400_000;
const midnight = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
const day = (offset: number) => new Date(midnight + offset * DAY).toISOString().slice(0, 10);
/** The window under test starts 14 days ago; the default one (28 days before tomorrow) 27 days ago. */
const FROM = day(-14);
const ago = (days: number) => new Date(Date.now() - days * DAY);

interface Person {
  status: string;
  lastLoginAt?: Date;
  secondFactors?: SecondFactorType[];
}

/**
 * Counted by hand. Since FROM: A B C D E F G are active (7); TOTP: A B D; passkey: B C;
 * recovery codes: A B G; any second factor (TOTP or passkey): A B C D. H signed in just before
 * FROM (inside the default window); the rest never count.
 */
const PEOPLE: Record<string, Person> = {
  A: { status: 'active', lastLoginAt: ago(1), secondFactors: ['recovery_code', 'totp'] },
  B: { status: 'active', lastLoginAt: new Date(`${FROM}T00:00:00.000Z`), secondFactors: ['recovery_code', 'totp', 'webauthn'] },
  C: { status: 'active', lastLoginAt: ago(2), secondFactors: ['webauthn'] },
  D: { status: 'active', lastLoginAt: ago(3), secondFactors: ['totp'] },
  E: { status: 'active', lastLoginAt: ago(1), secondFactors: [] },
  F: { status: 'active', lastLoginAt: ago(1) },
  G: { status: 'active', lastLoginAt: ago(1), secondFactors: ['recovery_code'] },
  H: { status: 'active', lastLoginAt: new Date(Date.parse(`${FROM}T00:00:00.000Z`) - 1), secondFactors: ['totp'] },
  suspended: { status: 'suspended', lastLoginAt: ago(1), secondFactors: ['recovery_code', 'totp'] },
  invited: { status: 'invited' },
  invitedAgain: { status: 'invited', secondFactors: [] },
  deleted: { status: 'deleted', lastLoginAt: ago(1), secondFactors: ['webauthn'] },
  neverSignedIn: { status: 'active', secondFactors: ['webauthn'] },
};

const row = (factor: string, users: number, active: number) => ({ factor, users, share: active > 0 ? users / active : null });

describe('GET /analytics/mfa-adoption: second factors among active users, from the users collection', () => {
  const { dbName } = testDatabase();
  let auth: AuthApiHandle;
  let app: INestApplication;
  let admin: RegisteredUser;
  let member: RegisteredUser;

  beforeAll(async () => {
    auth = await startAuthApi(testEnv(dbName));
    app = await startAnalyticsApp(dbName, auth, { ANALYTICS_MAX_RANGE_DAYS: '366' });
    admin = await auth.registerAdmin();
    member = await auth.register();
    const users = auth.connection.model(ModelName.User);
    // The two test accounts signed in today; move their last sign-in out of every window below.
    for (const account of [admin, member]) {
      await users.updateOne({ _id: account.id }, { $set: { lastLoginAt: new Date('2020-01-01T00:00:00Z') } });
    }
    for (const [key, person] of Object.entries(PEOPLE)) {
      await users.create({ email: `mfa-${key.toLowerCase()}@example.com`, name: { first: 'Mfa', last: key }, ...person });
    }
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    const connection = auth?.connection;
    if (connection?.readyState === 1) await dropTestDatabase(connection, dbName);
    await auth?.close();
  });

  const get = (path: string, token = admin.accessToken) => request(app.getHttpServer()).get(path).set('Authorization', `Bearer ${token}`);
  const ok = async (path: string) => (await get(path).expect(200)).body;

  it('since FROM: active users, each factor type, any second factor and recovery codes, with shares', async () => {
    const body = await ok(`/analytics/mfa-adoption?from=${FROM}`);
    expect(body).toMatchObject({ from: FROM, activeUsers: 7 });
    expect(Date.parse(body.generatedAt)).not.toBeNaN();
    expect(body.rows).toEqual([row('totp', 3, 7), row('webauthn', 2, 7), row('recovery_code', 3, 7), row('any', 4, 7)]);
    expect(body.rows[3].share).toBeCloseTo(4 / 7, 12);
  });

  it('without from: the dashboard default (28 days before tomorrow), which reaches H', async () => {
    const body = await ok('/analytics/mfa-adoption');
    expect(body).toMatchObject({ from: day(-27), activeUsers: 8 });
    expect(body.rows).toEqual([row('totp', 4, 8), row('webauthn', 2, 8), row('recovery_code', 3, 8), row('any', 5, 8)]);
  });

  it('a window that starts tomorrow: nobody active yet, zero counts and null shares', async () => {
    const body = await ok(`/analytics/mfa-adoption?from=${day(1)}`);
    expect(body).toMatchObject({ from: day(1), activeUsers: 0 });
    expect(body.rows).toEqual(['totp', 'webauthn', 'recovery_code', 'any'].map((factor) => row(factor, 0, 0)));
  });

  it('text/csv: one row per factor', async () => {
    const res = await get(`/analytics/mfa-adoption?from=${FROM}`).set('Accept', 'text/csv').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toBe('factor,users,share');
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 2).join(','))).toEqual([
      'totp,3',
      'webauthn,2',
      'recovery_code,3',
      'any,4',
    ]);
  });

  it.each([
    ['/analytics/mfa-adoption?from=2027-02-29', 400, 'validation_failed'],
    ['/analytics/mfa-adoption?from=yesterday', 400, 'validation_failed'],
    ['/analytics/mfa-adoption?since=2027-01-01', 400, 'validation_failed'],
    [`/analytics/mfa-adoption?from=${day(-366)}`, 400, 'range_too_large'],
  ])('%s → %d %s', async (path, status, code) => {
    expect((await get(path).expect(status)).body.code).toBe(code);
  });

  it('the cap is the configured range: 365 days back is allowed', async () => {
    expect((await ok(`/analytics/mfa-adoption?from=${day(-365)}`)).activeUsers).toBe(8);
  });

  it('admins only: no token → 401, a member → 403', async () => {
    await request(app.getHttpServer()).get('/analytics/mfa-adoption').expect(401);
    expect((await get('/analytics/mfa-adoption', member.accessToken).expect(403)).body.code).toBe('forbidden');
  });

  it('is in the OpenAPI document: its query, answer, definition and refusals', async () => {
    const doc = (await request(app.getHttpServer()).get('/docs/openapi.json').expect(200)).body;
    const operation = doc.paths['/analytics/mfa-adoption'].get;
    expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(['from']);
    expect(operation.description).toContain('status active and signed in');
    expect(JSON.stringify(operation.responses['200'])).toContain('MfaAdoptionAnswer');
    expect(operation['x-refusals']).toEqual([expect.objectContaining({ status: 400, code: 'range_too_large' })]);
    expect(doc.components.schemas.MfaAdoptionRow.properties.factor.enum).toEqual(['totp', 'webauthn', 'recovery_code', 'any']);
    expect(Object.keys(doc.components.schemas.MfaAdoptionAnswer.properties)).toEqual(
      expect.arrayContaining(['generatedAt', 'from', 'activeUsers', 'rows']),
    );
  });
});
