import { testDatabase } from '@directory/testing';
import { Types } from 'mongoose';
import { totpCode } from '../src/app/factors/totp';
import { startAuthTestApp, newUser, type AuthTestApp } from './support/auth-test-app';
import { bearer, decodeJwt } from './support/jwt';
import { SoftAuthenticator, tamper } from './support/soft-authenticator';

const RP_ID = 'localhost';
const ORIGIN = 'http://localhost:4300';

/**
 * Passkeys (WebAuthn) through the real HTTP API and a real database, with a software
 * authenticator (P-256, `none` attestation): registration, listing and removal, passwordless
 * sign-in with a discoverable credential, the second step of a password login, step-up, and
 * every refusal a ceremony can earn (origin, RP ID, user verification, signature, counter,
 * challenges reused, of another purpose or another user).
 */
describe('auth-api: passkeys', () => {
  const { dbName } = testDatabase();
  let t: AuthTestApp;

  beforeAll(async () => {
    t = await startAuthTestApp(dbName, { PUBLIC_URL: ORIGIN });
  });

  afterAll(() => t?.close());

  const authenticator = (synced = false) => new SoftAuthenticator({ rpId: RP_ID, origin: ORIGIN, synced });
  const secondFactorsOf = async (id: string) =>
    (await t.connection.collection('users').findOne({ _id: new Types.ObjectId(id) }))?.['secondFactors'] as string[] | undefined;

  async function registered() {
    const input = newUser();
    const res = await t.http.post('/auth/register').send(input).expect(201);
    return { ...input, email: input.email.toLowerCase(), id: res.body.user.id as string, access: res.body.accessToken as string };
  }

  const registrationOptions = async (access: string) =>
    (
      await t.http
        .post('/auth/factors/passkeys/options')
        .set(...bearer(access))
        .expect(200)
    ).body.options;

  /** Registers the device's passkey (201); its factor id. */
  async function addPasskey(access: string, device: SoftAuthenticator, name = 'Laptop'): Promise<string> {
    const options = await registrationOptions(access);
    const res = await t.http
      .post('/auth/factors/passkeys')
      .set(...bearer(access))
      .send({ name, response: device.register(options) })
      .expect(201);
    return res.body.id as string;
  }

  const signInOptions = async () => (await t.http.post('/auth/passkeys/options').expect(200)).body.options;

  it('registers two passkeys: named, listed with backup state and device type, users.secondFactors = [webauthn]', async () => {
    const user = await registered();
    const options = await registrationOptions(user.access);
    expect(options).toMatchObject({
      rp: { id: RP_ID, name: 'Directory' },
      user: { name: user.email },
      attestation: 'none',
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      excludeCredentials: [],
    });
    const laptop = authenticator();
    const created = await t.http
      .post('/auth/factors/passkeys')
      .set(...bearer(user.access))
      .send({ name: 'Laptop', response: laptop.register(options) })
      .expect(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      type: 'webauthn',
      name: 'Laptop',
      status: 'active',
      createdAt: expect.any(String),
      confirmedAt: expect.any(String),
      lastUsedAt: null,
      backedUp: false,
      deviceType: 'singleDevice',
    });
    expect(await secondFactorsOf(user.id)).toEqual(['webauthn']);

    // The first factor ended the other sessions but the caller's; the caller's token still works.
    const phone = authenticator(true);
    const second = await t.http
      .post('/auth/factors/passkeys/options')
      .set(...bearer(user.access))
      .expect(200);
    expect(second.body.options.excludeCredentials).toEqual([expect.objectContaining({ id: laptop.id })]);
    await t.http
      .post('/auth/factors/passkeys')
      .set(...bearer(user.access))
      .send({ name: 'Phone', response: phone.register(second.body.options) })
      .expect(201);

    const list = await t.http
      .get('/auth/factors')
      .set(...bearer(user.access))
      .expect(200);
    expect(list.body.factors.map((f: Record<string, unknown>) => [f['type'], f['name'], f['backedUp'], f['deviceType']])).toEqual([
      ['webauthn', 'Laptop', false, 'singleDevice'],
      ['webauthn', 'Phone', true, 'multiDevice'],
    ]);
    expect(await secondFactorsOf(user.id)).toEqual(['webauthn']);
  });

  it('passwordless: any discoverable passkey signs its user in; amr hwk/swk + user + mfa, auth_time now', async () => {
    const user = await registered();
    const laptop = authenticator();
    const phone = authenticator(true);
    await addPasskey(user.access, laptop);
    await addPasskey(user.access, phone, 'Phone');

    const options = await signInOptions();
    expect(options).toMatchObject({ rpId: RP_ID, userVerification: 'required', allowCredentials: [] });
    const res = await t.http
      .post('/auth/passkeys/login')
      .send({ response: laptop.assert(options) })
      .expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken', 'tokenType']);
    const claims = decodeJwt(res.body.accessToken).payload;
    expect(claims).toMatchObject({ sub: user.id, amr: ['hwk', 'user', 'mfa'], auth_time: Math.floor(t.clock.now().getTime() / 1000) });
    await t.http
      .get('/auth/me')
      .set(...bearer(res.body.accessToken))
      .expect(200);

    const synced = await t.http
      .post('/auth/passkeys/login')
      .send({ response: phone.assert(await signInOptions()) })
      .expect(200);
    expect(decodeJwt(synced.body.accessToken).payload['amr']).toEqual(['swk', 'user', 'mfa']);

    const list = await t.http
      .get('/auth/factors')
      .set(...bearer(res.body.accessToken))
      .expect(200);
    expect(list.body.factors.every((f: { lastUsedAt: string | null }) => f.lastUsedAt !== null)).toBe(true);
  });

  it('password + passkey: login answers the webauthn options over its own challenge; the assertion completes it', async () => {
    const user = await registered();
    const laptop = authenticator();
    await addPasskey(user.access, laptop);
    const first = await t.http.post('/auth/login').send({ email: user.email, password: user.password }).expect(200);
    expect(first.body).toMatchObject({ mfaRequired: true, methods: ['webauthn'], expiresIn: 300 });
    expect(first.body.webauthn).toMatchObject({
      rpId: RP_ID,
      userVerification: 'preferred',
      allowCredentials: [expect.objectContaining({ id: laptop.id })],
    });
    expect(Buffer.from(first.body.webauthn.challenge, 'base64url').toString('utf8')).toBe(first.body.challenge);

    const done = await t.http
      .post('/auth/mfa/verify')
      .send({ challenge: first.body.challenge, webauthn: laptop.assert(first.body.webauthn) })
      .expect(200);
    expect(decodeJwt(done.body.accessToken).payload['amr']).toEqual(['pwd', 'hwk', 'mfa']);
  });

  it('an account with TOTP only answers no webauthn options', async () => {
    const user = await registered();
    const enrolment = await t.http
      .post('/auth/factors/totp')
      .set(...bearer(user.access))
      .send({ name: 'phone' })
      .expect(201);
    const secret = new URL(enrolment.body.otpauthUri as string).searchParams.get('secret') as string;
    await t.http
      .post(`/auth/factors/totp/${enrolment.body.factorId}/confirm`)
      .set(...bearer(user.access))
      .send({ code: await totpCode(secret, t.clock.now()) })
      .expect(204);
    expect(await secondFactorsOf(user.id)).toEqual(['totp']);
    const first = await t.http.post('/auth/login').send({ email: user.email, password: user.password }).expect(200);
    expect(first.body.methods).toEqual(['totp']);
    expect(first.body).not.toHaveProperty('webauthn');
  });

  it('refusals: wrong origin, wrong RP ID, no user verification, tampered signature, unknown credential', async () => {
    const user = await registered();
    const laptop = authenticator();

    // Registration: the origin and RP ID are checked, and user verification is required.
    for (const overrides of [{ origin: 'https://evil.example' }, { rpId: 'evil.example' }, { userVerified: false }]) {
      const bad = await t.http
        .post('/auth/factors/passkeys')
        .set(...bearer(user.access))
        .send({ name: 'Laptop', response: laptop.register(await registrationOptions(user.access), overrides) })
        .expect(400);
      expect(bad.body.code).toBe('passkey_invalid');
    }
    await addPasskey(user.access, laptop);

    const refused = async (response: unknown) => {
      const res = await t.http.post('/auth/passkeys/login').send({ response }).expect(401);
      expect(res.body.code).toBe('passkey_invalid');
    };
    await refused(laptop.assert(await signInOptions(), { origin: 'https://evil.example' }));
    await refused(laptop.assert(await signInOptions(), { rpId: 'evil.example' }));
    await refused(laptop.assert(await signInOptions(), { userVerified: false }));
    const signed = laptop.assert(await signInOptions());
    await refused({ ...signed, response: { ...signed.response, signature: tamper(signed.response.signature) } });
    await refused(authenticator().assert(await signInOptions()));
    // None of this touched the good passkey: it still signs in.
    await t.http
      .post('/auth/passkeys/login')
      .send({ response: laptop.assert(await signInOptions()) })
      .expect(200);
  });

  it('challenges: one use each, of their own purpose, five minutes; a duplicate credential is 409 passkey_exists', async () => {
    const user = await registered();
    const laptop = authenticator();
    const registration = await registrationOptions(user.access);
    await t.http
      .post('/auth/factors/passkeys')
      .set(...bearer(user.access))
      .send({ name: 'Laptop', response: laptop.register(registration) })
      .expect(201);
    // The same ceremony again: its challenge is used.
    const again = await t.http
      .post('/auth/factors/passkeys')
      .set(...bearer(user.access))
      .send({ name: 'Laptop', response: laptop.register(registration) })
      .expect(400);
    expect(again.body.code).toBe('token_used');
    // The same authenticator with a new challenge (as a browser that ignores excludeCredentials): the unique index refuses it.
    const duplicate = await t.http
      .post('/auth/factors/passkeys')
      .set(...bearer(user.access))
      .send({ name: 'Laptop again', response: laptop.register(await registrationOptions(user.access)) })
      .expect(409);
    expect(duplicate.body.code).toBe('passkey_exists');

    const options = await signInOptions();
    const response = laptop.assert(options);
    await t.http.post('/auth/passkeys/login').send({ response }).expect(200);
    const replay = await t.http
      .post('/auth/passkeys/login')
      .send({ response: laptop.assert(options) })
      .expect(400);
    expect(replay.body.code).toBe('token_used');

    // A registration challenge presented for sign-in.
    const wrongPurpose = await t.http
      .post('/auth/passkeys/login')
      .send({ response: laptop.assert({ ...(await signInOptions()), challenge: (await registrationOptions(user.access)).challenge }) })
      .expect(400);
    expect(wrongPurpose.body.code).toBe('token_wrong_purpose');
    // A made-up challenge.
    const madeUp = await t.http
      .post('/auth/passkeys/login')
      .send({ response: laptop.assert({ ...options, challenge: Buffer.from('not a token').toString('base64url') }) })
      .expect(400);
    expect(madeUp.body.code).toBe('token_invalid');

    const late = await signInOptions();
    t.clock.advance(5 * 60_000 + 1000);
    const expired = await t.http
      .post('/auth/passkeys/login')
      .send({ response: laptop.assert(late) })
      .expect(400);
    expect(expired.body.code).toBe('token_expired');

    // Registered by another account: still the same credential.
    const other = await registered();
    const foreign = await t.http
      .post('/auth/factors/passkeys')
      .set(...bearer(other.access))
      .send({ name: 'Laptop', response: laptop.register(await registrationOptions(other.access)) })
      .expect(409);
    expect(foreign.body.code).toBe('passkey_exists');
  });

  it('adding a passkey or an authenticator app wants a recent sign-in: a stolen access token alone cannot plant one', async () => {
    const user = await registered();
    t.clock.advance(5 * 60_000 + 1000);
    // Password-only session, signed in more than five minutes ago: nothing to step up with, so sign in again.
    for (const path of ['/auth/factors/passkeys/options', '/auth/factors/totp']) {
      const stale = await t.http
        .post(path)
        .set(...bearer(user.access))
        .send({ name: 'Planted' })
        .expect(401);
      expect(stale.body.code).toBe('reauthentication_required');
    }
    expect(await secondFactorsOf(user.id)).toBeUndefined();
    const again = await t.http.post('/auth/login').send({ email: user.email, password: user.password }).expect(200);
    const laptop = authenticator();
    await addPasskey(again.body.accessToken, laptop);

    // With a factor, a stale session must step up first (a sign-in with the passkey counts).
    t.clock.advance(5 * 60_000 + 1000);
    const session = (
      await t.http
        .post('/auth/passkeys/login')
        .send({ response: laptop.assert(await signInOptions()) })
        .expect(200)
    ).body;
    t.clock.advance(5 * 60_000 + 1000);
    const access = (await t.http.post('/auth/refresh').send({ refreshToken: session.refreshToken }).expect(200)).body.accessToken;
    const refused = await t.http
      .post('/auth/factors/passkeys/options')
      .set(...bearer(access))
      .expect(401);
    expect(refused.body.code).toBe('step_up_required');
  });

  it("another user's login challenge answered with my passkey: 401, and the challenge's owner is not signed in", async () => {
    const me = await registered();
    const victim = await registered();
    const mine = authenticator();
    await addPasskey(me.access, mine);
    const victimsKey = authenticator();
    await addPasskey(victim.access, victimsKey);
    const theirs = await t.http.post('/auth/login').send({ email: victim.email, password: victim.password }).expect(200);
    const refused = await t.http
      .post('/auth/mfa/verify')
      .send({ challenge: theirs.body.challenge, webauthn: mine.assert(theirs.body.webauthn) })
      .expect(401);
    expect(refused.body.code).toBe('invalid_second_factor');
    // A tampered assertion of the right passkey is refused the same way; the genuine one then completes the login.
    const genuine = victimsKey.assert(theirs.body.webauthn);
    const tampered = { ...genuine, response: { ...genuine.response, signature: tamper(genuine.response.signature) } };
    const forged = await t.http.post('/auth/mfa/verify').send({ challenge: theirs.body.challenge, webauthn: tampered }).expect(401);
    expect(forged.body.code).toBe('invalid_second_factor');
    await t.http
      .post('/auth/mfa/verify')
      .send({ challenge: theirs.body.challenge, webauthn: victimsKey.assert(theirs.body.webauthn) })
      .expect(200);
  });

  it('a counter that does not move forward is refused (a cloned authenticator); counter 0 throughout is allowed', async () => {
    const user = await registered();
    const laptop = authenticator();
    await addPasskey(user.access, laptop);
    await t.http
      .post('/auth/passkeys/login')
      .send({ response: laptop.assert(await signInOptions(), { counter: 5 }) })
      .expect(200);
    for (const counter of [5, 4]) {
      const res = await t.http
        .post('/auth/passkeys/login')
        .send({ response: laptop.assert(await signInOptions(), { counter }) })
        .expect(401);
      expect(res.body.code).toBe('passkey_invalid');
    }
    const stored = await t.connection.collection('passkeys').findOne({ credentialId: laptop.id });
    expect(stored?.['counter']).toBe(5);

    const counterless = new SoftAuthenticator({ rpId: RP_ID, origin: ORIGIN, withoutCounter: true });
    const other = await registered();
    await addPasskey(other.access, counterless);
    for (let i = 0; i < 2; i += 1) {
      await t.http
        .post('/auth/passkeys/login')
        .send({ response: counterless.assert(await signInOptions()) })
        .expect(200);
    }
  });

  it('removing a passkey wants a step-up; a passkey step-up gives it; users.secondFactors follows every change', async () => {
    const user = await registered();
    const laptop = authenticator();
    const phone = authenticator(true);
    const laptopId = await addPasskey(user.access, laptop);
    const phoneId = await addPasskey(user.access, phone, 'Phone');

    // A session signed in with a passkey, more than five minutes ago: no recent factor.
    const session = (
      await t.http
        .post('/auth/passkeys/login')
        .send({ response: phone.assert(await signInOptions()) })
        .expect(200)
    ).body;
    t.clock.advance(5 * 60_000 + 1000);
    const access = (await t.http.post('/auth/refresh').send({ refreshToken: session.refreshToken }).expect(200)).body.accessToken;
    const refused = await t.http
      .delete(`/auth/factors/${laptopId}`)
      .set(...bearer(access))
      .expect(401);
    expect(refused.body.code).toBe('step_up_required');

    const options = (
      await t.http
        .post('/auth/mfa/step-up/options')
        .set(...bearer(access))
        .expect(200)
    ).body.options;
    expect(options.allowCredentials.map((c: { id: string }) => c.id).sort()).toEqual([laptop.id, phone.id].sort());
    // A step-up challenge is not a sign-in challenge.
    const misuse = await t.http
      .post('/auth/passkeys/login')
      .send({ response: laptop.assert(options) })
      .expect(400);
    expect(misuse.body.code).toBe('token_wrong_purpose');
    const stepped = await t.http
      .post('/auth/mfa/step-up')
      .set(...bearer(access))
      .send({ webauthn: laptop.assert(options) })
      .expect(200);
    expect(decodeJwt(stepped.body.accessToken).payload).toMatchObject({
      amr: ['swk', 'user', 'mfa', 'hwk'],
      auth_time: Math.floor(t.clock.now().getTime() / 1000),
    });
    // Its challenge is used up.
    const reused = await t.http
      .post('/auth/mfa/step-up')
      .set(...bearer(access))
      .send({ webauthn: laptop.assert(options) })
      .expect(400);
    expect(reused.body.code).toBe('token_used');

    // Recovery codes join the summary; removing one passkey leaves webauthn; the last one takes the codes along.
    await t.http
      .post('/auth/factors/recovery-codes')
      .set(...bearer(stepped.body.accessToken))
      .expect(201);
    expect(await secondFactorsOf(user.id)).toEqual(['recovery_code', 'webauthn']);
    await t.http
      .delete(`/auth/factors/${laptopId}`)
      .set(...bearer(stepped.body.accessToken))
      .expect(204);
    expect(await secondFactorsOf(user.id)).toEqual(['recovery_code', 'webauthn']);
    await t.http
      .delete(`/auth/factors/${phoneId}`)
      .set(...bearer(stepped.body.accessToken))
      .expect(204);
    expect(await secondFactorsOf(user.id)).toEqual([]);
    const list = await t.http
      .get('/auth/factors')
      .set(...bearer(stepped.body.accessToken))
      .expect(200);
    expect(list.body).toEqual({ factors: [], recoveryCodes: null });
    // The removed passkey signs nobody in.
    const gone = await t.http
      .post('/auth/passkeys/login')
      .send({ response: laptop.assert(await signInOptions()) })
      .expect(401);
    expect(gone.body.code).toBe('passkey_invalid');
  });

  it("an admin reset removes the user's passkeys and clears users.secondFactors", async () => {
    const user = await registered();
    const laptop = authenticator();
    await addPasskey(user.access, laptop);
    const bossInput = newUser();
    const boss = await t.http.post('/auth/register').send(bossInput).expect(201);
    await t.connection
      .collection('users')
      .updateOne({ _id: new Types.ObjectId(boss.body.user.id) }, { $set: { roles: ['member', 'admin'] } });
    const bossLogin = await t.http.post('/auth/login').send({ email: bossInput.email, password: bossInput.password }).expect(200);
    await t.http
      .delete(`/auth/admin/users/${user.id}/factors`)
      .set(...bearer(bossLogin.body.accessToken))
      .expect(204);
    expect(await t.connection.collection('passkeys').countDocuments({ userId: new Types.ObjectId(user.id) })).toBe(0);
    expect(await secondFactorsOf(user.id)).toEqual([]);
    const login = await t.http.post('/auth/login').send({ email: user.email, password: user.password }).expect(200);
    expect(login.body).not.toHaveProperty('mfaRequired');
  });

  it('suspended accounts get the same 401 as an unknown passkey', async () => {
    const user = await registered();
    const laptop = authenticator();
    await addPasskey(user.access, laptop);
    await t.connection.collection('users').updateOne({ _id: new Types.ObjectId(user.id) }, { $set: { status: 'suspended' } });
    const res = await t.http
      .post('/auth/passkeys/login')
      .send({ response: laptop.assert(await signInOptions()) })
      .expect(401);
    expect(res.body.code).toBe('passkey_invalid');
  });

  it('malformed webauthn objects are 400 validation_failed, never 500', async () => {
    const user = await registered();
    const laptop = authenticator();
    await addPasskey(user.access, laptop);
    const good = laptop.assert(await signInOptions());
    const bad: unknown[] = [
      undefined,
      null,
      'a string',
      [],
      {},
      { ...good, id: 'not base64url!' },
      { ...good, type: 'password' },
      { ...good, response: 'x' },
      { ...good, response: { ...good.response, signature: 42 } },
      { ...good, response: { ...good.response, clientDataJSON: undefined } },
      { ...good, response: { ...good.response, extra: 1 } },
      { ...good, clientExtensionResults: 'x' },
      { ...good, unexpected: true },
    ];
    for (const response of bad) {
      const res = await t.http.post('/auth/passkeys/login').send({ response }).expect(400);
      expect(res.body.code).toBe('validation_failed');
    }
    // Well-formed but meaningless bytes: the challenge cannot be read (400 token_invalid), still no 500.
    const junk = { ...good, response: { ...good.response, clientDataJSON: 'AAAA' } };
    expect((await t.http.post('/auth/passkeys/login').send({ response: junk }).expect(400)).body.code).toBe('token_invalid');

    const login = await t.http.post('/auth/login').send({ email: user.email, password: user.password }).expect(200);
    for (const body of [
      { challenge: login.body.challenge, webauthn: {} },
      { challenge: login.body.challenge, webauthn: { ...good, rawId: 7 } },
      { challenge: login.body.challenge, webauthn: good, totp: '123456' },
      { challenge: login.body.challenge },
    ]) {
      const res = await t.http.post('/auth/mfa/verify').send(body).expect(400);
      expect(res.body.code).toBe('validation_failed');
    }
    // Authenticator data too short to parse, garbage signature: refused, not a crash.
    const garbage = laptop.assert(login.body.webauthn);
    const res = await t.http
      .post('/auth/mfa/verify')
      .send({ challenge: login.body.challenge, webauthn: { ...garbage, response: { ...garbage.response, authenticatorData: 'AAAA' } } })
      .expect(401);
    expect(res.body.code).toBe('invalid_second_factor');

    const registration = laptop.register(await registrationOptions(user.access));
    for (const response of [{ ...registration, response: { ...registration.response, attestationObject: 'AAAA' } }]) {
      const reg = await t.http
        .post('/auth/factors/passkeys')
        .set(...bearer(user.access))
        .send({ name: 'x', response })
        .expect(400);
      expect(reg.body.code).toBe('passkey_invalid');
    }
    // Transports are ASCII words: 32 astral characters are 32 code points (JSON Schema's maxLength)
    // but 64 UTF-16 units; the pattern refuses them both ways alike.
    const transports = (list: string[]) => ({ ...registration, response: { ...registration.response, transports: list } });
    for (const body of [
      { name: '', response: registration },
      { name: 'x' },
      { name: 'x', response: { ...registration, response: {} } },
      { name: 'x', response: transports(['\u{1F511}'.repeat(32)]) },
      { name: 'x', response: transports(['USB']) },
    ]) {
      const reg = await t.http
        .post('/auth/factors/passkeys')
        .set(...bearer(user.access))
        .send(body)
        .expect(400);
      expect(reg.body.code).toBe('validation_failed');
    }
  });

  it('OpenAPI: the passkey routes, their refusals, and WebAuthn objects open only where the browser adds keys', async () => {
    const doc = (await t.http.get('/docs/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, { 'x-refusals'?: Array<{ status: number; code: string }> }>>;
      components: { schemas: Record<string, { properties?: Record<string, Record<string, unknown>>; additionalProperties?: unknown }> };
    };
    const codes = (path: string, method: string) => (doc.paths[path]?.[method]?.['x-refusals'] ?? []).map((r) => `${r.status} ${r.code}`);
    expect(codes('/auth/factors/passkeys', 'post')).toEqual(
      expect.arrayContaining(['400 token_used', '400 passkey_invalid', '409 passkey_exists', '409 too_many_factors']),
    );
    expect(codes('/auth/passkeys/login', 'post')).toEqual(
      expect.arrayContaining(['400 token_wrong_purpose', '401 passkey_invalid', '403 email_not_verified']),
    );
    expect(codes('/auth/mfa/step-up', 'post')).toEqual(expect.arrayContaining(['400 validation_failed', '400 token_used']));
    for (const path of ['/auth/factors/passkeys/options', '/auth/passkeys/options', '/auth/mfa/step-up/options']) {
      expect(doc.paths[path]?.['post']).toBeDefined();
    }
    const assertion = doc.components.schemas['AuthenticationResponseDto'];
    expect(assertion.additionalProperties).toBe(false);
    expect(assertion.properties?.['clientExtensionResults']).toMatchObject({ additionalProperties: true });
    expect(doc.components.schemas['SecondFactorDto'].properties).toHaveProperty('webauthn');
  });

  describe('with AUTH_REQUIRE_VERIFIED_EMAIL', () => {
    const { dbName: strictDb } = testDatabase();
    let strict: AuthTestApp;

    beforeAll(async () => {
      strict = await startAuthTestApp(strictDb, { PUBLIC_URL: ORIGIN, AUTH_REQUIRE_VERIFIED_EMAIL: 'true' });
    });

    afterAll(() => strict?.close());

    it('a passkey of an unverified address is refused 403 email_not_verified, as a password would be', async () => {
      const input = newUser();
      await strict.http.post('/auth/register').send(input).expect(202);
      const users = strict.connection.collection('users');
      const filter = { email: input.email.toLowerCase() };
      await users.updateOne(filter, { $set: { emailVerifiedAt: new Date() } });
      const access = (await strict.http.post('/auth/login').send({ email: input.email, password: input.password }).expect(200)).body
        .accessToken as string;
      const laptop = authenticator();
      const creation = (
        await strict.http
          .post('/auth/factors/passkeys/options')
          .set(...bearer(access))
          .expect(200)
      ).body.options;
      await strict.http
        .post('/auth/factors/passkeys')
        .set(...bearer(access))
        .send({ name: 'Laptop', response: laptop.register(creation) })
        .expect(201);

      // As if the address changed and was not verified again.
      await users.updateOne(filter, { $unset: { emailVerifiedAt: '' } });
      const options = async () => (await strict.http.post('/auth/passkeys/options').expect(200)).body.options;
      const refused = await strict.http
        .post('/auth/passkeys/login')
        .send({ response: laptop.assert(await options()) })
        .expect(403);
      expect(refused.body.code).toBe('email_not_verified');
      await users.updateOne(filter, { $set: { emailVerifiedAt: new Date() } });
      await strict.http
        .post('/auth/passkeys/login')
        .send({ response: laptop.assert(await options()) })
        .expect(200);
    });
  });
});
