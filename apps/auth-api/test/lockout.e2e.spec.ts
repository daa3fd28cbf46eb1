import { ConnectionRole, connectionToken } from '@directory/connections';
import { createTestApp, dropTestDatabase, testDatabase, testEnv } from '@directory/testing';
import type { INestApplication } from '@nestjs/common';
import { Types, type Connection } from 'mongoose';
import request from 'supertest';
import type { Response } from 'supertest';
import { LoginLedger } from '../src/app/lockout/login-ledger';
import { PasswordHasher } from '../src/app/passwords/password-hasher';
import { authApiModule, HTTP_OPTIONS } from '../src/in-process';
import { startAuthTestApp, newUser, TEST_AUTH_ENV, type AuthTestApp } from './support/auth-test-app';
import { bearer } from './support/jwt';
import { expectNoSecretsIn } from './support/recording-client';

/** Failures per (email, address) pair, and per email from all addresses, within the window. */
const THRESHOLD = 3;
const ACCOUNT_THRESHOLD = 6;
const WINDOW_SECONDS = 60;

/** Waits (without a deadline of its own: the test timeout is one) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

const LOCKOUT_ENV = {
  AUTH_LOCKOUT_THRESHOLD: String(THRESHOLD),
  AUTH_LOCKOUT_ACCOUNT_THRESHOLD: String(ACCOUNT_THRESHOLD),
  AUTH_LOCKOUT_WINDOW_SECONDS: String(WINDOW_SECONDS),
  // Out of the way here (every test's requests come from 127.0.0.1); its own suite below.
  AUTH_LOGIN_FAILURES_PER_IP: '1000000',
  // supertest connects from loopback: X-Forwarded-For then chooses the source address.
  TRUST_PROXY: 'loopback',
};

/** What a response shows apart from its request id and date: status, body and header names and values that matter. */
function shape(res: Response): Record<string, unknown> {
  const body = { ...(res.body as Record<string, unknown>) };
  delete body['requestId'];
  const headers = Object.keys(res.headers)
    .filter((name) => !['date', 'x-request-id', 'etag'].includes(name))
    .sort();
  return {
    status: res.status,
    body,
    headers,
    contentType: res.headers['content-type'],
    retryAfter: res.headers['retry-after'],
    contentLength: res.headers['content-length'],
  };
}

describe('auth-api: brute-force defence (failure ledger)', () => {
  const { dbName } = testDatabase();
  let t: AuthTestApp;

  beforeAll(async () => {
    t = await startAuthTestApp(dbName, LOCKOUT_ENV);
  });

  afterAll(() => t?.close());

  const failures = () => t.connection.collection('loginfailures');
  const register = async () => {
    const input = newUser();
    const { body } = await t.http.post('/auth/register').send(input).expect(201);
    return { ...input, id: body.user.id as string, accessToken: body.accessToken as string };
  };
  const attempt = (email: string, password: string, from?: string) => {
    const test = t.http.post('/auth/login');
    if (from) test.set('X-Forwarded-For', from);
    return test.send({ email, password });
  };
  const failTimes = async (email: string, times: number, from?: string) => {
    for (let i = 0; i < times; i++) await attempt(email, `wrong password ${i}`, from).expect(401);
  };
  const makeAdmin = async () => {
    const admin = await register();
    await t.connection.collection('users').updateOne({ _id: new Types.ObjectId(admin.id) }, { $set: { roles: ['member', 'admin'] } });
    const { body } = await attempt(admin.email, admin.password, '192.0.2.250').expect(200);
    return body.accessToken as string;
  };

  // ASVS 5.0 V6.3.1 (brute force), V6.3.8 (no enumeration): one 429 body for every lock.
  it(`locks an (email, address) pair after ${THRESHOLD} failures: 429 rate_limited with Retry-After, even for the right password; the lock decays`, async () => {
    const user = await register();
    await failTimes(user.email, THRESHOLD);

    const locked = await attempt(user.email, user.password).expect(429);
    expect(locked.headers['retry-after']).toBe(String(WINDOW_SECONDS));
    expect(locked.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'Too many attempts; try again later',
      code: 'rate_limited',
      requestId: expect.any(String),
    });
    const events = await t.connection.collection('events').find({ kind: 'LoginFailed', reason: 'locked' }).toArray();
    expect(events).toHaveLength(1);

    t.clock.advance((WINDOW_SECONDS - 1) * 1000);
    expect((await attempt(user.email, user.password).expect(429)).headers['retry-after']).toBe('1');

    t.clock.advance(1_000); // the failures leave the window: the lock is gone, nobody had to reset it
    await attempt(user.email, user.password).expect(200);
  });

  it('a correct (or wrong) password during a lock still gets the same 429 but does not extend it (ASVS 5.0 V6.3.1)', async () => {
    const user = await register();
    await failTimes(user.email, THRESHOLD);
    for (let second = 0; second < WINDOW_SECONDS; second += 10) {
      const right = await attempt(user.email, user.password).expect(429);
      const wrong = await attempt(user.email, 'still guessing').expect(429);
      expect(shape(right)).toEqual(shape(wrong));
      expect(right.headers['retry-after']).toBe(String(WINDOW_SECONDS - second));
      t.clock.advance(10_000);
    }
    await attempt(user.email, user.password).expect(200); // exactly one window after the failures: not a second later
  });

  it('failures decay one by one: only those inside the sliding window count', async () => {
    const user = await register();
    await failTimes(user.email, THRESHOLD - 1);
    t.clock.advance(WINDOW_SECONDS * 1000 + 1);
    await failTimes(user.email, THRESHOLD - 1); // 2 old (expired) + 2 new: below the threshold
    await attempt(user.email, user.password).expect(200);
  });

  it("a success forgets that address's failures for the email; the next failures count from zero", async () => {
    const user = await register();
    await failTimes(user.email, THRESHOLD - 1);
    await attempt(user.email, user.password).expect(200);
    await failTimes(user.email, THRESHOLD - 1);
    await attempt(user.email, user.password).expect(200);
  });

  it(`sustained guessing from one address gets at most ${THRESHOLD} verifications per window, however it times its requests`, async () => {
    // Replaces the old doubling backoff: the bound is now a rate (threshold per window per
    // (email, address); ACCOUNT_THRESHOLD per window for the email from everywhere).
    const user = await register();
    const verify = jest.spyOn(t.app.get(PasswordHasher), 'verify');
    try {
      const statuses: number[] = [];
      const windows = 4;
      const end = t.clock.now().getTime() + windows * WINDOW_SECONDS * 1000;
      while (t.clock.now().getTime() < end) {
        const res = await attempt(user.email, 'guess', '198.51.100.7');
        statuses.push(res.status);
        // The most an attacker can do: come back exactly when Retry-After says.
        t.clock.advance(res.status === 429 ? Number(res.headers['retry-after']) * 1000 : 1_000);
      }
      expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(THRESHOLD * (windows + 1));
      expect(verify.mock.calls.length).toBe(statuses.filter((s) => s === 401).length);
    } finally {
      verify.mockRestore();
    }
  });

  it("a one-request-per-expiry attacker from another address never locks the victim out of the victim's own address (ASVS 5.0 V6.3.1)", async () => {
    const victim = await register();
    const attacker = '203.0.113.66';
    const home = '192.0.2.10';
    let attackerLocked = 0;
    for (let round = 0; round < 6; round++) {
      // The attacker uses every guess it gets and comes back the moment Retry-After says.
      let res = await attempt(victim.email, `guess ${round}`, attacker);
      while (res.status === 401) res = await attempt(victim.email, `guess ${round}+`, attacker);
      expect(res.status).toBe(429);
      attackerLocked++;
      // The victim, meanwhile, mistypes once and then gets in from home.
      await attempt(victim.email, 'typo', home).expect(401);
      await attempt(victim.email, victim.password, home).expect(200);
      t.clock.advance(Number(res.headers['retry-after']) * 1000);
    }
    expect(attackerLocked).toBe(6);
  });

  it(`the email itself locks after ${ACCOUNT_THRESHOLD} failures from all addresses; an admin unlock ends it at once`, async () => {
    const admin = await makeAdmin();
    const victim = await register();
    for (let source = 0; source < ACCOUNT_THRESHOLD / THRESHOLD; source++)
      await failTimes(victim.email, THRESHOLD, `203.0.113.${source + 1}`);
    // Distributed guessing: the email is locked from everywhere, the owner's address included (documented trade-off).
    await attempt(victim.email, victim.password, '192.0.2.11').expect(429);

    await t.http.post(`/auth/admin/users/${victim.id}/unlock`).expect(401);
    await t.http
      .post(`/auth/admin/users/${victim.id}/unlock`)
      .set(...bearer(victim.accessToken))
      .expect(403);
    await t.http
      .post(`/auth/admin/users/${new Types.ObjectId().toHexString()}/unlock`)
      .set(...bearer(admin))
      .expect(404);
    await t.http
      .post('/auth/admin/users/not-an-id/unlock')
      .set(...bearer(admin))
      .expect(404);
    await t.http
      .post(`/auth/admin/users/${victim.id}/unlock`)
      .set(...bearer(admin))
      .expect(204);
    await attempt(victim.email, victim.password, '192.0.2.11').expect(200);
  });

  it('wrong current passwords on POST /auth/password are counted too: they lock password changes, not the owner\u2019s logins', async () => {
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
    expect(locked.headers['retry-after']).toBe(String(WINDOW_SECONDS));
    expect(locked.body).toMatchObject({ code: 'rate_limited' });
    // A stolen access token cannot lock the owner out of logging in from their own address...
    await attempt(user.email, user.password).expect(200);
    // ...but its guesses count towards the email's own (higher) threshold.
    expect(await failures().countDocuments({ account: t.app.get(LoginLedger).accountKey(user.email) })).toBe(THRESHOLD);
  });

  it(`guesses in flight count too: while ${THRESHOLD} are being verified, the next is refused without a verification`, async () => {
    // The attempt is written to the ledger before the password is verified: a burst of
    // parallel guesses cannot all read "not locked" and each get a full verification.
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
        inFlight.push(attempt(user.email, `parallel guess ${i}`, '198.51.100.20').then((res) => res.status));
        await until(() => verify.mock.calls.length === i + 1); // this guess holds a verification slot now
      }
      const refused = await attempt(user.email, user.password, '198.51.100.20').expect(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(verify).toHaveBeenCalledTimes(THRESHOLD);
      release();
      expect(await Promise.all(inFlight)).toEqual(Array(THRESHOLD).fill(401));
    } finally {
      release();
      verify.mockRestore();
    }
  });

  it('a refused attempt leaves nothing in the ledger (so it cannot extend a lock)', async () => {
    const user = await register();
    await failTimes(user.email, THRESHOLD, '198.51.100.30');
    const before = await failures().countDocuments({});
    for (let i = 0; i < 5; i++) await attempt(user.email, user.password, '198.51.100.30').expect(429);
    expect(await failures().countDocuments({})).toBe(before);
  });

  it('a burst of concurrent wrong guesses gets at most the threshold of verifications; the rest are 429', async () => {
    // Insert-then-count needs no conditional update, so this holds on FerretDB v1 as on MongoDB.
    const user = await register();
    const verify = jest.spyOn(t.app.get(PasswordHasher), 'verify');
    try {
      const statuses = (await Promise.all(Array.from({ length: 12 }, (_, i) => attempt(user.email, `burst ${i}`, '198.51.100.40')))).map(
        (res) => res.status,
      );
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(THRESHOLD);
      expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
      expect(verify.mock.calls.length).toBeLessThanOrEqual(THRESHOLD);
    } finally {
      verify.mockRestore();
    }
  });

  it('keeps the ledger in MongoDB, so another replica refuses the email too', async () => {
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

  // ASVS 5.0 V6.3.8: the same answers whether or not an account exists, for wrong passwords and for locks.
  it('an unknown email gets exactly what a known one gets: the same 401s, the same lock, the same 429', async () => {
    const known = await register();
    const unknown = `nobody-${Date.now()}@example.com`;
    const knownAnswers: Response[] = [];
    const unknownAnswers: Response[] = [];
    for (let i = 0; i <= THRESHOLD + 1; i++) {
      knownAnswers.push(await attempt(known.email, `wrong ${i}`, '198.51.100.50'));
      unknownAnswers.push(await attempt(unknown, `wrong ${i}`, '198.51.100.50'));
    }
    expect(knownAnswers.map((res) => res.status)).toEqual([401, 401, 401, 429, 429]);
    expect(unknownAnswers.map(shape)).toEqual(knownAnswers.map(shape));
    // No user id, no email in clear: the ledger holds only keyed hashes.
    const rows = await failures().find({}).toArray();
    expect(JSON.stringify(rows)).not.toContain(unknown);
    expect(JSON.stringify(rows)).not.toContain(known.email);
  });

  it('a suspended account answers like an unknown email: 401 for the right password too, then the same lock', async () => {
    const user = await register();
    await t.connection.collection('users').updateOne({ _id: new Types.ObjectId(user.id) }, { $set: { status: 'suspended' } });
    const unknown = `nobody-suspended-${Date.now()}@example.com`;
    const suspended: Response[] = [];
    const missing: Response[] = [];
    for (let i = 0; i <= THRESHOLD; i++) {
      suspended.push(await attempt(user.email, user.password, '198.51.100.60'));
      missing.push(await attempt(unknown, user.password, '198.51.100.60'));
    }
    expect(suspended.map((res) => res.status)).toEqual([401, 401, 401, 429]);
    expect(missing.map(shape)).toEqual(suspended.map(shape));
  });

  it('no response body contained a password hash, "secret" or a stored refresh-token hash', async () => {
    await expectNoSecretsIn(t.http.bodies, t.connection);
  });
});

describe('auth-api: throttling by failures, per address (office behind one NAT address)', () => {
  const { dbName } = testDatabase();
  let t: AuthTestApp;
  const PER_IP = 100;

  beforeAll(async () => {
    // Defaults for everything else: the abuse ceiling (600/min per route) is the one in production.
    t = await startAuthTestApp(dbName, { AUTH_LOGIN_FAILURES_PER_IP: String(PER_IP), AUTH_THROTTLE_LIMIT: '600' });
  });

  afterAll(() => t?.close());

  it('300 logins of 300 different accounts from one address within a minute all succeed (ASVS 5.0 V6.3.1)', async () => {
    const users = [];
    for (let batch = 0; batch < 300; batch += 10) {
      users.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, async () => {
            const input = newUser();
            await request(t.app.getHttpServer()).post('/auth/register').send(input).expect(201);
            return input;
          }),
        )),
      );
    }
    const started = Date.now();
    const statuses: number[] = [];
    for (let batch = 0; batch < users.length; batch += 10) {
      const answers = await Promise.all(
        users
          .slice(batch, batch + 10)
          .map(({ email, password }) => request(t.app.getHttpServer()).post('/auth/login').send({ email, password })),
      );
      statuses.push(...answers.map((res) => res.status));
    }
    expect(statuses).toEqual(Array(300).fill(200));
    // Every login was one request of one address within the throttle's one-minute window.
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 600_000);

  it(`...while 300 wrong passwords from one address are refused with 429 from failure ${PER_IP + 1} on`, async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 300; i++) {
      const res = await request(t.app.getHttpServer())
        .post('/auth/login')
        .send({ email: `spray-${i}@example.com`, password: 'Winter2026!' });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.body).toMatchObject({ statusCode: 429, code: 'rate_limited' });
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    expect(statuses.indexOf(429)).toBe(PER_IP);
    expect(statuses.slice(PER_IP).every((s) => s === 429)).toBe(true);
  }, 600_000);
});

describe('auth-api: TRUST_PROXY (who may name the client address)', () => {
  const { dbName } = testDatabase();
  const apps: INestApplication[] = [];
  const start = async (env: Record<string, string>) => {
    const app = await createTestApp(
      authApiModule(testEnv(dbName, { ...TEST_AUTH_ENV, AUTH_LOGIN_FAILURES_PER_IP: '3', ...env })),
      HTTP_OPTIONS,
    );
    apps.push(app);
    // Each case starts from an empty ledger (they share this database and the loopback address).
    await app.get<Connection>(connectionToken(ConnectionRole.Fast)).collection('loginfailures').deleteMany({});
    return app;
  };
  const spray = async (app: INestApplication) => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await request(app.getHttpServer())
        .post('/auth/login')
        .set('X-Forwarded-For', `198.18.${i}.${Math.floor(Math.random() * 250) + 1}`)
        .send({ email: `proxy-${i}-${Math.random()}@example.com`, password: 'whatever it is' });
      statuses.push(res.status);
    }
    return statuses;
  };

  afterAll(async () => {
    if (apps[0]) await dropTestDatabase(apps[0].get<Connection>(connectionToken(ConnectionRole.Fast)), dbName);
    for (const app of apps) await app.close();
  });

  it('unset (the default): X-Forwarded-For is ignored, so a client cannot pick a fresh address per guess', async () => {
    expect(await spray(await start({}))).toEqual([401, 401, 401, 429, 429]);
  });

  it('a peer outside TRUST_PROXY cannot name the client either', async () => {
    expect(await spray(await start({ TRUST_PROXY: '10.20.30.40,192.0.2.0/24' }))).toEqual([401, 401, 401, 429, 429]);
  });

  it('a trusted peer (here loopback, like the dashboard forwarder under npm start) names the client address', async () => {
    expect(await spray(await start({ TRUST_PROXY: 'loopback' }))).toEqual([401, 401, 401, 401, 401]);
  });
});

describe('auth-api: abuse ceiling on register, login and refresh', () => {
  const { dbName } = testDatabase();
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp(authApiModule(testEnv(dbName, { AUTH_THROTTLE_LIMIT: '3', AUTH_THROTTLE_TTL_SECONDS: '60' })), HTTP_OPTIONS);
  });

  afterAll(async () => {
    await dropTestDatabase(app.get<Connection>(connectionToken(ConnectionRole.Fast)), dbName);
    await app?.close();
  });

  it('answers 429 rate_limited with Retry-After once an address exceeds the ceiling on login, register and refresh', async () => {
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
      expect(limited.body).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message: 'Too many attempts; try again later',
        code: 'rate_limited',
        requestId: expect.any(String),
      });
      expect(statuses[3]).toBe(429);
    }
  });
});
