import { startSmtpCatcher, testDatabase, type CaughtMail, type SmtpCatcher } from '@directory/testing';
import { Types } from 'mongoose';
import { startAuthTestApp, newUser, STRONG_PASSWORD, type AuthTestApp } from './support/auth-test-app';
import { bearer } from './support/jwt';

const NEW_PASSWORD = 'a quite different passphrase 77';
const MINUTE = 60_000;

/**
 * Account recovery and verification through a real SMTP server: each flow is driven the way a
 * person does it (request → mail arrives → its link's token → the API), and every refused
 * token (expired, used, wrong purpose, altered, stale) changes nothing.
 */
describe('auth-api: account flows by email (real SMTP)', () => {
  const { dbName } = testDatabase();
  let smtp: SmtpCatcher;
  let t: AuthTestApp;

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    t = await startAuthTestApp(dbName, { SMTP_URL: smtp.url, OUTBOX_POLL_MS: '50', PUBLIC_URL: 'https://directory.test' });
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const users = () => t.connection.collection('users');
  const outbox = () => t.connection.collection('outboxmessages');
  const events = () => t.connection.collection('events');

  const mailTo = (to: string, subject: string | RegExp): Promise<CaughtMail> =>
    smtp.waitForMail((m) => m.to === to && (typeof subject === 'string' ? m.subject === subject : subject.test(m.subject)));

  async function registered(overrides: Record<string, unknown> = {}) {
    const input = newUser(overrides);
    const res = await t.http.post('/auth/register').send(input).expect(201);
    return { ...input, email: input.email.toLowerCase(), id: res.body.user.id as string, body: res.body };
  }

  const login = (email: string, password: string) => t.http.post('/auth/login').send({ email, password });

  async function resetLinkFor(email: string): Promise<string> {
    const before = smtp.messages.length;
    await t.http.post('/auth/password/forgot').send({ email }).expect(202);
    const mail = await smtp.waitForMail((m) => m.to === email && m.subject === 'Reset your password' && smtp.messages.indexOf(m) >= before);
    return smtp.tokenFrom(mail);
  }

  it('registration mails a verification link; its token verifies the address once', async () => {
    const user = await registered();
    expect(user.body.verificationRequired).toBe(false);
    const mail = await mailTo(user.email, 'Confirm your email address');
    expect(mail.links[0]).toMatch(/^https:\/\/directory\.test\/account\/verify-email#token=[A-Za-z0-9_-]{43}$/);
    expect(mail.html).toContain('Confirm my email');
    const token = smtp.tokenFrom(mail);
    // Only a hash is stored: the token itself is nowhere in the database.
    const stored = await t.connection.collection('onetimetokens').findOne({ userId: new Types.ObjectId(user.id) });
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(JSON.stringify(await outbox().find({ to: user.email }).toArray())).not.toContain(token);

    await t.http.post('/auth/email/verify').send({ token }).expect(204);
    const verified = await users().findOne({ _id: new Types.ObjectId(user.id) });
    expect(verified?.['emailVerifiedAt']).toEqual(t.clock.now());
    expect(await events().countDocuments({ kind: 'EmailVerified', userId: new Types.ObjectId(user.id) })).toBe(1);
    const again = await t.http.post('/auth/email/verify').send({ token }).expect(400);
    expect(again.body.code).toBe('token_used');
    expect(await outbox().findOne({ to: user.email, template: 'email-verification' })).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('resend: a fresh link for the signed-in user; 409 once verified', async () => {
    const user = await registered();
    await mailTo(user.email, 'Confirm your email address');
    const access = user.body.accessToken as string;
    await t.http
      .post('/auth/email/verify/resend')
      .set(...bearer(access))
      .expect(202);
    await smtp.waitForMail((m) => m.to === user.email && smtp.messages.filter((x) => x.to === user.email).length === 2);
    const links = smtp.messages.filter((m) => m.to === user.email).map((m) => smtp.tokenFrom(m));
    expect(new Set(links).size).toBe(2);
    await t.http.post('/auth/email/verify').send({ token: links[1] }).expect(204);
    const verified = await t.http
      .post('/auth/email/verify/resend')
      .set(...bearer(access))
      .expect(409);
    expect(verified.body.code).toBe('email_already_verified');
    await t.http.post('/auth/email/verify/resend').expect(401);
  });

  it('forgot → mail → reset: new password works, old one and every session end, a notice is mailed, the lockout is cleared', async () => {
    const user = await registered();
    const oldRefresh = user.body.refreshToken as string;
    // Lock the (email, address) pair with wrong passwords first.
    for (let i = 0; i < 5; i += 1) await login(user.email, 'wrong password here 1').expect(401);
    await login(user.email, user.password).expect(429);

    const token = await resetLinkFor(user.email);
    await t.http.post('/auth/password/reset').send({ token, newPassword: NEW_PASSWORD }).expect(204);

    await login(user.email, user.password).expect(401);
    await login(user.email, NEW_PASSWORD).expect(200);
    const refresh = await t.http.post('/auth/refresh').send({ refreshToken: oldRefresh }).expect(401);
    expect(refresh.body.code).toBe('invalid_refresh_token');
    await t.http
      .get('/auth/me')
      .set(...bearer(user.body.accessToken))
      .expect(401);
    const notice = await mailTo(user.email, 'Your password was changed');
    expect(notice.links).toEqual([]);
    expect(await events().countDocuments({ kind: 'PasswordReset', userId: new Types.ObjectId(user.id) })).toBe(1);
  });

  it('a weak new password is refused without using the link up', async () => {
    const user = await registered();
    const token = await resetLinkFor(user.email);
    const weak = await t.http.post('/auth/password/reset').send({ token, newPassword: 'password' }).expect(400);
    expect(weak.body.code).toBe('weak_password');
    await t.http.post('/auth/password/reset').send({ token, newPassword: NEW_PASSWORD }).expect(204);
  });

  describe('refused tokens change nothing', () => {
    let user: Awaited<ReturnType<typeof registered>>;
    beforeEach(async () => {
      user = await registered();
    });

    async function expectRefused(body: Record<string, unknown>, code: string, path = '/auth/password/reset') {
      const res = await t.http.post(path).send(body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code });
      // Nothing changed: the old password still works, and no password change was recorded.
      await login(user.email, user.password).expect(200);
      expect(await events().countDocuments({ kind: 'PasswordReset', userId: new Types.ObjectId(user.id) })).toBe(0);
    }

    it('expired (reset links live 30 minutes) → token_expired', async () => {
      const token = await resetLinkFor(user.email);
      t.clock.advance(30 * MINUTE + 1000);
      await expectRefused({ token, newPassword: NEW_PASSWORD }, 'token_expired');
    });

    it('altered (one character changed) → token_invalid', async () => {
      const token = await resetLinkFor(user.email);
      const altered = `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;
      await expectRefused({ token: altered, newPassword: NEW_PASSWORD }, 'token_invalid');
      await expectRefused({ token: `${token}x`, newPassword: NEW_PASSWORD }, 'token_invalid');
    });

    it('wrong purpose (a verification link on the reset endpoint) → token_wrong_purpose, and it still verifies', async () => {
      const verification = smtp.tokenFrom(await mailTo(user.email, 'Confirm your email address'));
      await expectRefused({ token: verification, newPassword: NEW_PASSWORD }, 'token_wrong_purpose');
      await t.http.post('/auth/email/verify').send({ token: verification }).expect(204);
    });

    it('stale (the password changed by another path since the link was sent) → token_stale', async () => {
      const token = await resetLinkFor(user.email);
      t.clock.advance(1000);
      await t.http
        .post('/auth/password')
        .set(...bearer(user.body.accessToken))
        .send({ currentPassword: user.password, newPassword: 'changed another way 12345' })
        .expect(204);
      const res = await t.http.post('/auth/password/reset').send({ token, newPassword: NEW_PASSWORD }).expect(400);
      expect(res.body.code).toBe('token_stale');
      await login(user.email, 'changed another way 12345').expect(200);
    });

    it('reused → token_used', async () => {
      const token = await resetLinkFor(user.email);
      await t.http.post('/auth/password/reset').send({ token, newPassword: NEW_PASSWORD }).expect(204);
      const res = await t.http.post('/auth/password/reset').send({ token, newPassword: 'yet another passphrase 99' }).expect(400);
      expect(res.body.code).toBe('token_used');
      await login(user.email, NEW_PASSWORD).expect(200);
    });

    it('operators and wrong types → 400 validation_failed', async () => {
      for (const token of [{ $gt: '' }, ['a'], 42, '']) {
        const res = await t.http.post('/auth/password/reset').send({ token, newPassword: NEW_PASSWORD }).expect(400);
        expect(res.body.code).toBe('validation_failed');
      }
      const res = await t.http
        .post('/auth/password/forgot')
        .send({ email: { $ne: null } })
        .expect(400);
      expect(res.body.code).toBe('validation_failed');
    });
  });

  it('20 concurrent uses of one reset token → exactly one success', async () => {
    const user = await registered();
    const token = await resetLinkFor(user.email);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.http.post('/auth/password/reset').send({ token, newPassword: `${NEW_PASSWORD} ${i}` })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 204)).toHaveLength(1);
    expect(results.filter((r) => r.status === 400 && r.body.code === 'token_used')).toHaveLength(19);
    const winner = results.findIndex((r) => r.status === 204);
    await login(user.email, `${NEW_PASSWORD} ${winner}`).expect(200);
    expect(await events().countDocuments({ kind: 'PasswordReset', userId: new Types.ObjectId(user.id) })).toBe(1);
  });

  it('forgot: a known and an unknown address get the same status and body; only the known one gets mail', async () => {
    const user = await registered();
    const unknown = `nobody-${Date.now()}@example.com`;
    const known = await t.http.post('/auth/password/forgot').send({ email: user.email }).expect(202);
    const nobody = await t.http.post('/auth/password/forgot').send({ email: unknown }).expect(202);
    expect(nobody.body).toEqual(known.body);
    expect(Object.keys(nobody.headers).sort()).toEqual(Object.keys(known.headers).sort());
    await mailTo(user.email, 'Reset your password');
    // The unknown address's message is written like any other, then voided by the sender unsent.
    await waitFor(async () => (await outbox().findOne({ to: unknown }))?.['status'] === 'void');
    expect(await outbox().findOne({ to: unknown })).toMatchObject({ status: 'void', lastError: 'no account has this address' });
    expect(smtp.messages.some((m) => m.to === unknown)).toBe(false);
  });

  it('forgot: at most AUTH_MAILS_PER_HOUR (5) mails per address and hour, every request still 202', async () => {
    const user = await registered();
    for (let i = 0; i < 7; i += 1) await t.http.post('/auth/password/forgot').send({ email: user.email.toUpperCase() }).expect(202);
    expect(await outbox().countDocuments({ to: user.email, template: 'password-reset' })).toBe(5);
    t.clock.advance(61 * MINUTE);
    await t.http.post('/auth/password/forgot').send({ email: user.email }).expect(202);
    expect(await outbox().countDocuments({ to: user.email, template: 'password-reset' })).toBe(6);
  });

  it('invitation (as users-api queues it) → accept: active, verified, can log in; a re-invitation kills the older link', async () => {
    const _id = new Types.ObjectId();
    const email = `invited-${Date.now()}@example.com`;
    const firstAt = new Date(t.clock.now().getTime() - 1000);
    await outbox().insertOne(invitationMessage(_id, email, firstAt, t.clock.now()));
    await insertInvited(_id, email, firstAt);
    const first = smtp.tokenFrom(await mailTo(email, 'You are invited to Directory'));

    const secondAt = t.clock.now();
    await outbox().insertOne(invitationMessage(_id, email, secondAt, t.clock.now()));
    await users().updateOne({ _id }, { $set: { invitedAt: secondAt } });
    const second = await smtp.waitForMail((m) => m.to === email && smtp.tokenFrom(m) !== first);

    const stale = await t.http.post('/auth/invitations/accept').send({ token: first, password: STRONG_PASSWORD }).expect(400);
    expect(stale.body.code).toBe('token_stale');
    const accepted = await t.http
      .post('/auth/invitations/accept')
      .send({ token: smtp.tokenFrom(second), password: STRONG_PASSWORD })
      .expect(200);
    expect(accepted.body).toMatchObject({ id: _id.toHexString(), email, status: 'active' });
    const stored = await users().findOne({ _id });
    expect(stored).toMatchObject({ status: 'active', emailVerifiedAt: t.clock.now() });
    expect(stored?.['invitedAt']).toBeUndefined();
    await login(email, STRONG_PASSWORD).expect(200);
    expect(await events().countDocuments({ kind: 'InvitationAccepted', userId: _id })).toBe(1);
  });

  it('email change (as users-api queues it) → confirm: changed and verified, every session ends; 409 if taken meanwhile', async () => {
    const user = await registered();
    const userId = new Types.ObjectId(user.id);
    const next = `moved-${Date.now()}@example.com`;
    await queueEmailChange(userId, user.email, next);
    const token = smtp.tokenFrom(await mailTo(next, 'Confirm your new email address'));
    expect((await mailTo(user.email, 'Your email address is about to change')).text).toContain(next);

    await t.http.post('/auth/email/confirm-change').send({ token }).expect(204);
    expect(await users().findOne({ _id: userId })).toMatchObject({ email: next, emailVerifiedAt: t.clock.now() });
    await t.http.post('/auth/refresh').send({ refreshToken: user.body.refreshToken }).expect(401);
    await login(next, user.password).expect(200);
    expect(await events().countDocuments({ kind: 'EmailChanged', userId })).toBe(1);

    // Taken meanwhile: 409, nothing changes, the link stays unused.
    const other = await registered();
    const wanted = `wanted-${Date.now()}@example.com`;
    await queueEmailChange(new Types.ObjectId(other.id), other.email, wanted);
    const second = smtp.tokenFrom(await mailTo(wanted, 'Confirm your new email address'));
    const squatter = await registered({ email: wanted });
    const taken = await t.http.post('/auth/email/confirm-change').send({ token: second }).expect(409);
    expect(taken.body.code).toBe('email_taken');
    expect(await users().findOne({ _id: new Types.ObjectId(other.id) })).toMatchObject({ email: other.email });
    expect(squatter.email).toBe(wanted);
  });

  it('a verification link dies when the email changes', async () => {
    const user = await registered();
    const verification = smtp.tokenFrom(await mailTo(user.email, 'Confirm your email address'));
    await users().updateOne({ _id: new Types.ObjectId(user.id) }, { $set: { email: `changed-${Date.now()}@example.com` } });
    const res = await t.http.post('/auth/email/verify').send({ token: verification }).expect(400);
    expect(res.body.code).toBe('token_stale');
  });

  async function queueEmailChange(userId: Types.ObjectId, from: string, to: string): Promise<void> {
    const now = t.clock.now();
    const base = { userId, status: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now, updatedAt: now };
    await outbox().insertMany([
      { ...base, template: 'email-change-confirmation', to, params: { fromEmail: from } },
      { ...base, template: 'email-change-notice', to: from, params: { fromEmail: from, toEmail: to } },
    ]);
  }

  async function insertInvited(_id: Types.ObjectId, email: string, invitedAt: Date): Promise<void> {
    const { connection } = t;
    const User = connection.models['User'] ?? connection.model('User');
    await User.create({ _id, email, name: { first: 'Grace', last: 'Hopper' }, status: 'invited', invitedAt });
  }

  function invitationMessage(userId: Types.ObjectId, to: string, invitedAt: Date, now: Date) {
    return {
      template: 'invitation',
      to,
      userId,
      params: { invitedAt },
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
    };
  }
});

describe('auth-api: AUTH_REQUIRE_VERIFIED_EMAIL=true', () => {
  const { dbName } = testDatabase();
  let smtp: SmtpCatcher;
  let t: AuthTestApp;

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    t = await startAuthTestApp(dbName, { SMTP_URL: smtp.url, OUTBOX_POLL_MS: '50', AUTH_REQUIRE_VERIFIED_EMAIL: 'true' });
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('registration signs nobody in; login is 403 email_not_verified (only with the right password) until the link is followed', async () => {
    const input = newUser();
    const email = input.email.toLowerCase();
    const res = await t.http.post('/auth/register').send(input).expect(202);
    expect(res.body).toEqual({ verificationRequired: true, message: expect.stringContaining('Check your inbox') });

    const refused = await t.http.post('/auth/login').send({ email, password: input.password }).expect(403);
    expect(refused.body.code).toBe('email_not_verified');
    // A wrong password gets the ordinary 401: the 403 tells nothing to someone without the password.
    expect((await t.http.post('/auth/login').send({ email, password: 'wrong password here 1' }).expect(401)).body.code).toBe(
      'invalid_credentials',
    );

    const mail = await smtp.waitForMail((m) => m.to === email);
    await t.http
      .post('/auth/email/verify')
      .send({ token: smtp.tokenFrom(mail) })
      .expect(204);
    await t.http.post('/auth/login').send({ email, password: input.password }).expect(200);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
