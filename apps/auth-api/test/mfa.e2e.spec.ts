import { testDatabase } from '@directory/testing';
import { totpCode } from '../src/app/factors/totp';
import { startAuthTestApp, newUser, STRONG_PASSWORD, type AuthTestApp } from './support/auth-test-app';
import { bearer, decodeJwt } from './support/jwt';

const STEP_MS = 30_000;

/**
 * A login with a second factor (RFC 6238 TOTP, recovery codes): the password step answers a
 * challenge instead of tokens, the second step redeems it once; guesses meet the lockout;
 * sensitive routes want a factor verified within five minutes (step-up, RFC 8176 amr).
 */
describe('auth-api: second factor at login and step-up', () => {
  const { dbName } = testDatabase();
  let t: AuthTestApp;

  beforeAll(async () => {
    t = await startAuthTestApp(dbName);
  });

  afterAll(() => t?.close());

  interface Enrolled {
    email: string;
    password: string;
    secret: string;
    accessToken: string;
    refreshToken: string;
  }

  const login = (email: string, password: string, from?: string) => {
    const req = t.http.post('/auth/login').send({ email, password });
    return from ? req.set('X-Forwarded-For', from) : req;
  };

  /** A registered user with an active TOTP factor (enrolled and confirmed over HTTP). */
  async function enrolled(): Promise<Enrolled> {
    const input = newUser();
    const registered = await t.http.post('/auth/register').send(input).expect(201);
    const access = registered.body.accessToken as string;
    const enrolment = await t.http
      .post('/auth/factors/totp')
      .set(...bearer(access))
      .send({ name: 'phone' })
      .expect(201);
    const secret = new URL(enrolment.body.otpauthUri as string).searchParams.get('secret') as string;
    await t.http
      .post(`/auth/factors/totp/${enrolment.body.factorId}/confirm`)
      .set(...bearer(access))
      .send({ code: await totpCode(secret, t.clock.now()) })
      .expect(204);
    // The confirming code's step is used up: move to the next step for the tests' own codes.
    t.clock.advance(STEP_MS);
    return {
      email: input.email.toLowerCase(),
      password: input.password,
      secret,
      accessToken: access,
      refreshToken: registered.body.refreshToken,
    };
  }

  const code = (user: Enrolled) => totpCode(user.secret, t.clock.now());

  it('without a factor the password is enough: tokens carry amr ["pwd"] and auth_time', async () => {
    const input = newUser();
    await t.http.post('/auth/register').send(input).expect(201);
    const res = await login(input.email, input.password).expect(200);
    expect(res.body).not.toHaveProperty('mfaRequired');
    const claims = decodeJwt(res.body.accessToken).payload;
    expect(claims['amr']).toEqual(['pwd']);
    expect(claims['auth_time']).toBe(Math.floor(t.clock.now().getTime() / 1000));
  });

  it('with a TOTP factor: the password answers a challenge (no tokens); the code completes the login with amr otp+mfa', async () => {
    const user = await enrolled();
    const first = await login(user.email, user.password).expect(200);
    expect(first.body).toEqual({
      mfaRequired: true,
      challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      methods: expect.arrayContaining(['totp']),
      expiresIn: 300,
    });
    expect(first.body).not.toHaveProperty('accessToken');

    const wrong = await t.http.post('/auth/mfa/verify').send({ challenge: first.body.challenge, totp: '000000' }).expect(401);
    expect(wrong.body.code).toBe('invalid_second_factor');
    const done = await t.http
      .post('/auth/mfa/verify')
      .send({ challenge: first.body.challenge, totp: await code(user) })
      .expect(200);
    expect(Object.keys(done.body).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken', 'tokenType']);
    expect(decodeJwt(done.body.accessToken).payload['amr']).toEqual(['pwd', 'otp', 'mfa']);
    await t.http
      .get('/auth/me')
      .set(...bearer(done.body.accessToken))
      .expect(200);
    // Refreshed tokens keep the session's amr and auth_time.
    t.clock.advance(60_000);
    const refreshed = await t.http.post('/auth/refresh').send({ refreshToken: done.body.refreshToken }).expect(200);
    expect(decodeJwt(refreshed.body.accessToken).payload).toMatchObject({
      amr: ['pwd', 'otp', 'mfa'],
      auth_time: decodeJwt(done.body.accessToken).payload['auth_time'],
    });
  });

  it('a challenge works once, for five minutes, for its own user; a replayed code is refused', async () => {
    const user = await enrolled();
    const other = await enrolled();
    const challenge = (await login(user.email, user.password).expect(200)).body.challenge as string;
    // Another user's valid code on this challenge: checked against this user's factor → refused.
    const foreign = await t.http
      .post('/auth/mfa/verify')
      .send({ challenge, totp: await code(other) })
      .expect(401);
    expect(foreign.body.code).toBe('invalid_second_factor');

    const valid = await code(user);
    await t.http.post('/auth/mfa/verify').send({ challenge, totp: valid }).expect(200);
    expect((await t.http.post('/auth/mfa/verify').send({ challenge, totp: valid }).expect(400)).body.code).toBe('token_used');

    // The same code with a new challenge in the same step: a replay, refused.
    const again = (await login(user.email, user.password).expect(200)).body.challenge as string;
    expect((await t.http.post('/auth/mfa/verify').send({ challenge: again, totp: valid }).expect(401)).body.code).toBe(
      'invalid_second_factor',
    );

    // Expired after five minutes.
    t.clock.advance(5 * 60_000 + 1000);
    const expired = await t.http
      .post('/auth/mfa/verify')
      .send({ challenge: again, totp: await code(user) })
      .expect(400);
    expect(expired.body.code).toBe('token_expired');
  });

  it('a challenge dies when the password changes meanwhile (bound to the password check)', async () => {
    const user = await enrolled();
    const challenge = (await login(user.email, user.password).expect(200)).body.challenge as string;
    // Step up in the enrolling session, then change the password there.
    const stepped = await t.http
      .post('/auth/mfa/step-up')
      .set(...bearer(user.accessToken))
      .send({ totp: await code(user) })
      .expect(200);
    t.clock.advance(STEP_MS);
    await t.http
      .post('/auth/password')
      .set(...bearer(stepped.body.accessToken))
      .send({ currentPassword: user.password, newPassword: 'a brand new passphrase 11' })
      .expect(204);
    const stale = await t.http
      .post('/auth/mfa/verify')
      .send({ challenge, totp: await code(user) })
      .expect(400);
    expect(stale.body.code).toBe('token_stale');
  });

  // ASVS 5.0 V6.3.1: second-factor guesses meet the same lockout as passwords.
  it('guessing codes for one account is locked out long before 1,000 guesses; then even the right code is refused', async () => {
    const user = await enrolled();
    const from = '203.0.113.77';
    const challenge = (await login(user.email, user.password, from).expect(200)).body.challenge as string;
    let guesses = 0;
    let status = 401;
    for (; guesses < 1000 && status === 401; guesses += 1) {
      const guess = String(guesses).padStart(6, '0');
      if (guess === (await code(user))) continue;
      status = (await t.http.post('/auth/mfa/verify').set('X-Forwarded-For', from).send({ challenge, totp: guess })).status;
    }
    expect(status).toBe(429);
    expect(guesses).toBeLessThanOrEqual(25);
    const locked = await t.http
      .post('/auth/mfa/verify')
      .set('X-Forwarded-For', from)
      .send({ challenge, totp: await code(user) })
      .expect(429);
    expect(locked.body.code).toBe('rate_limited');
  });

  it('a recovery code completes a login once', async () => {
    const user = await enrolled();
    const stepped = await t.http
      .post('/auth/mfa/step-up')
      .set(...bearer(user.accessToken))
      .send({ totp: await code(user) })
      .expect(200);
    const codes = (
      await t.http
        .post('/auth/factors/recovery-codes')
        .set(...bearer(stepped.body.accessToken))
        .expect(201)
    ).body.codes as string[];
    expect(new Set(codes).size).toBe(10);
    const challenge = (await login(user.email, user.password).expect(200)).body.challenge as string;
    await t.http.post('/auth/mfa/verify').send({ challenge, recoveryCode: codes[0] }).expect(200);
    const second = (await login(user.email, user.password).expect(200)).body.challenge as string;
    expect((await t.http.post('/auth/mfa/verify').send({ challenge: second, recoveryCode: codes[0] }).expect(401)).body.code).toBe(
      'invalid_second_factor',
    );
    await t.http.post('/auth/mfa/verify').send({ challenge: second, recoveryCode: codes[1] }).expect(200);
  });

  it('exactly one factor per request; operators are refused', async () => {
    const user = await enrolled();
    const challenge = (await login(user.email, user.password).expect(200)).body.challenge as string;
    for (const body of [
      { challenge },
      { challenge, totp: '123456', recoveryCode: 'aaaa-bbbb-cccc' },
      { challenge, totp: { $gt: '' } },
      // null is "not sent" (it once reached the factor check and answered 500)
      { challenge, recoveryCode: null },
      { challenge, webauthn: null },
      { challenge, totp: null, recoveryCode: null, webauthn: null },
    ]) {
      expect((await t.http.post('/auth/mfa/verify').send(body).expect(400)).body.code).toBe('validation_failed');
    }
  });

  describe('step-up', () => {
    it('after five minutes, changing the password or removing a factor wants a fresh factor (401 step_up_required)', async () => {
      const user = await enrolled();
      const challenge = (await login(user.email, user.password).expect(200)).body.challenge as string;
      const pair = (
        await t.http
          .post('/auth/mfa/verify')
          .send({ challenge, totp: await code(user) })
          .expect(200)
      ).body;
      t.clock.advance(5 * 60_000 + 1000);
      const refreshed = (await t.http.post('/auth/refresh').send({ refreshToken: pair.refreshToken }).expect(200)).body;
      const refused = await t.http
        .post('/auth/password')
        .set(...bearer(refreshed.accessToken))
        .send({ currentPassword: user.password, newPassword: 'another new passphrase 22' })
        .expect(401);
      expect(refused.body.code).toBe('step_up_required');
      const list = await t.http
        .get('/auth/factors')
        .set(...bearer(refreshed.accessToken))
        .expect(200);
      const totp = (list.body.factors as { id: string; type: string }[]).find((f) => f.type === 'totp');
      expect(totp).toBeDefined();
      const removal = await t.http
        .delete(`/auth/factors/${totp?.id}`)
        .set(...bearer(refreshed.accessToken))
        .expect(401);
      expect(removal.body.code).toBe('step_up_required');

      const stepped = await t.http
        .post('/auth/mfa/step-up')
        .set(...bearer(refreshed.accessToken))
        .send({ totp: await code(user) })
        .expect(200);
      expect(decodeJwt(stepped.body.accessToken).payload).toMatchObject({
        amr: ['pwd', 'otp', 'mfa'],
        auth_time: Math.floor(t.clock.now().getTime() / 1000),
      });
      await t.http
        .post('/auth/password')
        .set(...bearer(stepped.body.accessToken))
        .send({ currentPassword: user.password, newPassword: 'another new passphrase 22' })
        .expect(204);
    });

    it('a user without a second factor changes the password as before (no step-up)', async () => {
      const input = newUser();
      const registered = await t.http.post('/auth/register').send(input).expect(201);
      t.clock.advance(10 * 60_000);
      await t.http
        .post('/auth/password')
        .set(...bearer(registered.body.accessToken))
        .send({ currentPassword: STRONG_PASSWORD, newPassword: 'no factor passphrase 33' })
        .expect(204);
    });

    it('a wrong step-up code is refused and counts like a wrong password', async () => {
      const user = await enrolled();
      const res = await t.http
        .post('/auth/mfa/step-up')
        .set(...bearer(user.accessToken))
        .send({ totp: '000000' })
        .expect(401);
      expect(res.body.code).toBe('invalid_second_factor');
      await t.http
        .post('/auth/mfa/step-up')
        .send({ totp: await code(user) })
        .expect(401);
    });
  });
});
