import { testDatabase } from '@directory/testing';
import * as argon2 from 'argon2';
import bcrypt from 'bcryptjs';
import { Credentials } from '../src/app/lockout/credentials.service';
import { PasswordHasher } from '../src/app/passwords/password-hasher';
import { startAuthTestApp, newUser, type AuthTestApp } from './support/auth-test-app';
import { bearer, decodeJwt } from './support/jwt';
import { expectNoSecretsIn } from './support/recording-client';

describe('auth-api: registration, login, tokens', () => {
  const { dbName } = testDatabase();
  let t: AuthTestApp;

  beforeAll(async () => {
    t = await startAuthTestApp(dbName);
  });

  afterAll(() => t?.close());

  const users = () => t.connection.collection('users');
  const methods = () => t.connection.collection('authenticationmethods');
  const events = () => t.connection.collection('events');

  it('register → login → me → refresh → logout → refresh fails', async () => {
    const input = newUser({ email: 'Ada.Flow@Example.com', department: 'Research' });
    const registered = await t.http.post('/auth/register').send(input).expect(201);
    expect(registered.body).toMatchObject({
      user: {
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        email: 'ada.flow@example.com',
        name: { first: 'Ada', last: 'Lovelace' },
        fullName: 'Ada Lovelace',
        department: 'Research',
        roles: ['member'],
        status: 'active',
      },
      accessToken: expect.any(String),
      refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiresIn: 900,
      tokenType: 'Bearer',
    });
    for (const internal of ['_id', '__v', 'searchKeys', 'sortName', 'signupWeek', 'tokensValidAfter', 'password']) {
      expect(registered.body.user).not.toHaveProperty(internal);
    }

    const login = await t.http.post('/auth/login').send({ email: 'ada.flow@example.com', password: input.password }).expect(200);
    expect(Object.keys(login.body).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken', 'tokenType']);
    const stored = await users().findOne({ email: 'ada.flow@example.com' });
    expect(stored?.['lastLoginAt']).toEqual(t.clock.now());

    const me = await t.http
      .get('/auth/me')
      .set(...bearer(login.body.accessToken))
      .expect(200);
    // The one UserView of every service (GET /users/me answers the same): a member sees no lastLoginAt.
    expect(me.body).toEqual({ ...registered.body.user, version: 0, updatedAt: expect.any(String) });
    expect(me.body).toMatchObject({ id: registered.body.user.id, email: 'ada.flow@example.com', version: 0 });
    expect(me.body).not.toHaveProperty('lastLoginAt');

    const refreshed = await t.http.post('/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(200);
    expect(refreshed.body.refreshToken).not.toBe(login.body.refreshToken);
    expect(decodeJwt(refreshed.body.accessToken).payload['sid']).toBe(decodeJwt(login.body.accessToken).payload['sid']);
    await t.http
      .get('/auth/me')
      .set(...bearer(refreshed.body.accessToken))
      .expect(200);

    await t.http.post('/auth/logout').send({ refreshToken: refreshed.body.refreshToken }).expect(204);
    const refused = await t.http.post('/auth/refresh').send({ refreshToken: refreshed.body.refreshToken }).expect(401);
    expect(refused.body).toMatchObject({ statusCode: 401, code: 'invalid_refresh_token' });
  });

  it('issues RS256 access tokens (typ at+jwt) with iss, aud, sub, roles, iat, exp, jti, amr, auth_time and a kid from the JWKS', async () => {
    const { body } = await t.http.post('/auth/register').send(newUser()).expect(201);
    const { header, payload } = decodeJwt(body.accessToken);
    expect(header).toEqual({ alg: 'RS256', typ: 'at+jwt', kid: expect.any(String) });
    expect(payload).toEqual({
      iss: 'directory-auth',
      aud: 'directory',
      sub: body.user.id,
      roles: ['member'],
      sid: expect.any(String),
      iat: Math.floor(t.clock.now().getTime() / 1000),
      exp: Math.floor(t.clock.now().getTime() / 1000) + 900,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      // RFC 8176: a password login, now (step-up reads both).
      amr: ['pwd'],
      auth_time: Math.floor(t.clock.now().getTime() / 1000),
    });

    const jwks = await t.http.get('/.well-known/jwks.json').expect(200);
    expect(jwks.headers['cache-control']).toBe('public, max-age=300');
    expect(jwks.body.keys).toEqual([{ kty: 'RSA', n: expect.any(String), e: 'AQAB', kid: header['kid'], alg: 'RS256', use: 'sig' }]);
  });

  it('refuses weak passwords: too short, too long, common, equal to the email', async () => {
    const attempt = async (password: string, email?: string) =>
      (
        await t.http
          .post('/auth/register')
          .send(newUser({ password, ...(email && { email }) }))
          .expect(400)
      ).body;
    expect(await attempt('nine char')).toMatchObject({ code: 'weak_password', message: [expect.stringMatching(/10 to 128/)] });
    expect(await attempt('x'.repeat(129))).toMatchObject({ code: 'weak_password' });
    expect(await attempt('Password123')).toMatchObject({ message: [expect.stringMatching(/too common/)] });
    expect(await attempt('qwertyuiop')).toMatchObject({ message: [expect.stringMatching(/too common/)] });
    expect(await attempt('Same.As@Example.com', 'same.as@example.com')).toMatchObject({
      message: [expect.stringMatching(/email/)],
    });
  });

  it('accepts any characters and counts characters, not UTF-16 units', async () => {
    const emoji = '🔑🌍🚀✨🎲🧩🪐🦉🍀🔥'; // 10 characters, 20 UTF-16 units
    const input = newUser({ password: emoji });
    await t.http.post('/auth/register').send(input).expect(201);
    await t.http.post('/auth/login').send({ email: input.email, password: emoji }).expect(200);
    await t.http
      .post('/auth/register')
      .send(newUser({ password: ' '.repeat(128) }))
      .expect(201);
  });

  it('refuses fields clients may not set (roles, status, derived keys)', async () => {
    for (const extra of [{ roles: ['admin'] }, { status: 'active' }, { searchKeys: ['x'] }, { signupWeek: '2020-W01' }]) {
      const res = await t.http.post('/auth/register').send(newUser(extra)).expect(400);
      expect(res.body.message.join(' ')).toMatch(/should not exist/);
    }
  });

  it('an email registered twice (any case) → 409', async () => {
    const input = newUser();
    await t.http.post('/auth/register').send(input).expect(201);
    const res = await t.http
      .post('/auth/register')
      .send({ ...input, email: input.email.toUpperCase() })
      .expect(409);
    expect(res.body).toMatchObject({ statusCode: 409, code: 'duplicate' });
    // Refused before anything is written: one verification message, for the first registration only.
    const to = input.email.toLowerCase();
    expect(await t.connection.collection('outboxmessages').countDocuments({ template: 'email-verification', to })).toBe(1);
  });

  it('20 concurrent registrations of one email → one 201, nineteen 409, one User and one AuthenticationMethod', async () => {
    const input = newUser();
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.http
          .post('/auth/register')
          .send(input)
          .then((res) => res.status),
      ),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const stored = await users().find({ email: input.email }).toArray();
    expect(stored).toHaveLength(1);
    expect(await methods().countDocuments({ userId: stored[0]._id })).toBe(1);
  });

  it('removes the user again when its password method cannot be stored (no half-registered accounts)', async () => {
    const credentials = t.app.get(Credentials, { strict: false });
    const spy = jest.spyOn(credentials, 'createPassword').mockRejectedValueOnce(new Error('write failed'));
    const input = newUser();
    try {
      const res = await t.http.post('/auth/register').send(input).expect(500);
      expect(res.body).toMatchObject({ statusCode: 500, errorId: expect.any(String) });
    } finally {
      spy.mockRestore();
    }
    expect(await users().countDocuments({ email: input.email })).toBe(0);
    await t.http.post('/auth/register').send(input).expect(201);
  });

  it('wrong password and unknown email get the same 401 body', async () => {
    const input = newUser();
    await t.http.post('/auth/register').send(input).expect(201);
    const wrong = await t.http.post('/auth/login').send({ email: input.email, password: 'not the password' }).expect(401);
    const unknown = await t.http.post('/auth/login').send({ email: 'nobody-here@example.com', password: 'not the password' }).expect(401);
    const withoutRequestId = (body: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'requestId'));
    expect(withoutRequestId(wrong.body)).toEqual(withoutRequestId(unknown.body));
    expect(withoutRequestId(wrong.body)).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Invalid email or password',
      code: 'invalid_credentials',
    });
  });

  it('every failed login spends exactly one argon2id verification with the configured parameters, whatever the reason', async () => {
    const hasher = t.app.get(PasswordHasher);
    const known = newUser();
    await t.http.post('/auth/register').send(known).expect(201);
    const suspended = newUser();
    await t.http.post('/auth/register').send(suspended).expect(201);
    await users().updateOne({ email: suspended.email }, { $set: { status: 'suspended' } });
    const withoutPassword = newUser();
    await t.http.post('/auth/register').send(withoutPassword).expect(201);
    const orphan = await users().findOne({ email: withoutPassword.email });
    await methods().deleteOne({ userId: orphan?._id });

    const cases: Array<[string, string]> = [
      ['unknown email', 'nobody-timing@example.com'],
      ['wrong password', known.email],
      ['suspended account', suspended.email],
      ['account without a password method', withoutPassword.email],
    ];
    for (const [name, email] of cases) {
      const verify = jest.spyOn(hasher, 'verify');
      const hash = jest.spyOn(hasher, 'hash');
      try {
        await t.http.post('/auth/login').send({ email, password: 'not the password' }).expect(401);
        expect({ name, verifications: verify.mock.calls.length, hashes: hash.mock.calls.length }).toEqual({
          name,
          verifications: 1,
          hashes: 0,
        });
        // The decoy is a real hash with the configured cost, so it takes as long as a real check.
        expect(verify.mock.calls[0][0]).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
      } finally {
        verify.mockRestore();
        hash.mockRestore();
      }
    }
  });

  it('suspended and deleted accounts cannot log in (same 401), and their access tokens stop working', async () => {
    for (const status of ['suspended', 'deleted']) {
      const input = newUser();
      const { body } = await t.http.post('/auth/register').send(input).expect(201);
      await users().updateOne({ email: input.email }, { $set: { status } });
      const res = await t.http.post('/auth/login').send({ email: input.email, password: input.password }).expect(401);
      expect(res.body.code).toBe('invalid_credentials');
      await t.http
        .get('/auth/me')
        .set(...bearer(body.accessToken))
        .expect(401);
      await t.http.post('/auth/refresh').send({ refreshToken: body.refreshToken }).expect(401);
    }
  });

  it('records UserRegistered, LoginSucceeded and LoginFailed with their keys, never the password', async () => {
    const input = newUser({ password: 'a distinctive passphrase 1' });
    const { body } = await t.http.post('/auth/register').send(input).expect(201);
    await t.http.post('/auth/login').send({ email: input.email, password: 'a wrong guess for events' }).expect(401);
    await t.http.post('/auth/login').send({ email: input.email, password: input.password }).expect(200);
    const unknownEmail = 'unknown-events@example.com';
    await t.http.post('/auth/login').send({ email: unknownEmail, password: 'a wrong guess for events' }).expect(401);

    const user = await users().findOne({ email: input.email });
    // The test clock is frozen, so all three share `at`; _id (increasing per process) orders ties,
    // as the audit trail does. Without it the order of ties is the backend's (PostgreSQL's varies).
    const mine = await events().find({ userId: user?._id }).sort({ at: 1, _id: 1 }).toArray();
    const common = {
      userId: user?._id,
      cohortWeek: user?.['signupWeek'],
      day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      week: expect.any(String),
    };
    expect(mine).toEqual([
      expect.objectContaining({ kind: 'UserRegistered', ...common }),
      expect.objectContaining({ kind: 'LoginFailed', reason: 'bad_password', ...common }),
      expect.objectContaining({ kind: 'LoginSucceeded', ...common }),
    ]);
    const anonymous = await events().find({ kind: 'LoginFailed', reason: 'unknown_email' }).toArray();
    expect(anonymous).toContainEqual(expect.objectContaining({ emailHash: expect.stringMatching(/^[0-9a-f]{64}$/) }));
    expect(anonymous.every((e) => e['userId'] === undefined)).toBe(true);

    const everything = JSON.stringify(await events().find({}).toArray());
    expect(everything).not.toContain('a wrong guess for events');
    expect(everything).not.toContain(input.password);
    expect(everything).not.toContain(unknownEmail);
    expect(body.user.id).toBe(String(user?._id));
  });

  it('upserts one Activity rollup per user and day on successful logins', async () => {
    const input = newUser();
    await t.http.post('/auth/register').send(input).expect(201);
    const login = () => t.http.post('/auth/login').send({ email: input.email, password: input.password }).expect(200);
    await login();
    await login();
    const user = await users().findOne({ email: input.email });
    const activities = () => t.connection.collection('activities').find({ userId: user?._id }).toArray();
    expect(await activities()).toEqual([
      expect.objectContaining({
        day: t.clock.now().toISOString().slice(0, 10),
        cohortWeek: user?.['signupWeek'],
        week: expect.any(String),
      }),
    ]);
    t.clock.advance(24 * 3_600_000);
    await login();
    expect(await activities()).toHaveLength(2);
  });

  it('rehashes a stored hash with outdated argon2 parameters on the next successful login', async () => {
    const input = newUser();
    await t.http.post('/auth/register').send(input).expect(201);
    const user = await users().findOne({ email: input.email });
    const stored = await methods().findOne({ userId: user?._id });
    expect(stored?.['secret']).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);

    const weaker = await argon2.hash(input.password, { type: argon2.argon2id, memoryCost: 7168, timeCost: 5, parallelism: 1 });
    await methods().updateOne({ _id: stored?._id }, { $set: { secret: weaker } });
    await t.http.post('/auth/login').send({ email: input.email, password: input.password }).expect(200);
    const rehashed = await methods().findOne({ _id: stored?._id });
    expect(rehashed?.['secret']).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(rehashed?.['secret']).not.toBe(weaker);
    await t.http.post('/auth/login').send({ email: input.email, password: input.password }).expect(200);
  });

  it('logs in an imported bcrypt user, then replaces the hash with argon2id and clears needsRehash', async () => {
    const input = newUser();
    await t.http.post('/auth/register').send(input).expect(201);
    const user = await users().findOne({ email: input.email });
    const imported = await bcrypt.hash(input.password, 8);
    await methods().updateOne({ userId: user?._id }, { $set: { secret: imported, needsRehash: true } });

    await t.http.post('/auth/login').send({ email: input.email, password: 'not the password at all' }).expect(401);
    expect((await methods().findOne({ userId: user?._id }))?.['secret']).toBe(imported);
    await t.http.post('/auth/login').send({ email: input.email, password: input.password }).expect(200);
    const upgraded = await methods().findOne({ userId: user?._id });
    expect(upgraded?.['secret']).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(upgraded?.['needsRehash']).toBe(false);
    await t.http.post('/auth/login').send({ email: input.email, password: input.password }).expect(200);
  });

  it('rehashes an imported argon2id hash flagged needsRehash even when its parameters are current', async () => {
    const input = newUser();
    await t.http.post('/auth/register').send(input).expect(201);
    const user = await users().findOne({ email: input.email });
    const before = (await methods().findOne({ userId: user?._id }))?.['secret'];
    await methods().updateOne({ userId: user?._id }, { $set: { needsRehash: true } });
    await t.http.post('/auth/login').send({ email: input.email, password: input.password }).expect(200);
    const after = await methods().findOne({ userId: user?._id });
    expect(after?.['secret']).not.toBe(before);
    expect(after?.['needsRehash']).toBe(false);
  });

  it('no response body contained a password hash, "secret" or a stored refresh-token hash', async () => {
    await expectNoSecretsIn(t.http.bodies, t.connection);
  });
});
