import { ConnectionRole, connectionToken } from '@directory/connections';
import { CredentialsRepository, type StoredPassword } from '@directory/credentials';
import { createTestApp, dropTestDatabase, itRequiresMongo, testDatabase, testEnv } from '@directory/testing';
import type { INestApplication } from '@nestjs/common';
import { Types, type Connection } from 'mongoose';
import request from 'supertest';
import { PasswordHasher } from '../src/app/passwords/password-hasher';
import { authApiModule, HTTP_OPTIONS } from '../src/in-process';
import { startAuthTestApp, newUser, TEST_AUTH_ENV, type AuthTestApp } from './support/auth-test-app';
import { bearer } from './support/jwt';
import { expectNoSecretsIn } from './support/recording-client';

const THRESHOLD = 3;
/** Waits (without a deadline of its own: the test timeout is one) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

const LOCKOUT_ENV = { AUTH_LOCKOUT_THRESHOLD: String(THRESHOLD), AUTH_LOCKOUT_BASE_SECONDS: '60', AUTH_LOCKOUT_MAX_SECONDS: '600' };

describe('auth-api: brute-force defence', () => {
  const { dbName } = testDatabase();
  let t: AuthTestApp;

  beforeAll(async () => {
    t = await startAuthTestApp(dbName, LOCKOUT_ENV);
  });

  afterAll(() => t?.close());

  const methods = () => t.connection.collection('authenticationmethods');
  const register = async () => {
    const input = newUser();
    const { body } = await t.http.post('/auth/register').send(input).expect(201);
    return { ...input, id: body.user.id as string, accessToken: body.accessToken as string };
  };
  const attempt = (email: string, password: string) => t.http.post('/auth/login').send({ email, password });
  const failTimes = async (email: string, times: number) => {
    for (let i = 0; i < times; i++) await attempt(email, `wrong password ${i}`).expect(401);
  };

  it(`locks an account after ${THRESHOLD} consecutive failures: 429 with Retry-After, even for the right password`, async () => {
    const user = await register();
    await failTimes(user.email, THRESHOLD);

    const locked = await attempt(user.email, user.password).expect(429);
    expect(locked.headers['retry-after']).toBe('60');
    expect(locked.body).toMatchObject({ statusCode: 429, code: 'account_locked' });
    const events = await t.connection.collection('events').find({ kind: 'LoginFailed', reason: 'locked' }).toArray();
    expect(events).toHaveLength(1);

    t.clock.advance(59_000);
    expect((await attempt(user.email, user.password).expect(429)).headers['retry-after']).toBe('1');

    t.clock.advance(1_000);
    await attempt(user.email, user.password).expect(200);
  });

  it('unlocks after the window and resets the counter on success', async () => {
    const user = await register();
    await failTimes(user.email, THRESHOLD);
    await attempt(user.email, user.password).expect(429);
    t.clock.advance(60_001);
    await attempt(user.email, user.password).expect(200);
    expect(await methods().findOne({ userId: new Types.ObjectId(user.id) })).toMatchObject({ failedAttempts: 0, lockedUntil: null });
    // A fresh start: the next failures count from zero again.
    await failTimes(user.email, THRESHOLD - 1);
    await attempt(user.email, user.password).expect(200);
  });

  it('backs off more with each failure after a lock expires, up to the maximum', async () => {
    const user = await register();
    await failTimes(user.email, THRESHOLD);
    const retryAfters: string[] = [];
    for (let round = 0; round < 5; round++) {
      const locked = await attempt(user.email, 'still guessing').expect(429);
      retryAfters.push(locked.headers['retry-after']);
      t.clock.advance(Number(locked.headers['retry-after']) * 1000);
      await attempt(user.email, 'still guessing').expect(401); // one more guess after the window...
    }
    expect(retryAfters).toEqual(['60', '120', '240', '480', '600']); // ...doubles the next lock
  });

  it('counts wrong current passwords on POST /auth/password towards the same lock', async () => {
    const user = await register();
    for (let i = 0; i < THRESHOLD; i++) {
      await t.http
        .post('/auth/password')
        .set(...bearer(user.accessToken))
        .send({ currentPassword: `guess ${i}`, newPassword: 'a fine new passphrase' })
        .expect(403);
    }
    const locked = await t.http
      .post('/auth/password')
      .set(...bearer(user.accessToken))
      .send({ currentPassword: user.password, newPassword: 'a fine new passphrase' })
      .expect(429);
    expect(locked.headers['retry-after']).toBe('60');
    await attempt(user.email, user.password).expect(429);
  });

  it(`guesses in flight count too: while ${THRESHOLD} are being verified, the next is refused without a verification`, async () => {
    // Without counting an attempt before verifying it, a burst of parallel guesses would all
    // read "not locked" and each get a full verification: the lock would cap nothing.
    const user = await register();
    const hasher = t.app.get(PasswordHasher);
    const realVerify = hasher.verify.bind(hasher);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const verify = jest.spyOn(hasher, 'verify').mockImplementation(async (hash, password) => {
      await gate;
      return realVerify(hash, password);
    });
    try {
      const inFlight: Array<Promise<number>> = [];
      for (let i = 0; i < THRESHOLD; i++) {
        inFlight.push(attempt(user.email, `parallel guess ${i}`).then((res) => res.status));
        await until(() => verify.mock.calls.length === i + 1); // this guess holds a verification slot now
      }
      const refused = await attempt(user.email, user.password).expect(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(verify).toHaveBeenCalledTimes(THRESHOLD);
      release();
      expect(await Promise.all(inFlight)).toEqual(Array(THRESHOLD).fill(401));
    } finally {
      release();
      verify.mockRestore();
    }
    expect(await methods().findOne({ userId: new Types.ObjectId(user.id) })).toMatchObject({ failedAttempts: THRESHOLD });
  });

  it('a lost compare-and-set (another attempt changed the counter meanwhile) reads again and counts once', async () => {
    // Deterministic stand-in for two attempts racing: this one read the counter before the
    // other one moved it, so its conditional update matches nothing and it must re-read.
    const user = await register();
    await failTimes(user.email, 1);
    const credentials = t.app.get(CredentialsRepository, { strict: false });
    const id = new Types.ObjectId(user.id);
    const stale = (await credentials.findPassword(id)) as StoredPassword;
    await failTimes(user.email, 1); // the "other" attempt: the counter is now 2
    const staleRead = jest.spyOn(credentials, 'findPassword').mockResolvedValueOnce(stale);
    try {
      await attempt(user.email, 'the racing guess').expect(401);
    } finally {
      staleRead.mockRestore();
    }
    expect(await methods().findOne({ userId: id })).toMatchObject({ failedAttempts: THRESHOLD, lockedUntil: expect.any(Date) });
    await attempt(user.email, user.password).expect(429);
  });

  itRequiresMongo(
    'a burst of concurrent wrong guesses gets at most the threshold of verifications; the rest are 429',
    'FerretDB v1 does not apply conditional updates atomically, so two attempts may claim one slot',
    async () => {
      const user = await register();
      const hasher = t.app.get(PasswordHasher);
      const verify = jest.spyOn(hasher, 'verify');
      try {
        const statuses = (await Promise.all(Array.from({ length: 12 }, (_, i) => attempt(user.email, `burst ${i}`)))).map(
          (res) => res.status,
        );
        expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(THRESHOLD);
        expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
        expect(verify.mock.calls.length).toBeLessThanOrEqual(THRESHOLD);
      } finally {
        verify.mockRestore();
      }
    },
  );

  it('keeps the lock in MongoDB, so another replica refuses the account too', async () => {
    const user = await register();
    await failTimes(user.email, THRESHOLD);
    const replica = await createTestApp(
      authApiModule(testEnv(dbName, { ...TEST_AUTH_ENV, ...LOCKOUT_ENV }), { clock: t.clock }),
      HTTP_OPTIONS,
    );
    try {
      const res = await request(replica.getHttpServer()).post('/auth/login').send({ email: user.email, password: user.password });
      expect(res.status).toBe(429);
    } finally {
      await replica.close();
    }
  });

  it('an unknown email never locks and always answers 401', async () => {
    await failTimes('nobody-locked@example.com', THRESHOLD + 2);
  });

  it('no response body contained a password hash, "secret" or a stored refresh-token hash', async () => {
    await expectNoSecretsIn(t.http.bodies, t.connection);
  });
});

describe('auth-api: per-IP throttling', () => {
  const { dbName } = testDatabase();
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp(authApiModule(testEnv(dbName, { AUTH_THROTTLE_LIMIT: '3', AUTH_THROTTLE_TTL_SECONDS: '60' })), HTTP_OPTIONS);
  });

  afterAll(async () => {
    await dropTestDatabase(app.get<Connection>(connectionToken(ConnectionRole.Fast)), dbName);
    await app?.close();
  });

  it('answers 429 with Retry-After once an address exceeds the limit on login, register and refresh', async () => {
    const server = app.getHttpServer();
    for (const [path, body] of [
      ['/auth/login', { email: 'throttled@example.com', password: 'whatever it is' }],
      ['/auth/register', { email: 'throttled@example.com' }],
      ['/auth/refresh', { refreshToken: 'A'.repeat(43) }],
    ] as const) {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await request(server).post(path).send(body)).status);
      expect(statuses.slice(0, 3)).not.toContain(429);
      const limited = await request(server).post(path).send(body).expect(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.body).toMatchObject({ statusCode: 429, requestId: expect.any(String) });
      expect(statuses[3]).toBe(429);
    }
  });
});
