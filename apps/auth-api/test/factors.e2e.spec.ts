import { FactorSecretBox, FactorSecretError, type SealedSecret } from '@directory/credentials';
import { startSmtpCatcher, testDatabase, type SmtpCatcher } from '@directory/testing';
import { Types } from 'mongoose';
import { PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DEVELOPMENT_FACTOR_ENCRYPTION_KEY } from '../src/app/auth-settings';
import { Factors } from '../src/app/factors/factors.service';
import { RECOVERY_CODE_PATTERN } from '../src/app/factors/recovery-codes';
import { totpCode } from '../src/app/factors/totp';
import { startAuthTestApp, newUser, type AuthTestApp } from './support/auth-test-app';
import { bearer } from './support/jwt';

const STEP = 30_000;

/**
 * Second factors through the real HTTP API and a real database: TOTP enrolment with a code the
 * test computes from the otpauth:// URI, replay and time-window rules with a fake clock, recovery
 * codes, isolation between users, the admin view and reset (with its notice over real SMTP),
 * and the seed at rest: ciphertext that opens only with the key.
 */
describe('auth-api: second factors (TOTP, recovery codes)', () => {
  const { dbName } = testDatabase();
  let smtp: SmtpCatcher;
  let t: AuthTestApp;
  let factors: Factors;
  const logLines: string[] = [];
  /** Every seed an enrolment handed out: none may appear in any log line. */
  const seeds: string[] = [];

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    t = await startAuthTestApp(dbName, { SMTP_URL: smtp.url, OUTBOX_POLL_MS: '50', LOG_LEVEL: 'trace' });
    factors = t.app.get(Factors);
    const destination = (PinoLogger.root as unknown as Record<symbol, { write(chunk: string): boolean }>)[pino.symbols.streamSym];
    destination.write = (chunk: string) => {
      logLines.push(chunk);
      return true;
    };
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const server = () => t.app.getHttpServer();
  const events = () => t.connection.collection('events');

  async function registered() {
    const input = newUser();
    const res = await t.http.post('/auth/register').send(input).expect(201);
    return { ...input, email: input.email.toLowerCase(), id: res.body.user.id as string, access: res.body.accessToken as string };
  }

  async function enrol(access: string, name = 'Phone') {
    const res = await t.http
      .post('/auth/factors/totp')
      .set(...bearer(access))
      .send({ name })
      .expect(201);
    const uri = new URL(res.body.otpauthUri);
    const seed = uri.searchParams.get('secret') as string;
    seeds.push(seed);
    return { factorId: res.body.factorId as string, seed, uri, body: res.body };
  }

  const confirm = (access: string, factorId: string, code: string) =>
    t.http
      .post(`/auth/factors/totp/${factorId}/confirm`)
      .set(...bearer(access))
      .send({ code });

  const list = async (access: string) =>
    (
      await t.http
        .get('/auth/factors')
        .set(...bearer(access))
        .expect(200)
    ).body;

  /** A user with one active TOTP factor, confirmed now. */
  async function withTotp() {
    const user = await registered();
    const factor = await enrol(user.access);
    await confirm(user.access, factor.factorId, await totpCode(factor.seed, t.clock.now())).expect(204);
    // Leave the confirmation's step behind so each test starts on fresh steps.
    t.clock.advance(10 * STEP);
    return { user, ...factor };
  }

  it('enrol → pending factor, otpauth URI and SVG QR; a first valid code activates it; the list never shows the seed', async () => {
    const user = await registered();
    const { factorId, seed, uri, body } = await enrol(user.access, 'My phone');
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe(`/Directory:${user.email}`);
    expect(uri.searchParams.get('issuer')).toBe('Directory');
    expect(seed).toMatch(/^[A-Z2-7]{32}$/);
    expect(body.qrSvg).toMatch(/^<svg[\s\S]+<\/svg>\s*$/);
    expect(Object.keys(body).sort()).toEqual(['factorId', 'otpauthUri', 'qrSvg']);

    const pending = await list(user.access);
    expect(pending).toEqual({
      factors: [
        {
          id: factorId,
          type: 'totp',
          name: 'My phone',
          status: 'pending',
          createdAt: t.clock.now().toISOString(),
          confirmedAt: null,
          lastUsedAt: null,
        },
      ],
      recoveryCodes: null,
    });
    // Pending: not a way to sign in yet.
    expect(await factors.activeMethods(user.id)).toEqual([]);
    expect(await factors.verifyTotp(user.id, await totpCode(seed, t.clock.now()), t.clock.now())).toBe(false);

    const wrong = await confirm(user.access, factorId, (Number(await totpCode(seed, t.clock.now())) ^ 1).toString().padStart(6, '0'));
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('invalid_code');

    await confirm(user.access, factorId, await totpCode(seed, t.clock.now())).expect(204);
    const active = await list(user.access);
    expect(active.factors[0]).toMatchObject({ id: factorId, status: 'active', confirmedAt: t.clock.now().toISOString() });
    expect(JSON.stringify(active)).not.toContain(seed);
    expect(JSON.stringify(active)).not.toMatch(/ciphertext|keyId|"iv"|"tag"/);
    expect(await factors.activeMethods(user.id)).toEqual(['totp']);
    const again = await confirm(user.access, factorId, await totpCode(seed, t.clock.now()));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('factor_already_active');
    expect(await events().countDocuments({ kind: 'FactorEnrolled', factorType: 'totp', userId: new Types.ObjectId(user.id) })).toBe(1);
    expect(await events().countDocuments({ kind: 'FactorFailed', factorType: 'totp', userId: new Types.ObjectId(user.id) })).toBe(1);
  });

  it("the account's first factor ends its other sessions (password-only), the caller's own session goes on", async () => {
    const input = newUser();
    const reg = await t.http.post('/auth/register').send(input).expect(201);
    const elsewhere = await t.http.post('/auth/login').send({ email: input.email, password: input.password }).expect(200);
    const { factorId, seed } = await enrol(reg.body.accessToken);
    await confirm(reg.body.accessToken, factorId, await totpCode(seed, t.clock.now())).expect(204);
    await t.http.post('/auth/refresh').send({ refreshToken: elsewhere.body.refreshToken }).expect(401);
    await t.http.post('/auth/refresh').send({ refreshToken: reg.body.refreshToken }).expect(200);
  });

  it('the enrolling session carries the factor it just proved, and meets step-up like any other once it is stale', async () => {
    const input = newUser();
    const reg = await t.http.post('/auth/register').send(input).expect(201);
    const { factorId, seed } = await enrol(reg.body.accessToken);
    await confirm(reg.body.accessToken, factorId, await totpCode(seed, t.clock.now())).expect(204);
    const refreshed = await t.http.post('/auth/refresh').send({ refreshToken: reg.body.refreshToken }).expect(200);
    const claims = JSON.parse(Buffer.from(refreshed.body.accessToken.split('.')[1], 'base64url').toString('utf8'));
    expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(claims.auth_time).toBe(Math.floor(t.clock.now().getTime() / 1000));
    t.clock.advance(6 * 60_000);
    const later = await t.http.post('/auth/refresh').send({ refreshToken: refreshed.body.refreshToken }).expect(200);
    const stale = await request(server())
      .delete(`/auth/factors/${factorId}`)
      .set(...bearer(later.body.accessToken))
      .expect(401);
    expect(stale.body.code).toBe('step_up_required');
  });

  it('the stored seed is AES-256-GCM ciphertext under the configured key id, and opens only with that key', async () => {
    const user = await registered();
    const { factorId, seed } = await enrol(user.access);
    const stored = await t.connection.collection('factors').findOne({ _id: new Types.ObjectId(factorId) });
    const sealed = stored?.['secret'] as SealedSecret;
    expect(Object.keys(sealed).sort()).toEqual(['ciphertext', 'iv', 'keyId', 'tag']);
    expect(JSON.stringify(stored)).not.toContain(seed);
    expect(Buffer.from(sealed.ciphertext, 'base64').toString('latin1')).not.toContain(seed);
    const box = new FactorSecretBox(DEVELOPMENT_FACTOR_ENCRYPTION_KEY);
    expect(sealed.keyId).toBe(box.currentKeyId);
    expect(box.open(sealed, factorId)).toBe(seed);
    expect(() => new FactorSecretBox(randomBytes(32)).open(sealed, factorId)).toThrow(FactorSecretError);
    expect(() =>
      new FactorSecretBox(randomBytes(32), [DEVELOPMENT_FACTOR_ENCRYPTION_KEY]).open(sealed, new Types.ObjectId().toHexString()),
    ).toThrow(FactorSecretError);
  });

  it('a code is accepted once: the confirmation code and any later code cannot be replayed', async () => {
    const user = await registered();
    const { factorId, seed } = await enrol(user.access);
    const code = await totpCode(seed, t.clock.now());
    await confirm(user.access, factorId, code).expect(204);
    // The code that confirmed the factor is used up.
    expect(await factors.verifyTotp(user.id, code, t.clock.now())).toBe(false);
    t.clock.advance(STEP);
    const next = await totpCode(seed, t.clock.now());
    expect(await factors.verifyTotp(user.id, next, t.clock.now())).toBe(true);
    expect(await factors.verifyTotp(user.id, next, t.clock.now())).toBe(false);
    const stored = await t.connection.collection('factors').findOne({ _id: new Types.ObjectId(factorId) });
    expect(stored?.['lastUsedAt']).toEqual(t.clock.now());
    expect(await t.connection.collection('totpstepuses').countDocuments({ factorId: new Types.ObjectId(factorId) })).toBe(2);
  });

  it('±1 step is accepted, 2 steps away is refused', async () => {
    const { user, seed } = await withTotp();
    const now = () => t.clock.now();
    const at = (steps: number) => new Date(now().getTime() + steps * STEP);
    expect(await factors.verifyTotp(user.id, await totpCode(seed, at(-2)), now())).toBe(false);
    expect(await factors.verifyTotp(user.id, await totpCode(seed, at(2)), now())).toBe(false);
    expect(await factors.verifyTotp(user.id, await totpCode(seed, at(-1)), now())).toBe(true);
    expect(await factors.verifyTotp(user.id, await totpCode(seed, at(1)), now())).toBe(true);
    expect(await factors.verifyTotp(user.id, await totpCode(seed, now()), now())).toBe(true);
    // A code whose step was accepted as "next" stays used when its own step comes.
    const ahead = await totpCode(seed, at(1));
    t.clock.advance(STEP);
    expect(await factors.verifyTotp(user.id, ahead, now())).toBe(false);
    for (const bad of ['', '12345', 'abcdef', '1234567']) expect(await factors.verifyTotp(user.id, bad, now())).toBe(false);
  });

  it('twenty concurrent uses of one code: exactly one is accepted (a unique step insert decides)', async () => {
    const { user, seed } = await withTotp();
    const code = await totpCode(seed, t.clock.now());
    const results = await Promise.all(Array.from({ length: 20 }, () => factors.verifyTotp(user.id, code, t.clock.now())));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('recovery codes: need a factor; 10 distinct, each works once, regeneration kills the old set', async () => {
    const bare = await registered();
    const refused = await t.http
      .post('/auth/factors/recovery-codes')
      .set(...bearer(bare.access))
      .expect(409);
    expect(refused.body.code).toBe('factor_required');

    const { user } = await withTotp();
    const first = (
      await t.http
        .post('/auth/factors/recovery-codes')
        .set(...bearer(user.access))
        .expect(201)
    ).body.codes as string[];
    expect(first).toHaveLength(10);
    expect(new Set(first).size).toBe(10);
    for (const code of first) expect(code).toMatch(RECOVERY_CODE_PATTERN);
    // Only hashes are stored.
    const stored = JSON.stringify(
      await t.connection
        .collection('recoverycodes')
        .find({ userId: new Types.ObjectId(user.id) })
        .toArray(),
    );
    for (const code of first) expect(stored).not.toContain(code);
    expect((await list(user.access)).recoveryCodes).toEqual({ remaining: 10, generatedAt: t.clock.now().toISOString() });
    expect(await factors.activeMethods(user.id)).toEqual(['totp', 'recovery_code']);

    expect(await factors.useRecoveryCode(user.id, first[0], t.clock.now())).toBe(true);
    const notice = await smtp.waitForMail((m) => m.to === user.email && m.subject === 'A recovery code was used');
    expect(notice.text).toContain('recovery codes of your Directory account was used');
    expect(notice.text).not.toContain(first[0]);
    expect(await factors.useRecoveryCode(user.id, first[0], t.clock.now())).toBe(false);
    expect(await factors.useRecoveryCode(user.id, first[1].toUpperCase().replace(/-/g, ' '), t.clock.now())).toBe(true);
    expect(await factors.useRecoveryCode(user.id, 'aaaa-aaaa-aaaa', t.clock.now())).toBe(false);
    expect((await list(user.access)).recoveryCodes.remaining).toBe(8);
    // Another user cannot use them.
    const other = await registered();
    expect(await factors.useRecoveryCode(other.id, first[2], t.clock.now())).toBe(false);

    const second = (
      await t.http
        .post('/auth/factors/recovery-codes')
        .set(...bearer(user.access))
        .expect(201)
    ).body.codes as string[];
    expect(second.filter((code) => first.includes(code))).toEqual([]);
    for (const old of first.slice(2)) expect(await factors.useRecoveryCode(user.id, old, t.clock.now())).toBe(false);
    for (const code of second) expect(await factors.useRecoveryCode(user.id, code, t.clock.now())).toBe(true);
    for (const code of second) expect(await factors.useRecoveryCode(user.id, code, t.clock.now())).toBe(false);
    expect((await list(user.access)).recoveryCodes.remaining).toBe(0);
    expect(await t.connection.collection('outboxmessages').countDocuments({ to: user.email, template: 'recovery-code-used' })).toBe(12);
    // All used: nothing left to offer at login.
    expect(await factors.activeMethods(user.id)).toEqual(['totp']);
    const uid = new Types.ObjectId(user.id);
    expect(await events().countDocuments({ kind: 'FactorUsed', factorType: 'recovery_code', userId: uid })).toBe(12);
    expect(await events().countDocuments({ kind: 'FactorFailed', factorType: 'recovery_code', userId: uid })).toBe(2 + 8 + 10);
  });

  it('twenty concurrent uses of one recovery code: exactly one succeeds', async () => {
    const { user } = await withTotp();
    const [code] = await factors.generateRecoveryCodes(user.id, t.clock.now());
    const results = await Promise.all(Array.from({ length: 20 }, () => factors.useRecoveryCode(user.id, code, t.clock.now())));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("a user cannot see, confirm or remove another user's factor (404); removing one's own ends it and, last, the recovery codes", async () => {
    const { user: owner, factorId } = await withTotp();
    await factors.generateRecoveryCodes(owner.id, t.clock.now());
    const stranger = await registered();
    await request(server())
      .delete(`/auth/factors/${factorId}`)
      .set(...bearer(stranger.access))
      .expect(404);
    const confirmOther = await confirm(stranger.access, factorId, '123456');
    expect(confirmOther.status).toBe(404);
    expect((await list(stranger.access)).factors).toEqual([]);
    expect((await list(owner.access)).factors).toHaveLength(1);
    for (const bad of ['not-an-id', new Types.ObjectId().toHexString()]) {
      await request(server())
        .delete(`/auth/factors/${bad}`)
        .set(...bearer(owner.access))
        .expect(404);
    }
    await request(server()).delete(`/auth/factors/${factorId}`).expect(401);

    await request(server())
      .delete(`/auth/factors/${factorId}`)
      .set(...bearer(owner.access))
      .expect(204);
    expect(await list(owner.access)).toEqual({ factors: [], recoveryCodes: null });
    expect(await factors.activeMethods(owner.id)).toEqual([]);
    const uid = new Types.ObjectId(owner.id);
    expect(await events().countDocuments({ kind: 'FactorRemoved', factorType: 'totp', userId: uid })).toBe(1);
    expect(await events().countDocuments({ kind: 'FactorRemoved', factorType: 'recovery_code', userId: uid })).toBe(1);
  });

  it('removing a factor and new recovery codes need a fresh second factor once the account has one (step-up)', async () => {
    const { user, factorId, seed } = await withTotp();
    const challenge = await t.http.post('/auth/login').send({ email: user.email, password: user.password }).expect(200);
    expect(challenge.body).toMatchObject({ mfaRequired: true, methods: ['totp'] });
    const pair = await t.http
      .post('/auth/mfa/verify')
      .send({ challenge: challenge.body.challenge, totp: await totpCode(seed, t.clock.now()) })
      .expect(200);
    // Six minutes later (the step-up guard reads auth-api's clock): the factor is no longer fresh.
    t.clock.advance(6 * 60_000);
    const stale = await request(server())
      .delete(`/auth/factors/${factorId}`)
      .set(...bearer(pair.body.accessToken))
      .expect(401);
    expect(stale.body.code).toBe('step_up_required');
    const codes = await t.http
      .post('/auth/factors/recovery-codes')
      .set(...bearer(pair.body.accessToken))
      .expect(401);
    expect(codes.body.code).toBe('step_up_required');
    expect((await list(pair.body.accessToken)).factors).toHaveLength(1);

    t.clock.advance(STEP); // a fresh step for the next code
    const again = await t.http.post('/auth/login').send({ email: user.email, password: user.password }).expect(200);
    const fresh = await t.http
      .post('/auth/mfa/verify')
      .send({ challenge: again.body.challenge, totp: await totpCode(seed, t.clock.now()) })
      .expect(200);
    await t.http
      .post('/auth/factors/recovery-codes')
      .set(...bearer(fresh.body.accessToken))
      .expect(201);
    await request(server())
      .delete(`/auth/factors/${factorId}`)
      .set(...bearer(fresh.body.accessToken))
      .expect(204);
  });

  it('bad input is a 400 with a code, never a 500', async () => {
    const user = await registered();
    for (const body of [{}, { name: '' }, { name: 'x'.repeat(65) }, { name: { $gt: '' } }, { name: 'ok', extra: 1 }]) {
      const res = await t.http
        .post('/auth/factors/totp')
        .set(...bearer(user.access))
        .send(body);
      expect(res.status).toBe(400);
      expect(typeof res.body.code).toBe('string');
    }
    const { factorId } = await enrol(user.access);
    for (const code of ['12345', 'abcdef', 123456, '', '1234567']) {
      const res = await confirm(user.access, factorId, code as string);
      expect(res.status).toBe(400);
      expect(typeof res.body.code).toBe('string');
    }
    await t.http.post('/auth/factors/totp').send({ name: 'x' }).expect(401);
    await t.http.get('/auth/factors').expect(401);
  });

  it('every factor route is in the OpenAPI document, with its refusals', async () => {
    const doc = (await request(server()).get('/docs/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, { 'x-refusals'?: Array<{ code: string }> }>>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/auth/factors',
        '/auth/factors/totp',
        '/auth/factors/totp/{id}/confirm',
        '/auth/factors/{id}',
        '/auth/factors/recovery-codes',
        '/auth/admin/users/{id}/factors',
      ]),
    );
    const codes = (path: string, method: string) => (doc.paths[path][method]['x-refusals'] ?? []).map((r) => r.code);
    expect(codes('/auth/factors/totp/{id}/confirm', 'post')).toEqual(['invalid_code', 'factor_already_active']);
    expect(codes('/auth/factors/{id}', 'delete')).toEqual(['step_up_required']);
    expect(codes('/auth/factors/recovery-codes', 'post')).toEqual(['step_up_required', 'factor_required']);
  });

  it('a new enrolment replaces an unfinished one', async () => {
    const user = await registered();
    const first = await enrol(user.access);
    const second = await enrol(user.access);
    const factorsNow = (await list(user.access)).factors;
    expect(factorsNow.map((f: { id: string }) => f.id)).toEqual([second.factorId]);
    const stale = await confirm(user.access, first.factorId, await totpCode(first.seed, t.clock.now()));
    expect(stale.status).toBe(404);
  });

  describe('admin', () => {
    async function admin() {
      const input = newUser();
      const res = await t.http.post('/auth/register').send(input).expect(201);
      await t.connection
        .collection('users')
        .updateOne({ _id: new Types.ObjectId(res.body.user.id) }, { $set: { roles: ['member', 'admin'] } });
      const login = await t.http.post('/auth/login').send({ email: input.email, password: input.password }).expect(200);
      return { id: res.body.user.id as string, access: login.body.accessToken as string };
    }

    it("lists a user's factors without seeds; members may not", async () => {
      const { user, factorId, seed } = await withTotp();
      await factors.generateRecoveryCodes(user.id, t.clock.now());
      const boss = await admin();
      const res = await t.http
        .get(`/auth/admin/users/${user.id}/factors`)
        .set(...bearer(boss.access))
        .expect(200);
      expect(res.body.factors).toEqual([expect.objectContaining({ id: factorId, type: 'totp', status: 'active', name: 'Phone' })]);
      expect(res.body.recoveryCodes).toMatchObject({ remaining: 10 });
      expect(res.text).not.toContain(seed);
      expect(res.text).not.toMatch(/ciphertext|hash/);
      await t.http
        .get(`/auth/admin/users/${user.id}/factors`)
        .set(...bearer(user.access))
        .expect(403);
      await t.http
        .get(`/auth/admin/users/${new Types.ObjectId().toHexString()}/factors`)
        .set(...bearer(boss.access))
        .expect(404);
      await t.http
        .get('/auth/admin/users/nope/factors')
        .set(...bearer(boss.access))
        .expect(404);
    });

    it('reset removes every factor and recovery code, records who did it, and mails the user a notice', async () => {
      const { user, seed } = await withTotp();
      const codes = await factors.generateRecoveryCodes(user.id, t.clock.now());
      const boss = await admin();
      await request(server())
        .delete(`/auth/admin/users/${user.id}/factors`)
        .set(...bearer(user.access))
        .expect(403);
      await request(server())
        .delete(`/auth/admin/users/${user.id}/factors`)
        .set(...bearer(boss.access))
        .expect(204);
      expect(await list(user.access)).toEqual({ factors: [], recoveryCodes: null });
      expect(await factors.activeMethods(user.id)).toEqual([]);
      expect(await factors.verifyTotp(user.id, await totpCode(seed, t.clock.now()), t.clock.now())).toBe(false);
      expect(await factors.useRecoveryCode(user.id, codes[0], t.clock.now())).toBe(false);
      const reset = await events().findOne({ kind: 'FactorsReset', userId: new Types.ObjectId(user.id) });
      expect(reset?.['by']).toEqual(new Types.ObjectId(boss.id));
      const mail = await smtp.waitForMail((m) => m.to === user.email && m.subject === 'Your second factors were reset');
      expect(mail.text).toContain('An administrator removed the second factors');
      expect(mail.links).toEqual([]);
      await request(server())
        .delete(`/auth/admin/users/${new Types.ObjectId().toHexString()}/factors`)
        .set(...bearer(boss.access))
        .expect(404);
    });
  });

  it('no seed appears in any log line', () => {
    const log = logLines.join('');
    expect(log).toContain('"path":"/auth/factors/totp"'); // the capture works
    expect(seeds.length).toBeGreaterThan(5);
    expect(logLines.filter((line) => line.includes('"level":50'))).toEqual([]); // no 500 anywhere
    for (const seed of seeds) expect(log).not.toContain(seed);
  });
});
