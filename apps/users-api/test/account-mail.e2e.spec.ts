import { EventKind, MailTemplate, ModelName, OutboxStatus } from '@directory/schemas';
import { startSmtpCatcher, type CaughtMail, type SmtpCatcher } from '@directory/testing';
import { Types } from 'mongoose';
import request from 'supertest';
import { seedUsers } from './support/seed-users';
import { startUsersApi, type RegisteredUser, type UsersTestContext } from './support/users-test-app';

const NEW_PASSWORD = 'a brand new passphrase 42';
const SUBJECT = {
  invitation: 'You are invited to Directory',
  reset: 'Reset your password',
  confirmChange: 'Confirm your new email address',
  changeNotice: 'Your email address is about to change',
} as const;

interface UserBody {
  id: string;
  email: string;
  status: string;
  emailVerified: boolean;
  version: number;
  invitedAt?: string;
  invitedBy?: string;
  pendingEmail?: string;
  title?: string | null;
}

/**
 * The users-api halves of the account-by-email flows, end to end: users-api writes outbox
 * messages, the BUILT auth-api (a child process, its sender pointed at a real SMTP server in
 * this process) delivers them, and the test follows the delivered link over HTTP.
 */
describe('invitations, admin-triggered resets, email change and mail views (real SMTP)', () => {
  let smtp: SmtpCatcher;
  let ctx: UsersTestContext;
  let member: RegisteredUser;
  let admin: RegisteredUser;
  let seq = 0;

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    ctx = await startUsersApi({}, { SMTP_URL: smtp.url, OUTBOX_POLL_MS: '100', OUTBOX_BACKOFF_MS: '100' });
    member = await ctx.auth.register({ name: { first: 'Mel', last: 'Member' } });
    admin = await ctx.auth.registerAdmin({ name: { first: 'Ada', last: 'Admin' } });
  });

  afterAll(async () => {
    await ctx?.close();
    await smtp?.close();
  });

  const asMember = () => ctx.as(member.accessToken);
  const asAdmin = () => ctx.as(admin.accessToken);
  const address = (tag: string) => `${tag}-${++seq}-${Date.now().toString(36)}@example.com`;
  const authPost = async (path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
    const res = await fetch(`${ctx.auth.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  /** The next mail to `to` with `subject` that arrived after `after` (a mail already seen, or none). */
  const mailTo = (to: string, subject: string, after?: CaughtMail) =>
    smtp.waitForMail((m) => m.to === to && m.subject === subject && m.n > (after?.n ?? 0), 20_000);
  const eventsOf = (userId: string, kind: string) =>
    ctx.connection
      .model(ModelName.Event)
      .find({ userId: new Types.ObjectId(userId), kind })
      .lean<Array<Record<string, unknown>>>();
  const outboxTo = (to: string) => ctx.connection.model(ModelName.OutboxMessage).find({ to }).lean<Array<Record<string, unknown>>>();
  const invite = (email: string, extra: Record<string, unknown> = {}) =>
    asAdmin()
      .post('/users/invitations')
      .send({ email, name: { first: 'Grace', last: 'Hopper' }, ...extra });
  const meVersion = async (token: string) => (await ctx.as(token).get('/users/me').expect(200)).body.version as number;

  describe('invitations', () => {
    it('invite → the mail arrives → accept on auth-api → active, verified, can log in, visible to members', async () => {
      const email = address('invitee');
      const res = await invite(email, { department: 'Research', title: 'Rear Admiral' }).expect(201);
      const invited = res.body as UserBody;
      expect(invited).toMatchObject({ email, status: 'invited', emailVerified: false, invitedBy: admin.id, title: 'Rear Admiral' });
      expect(Date.parse(invited.invitedAt ?? '')).not.toBeNaN();

      // Hidden from members everywhere; admins see it.
      await asMember().get(`/users/${invited.id}`).expect(404);
      const search = await asMember().get('/users?q=Hopper').expect(200);
      expect((search.body.items as UserBody[]).map((u) => u.id)).not.toContain(invited.id);
      expect((await asMember().get(`/users?ids=${invited.id}`).expect(200)).body.items).toEqual([]);
      expect((await asMember().get('/users?status=invited').expect(403)).body.code).toBe('forbidden');
      expect((await asAdmin().get(`/users/${invited.id}`).expect(200)).body).toMatchObject({ status: 'invited' });
      const pending = await asAdmin().get('/users?status=invited&limit=100').expect(200);
      expect((pending.body.items as UserBody[]).map((u) => u.id)).toContain(invited.id);
      const listed = await asAdmin().get('/users/invitations?limit=100').expect(200);
      expect((listed.body.items as UserBody[]).map((u) => u.id)).toContain(invited.id);

      const mail = await mailTo(email, SUBJECT.invitation);
      expect(mail.links[0]).toContain('/account/accept-invitation#token=');
      const token = smtp.tokenFrom(mail);
      // No secret in the outbox: the message holds who and which instant, never the token.
      const [stored] = await outboxTo(email);
      expect(JSON.stringify(stored)).not.toContain(token);

      const accepted = await authPost('/auth/invitations/accept', { token, password: NEW_PASSWORD });
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ id: invited.id, status: 'active', emailVerified: true });
      const session = await ctx.auth.login(email, NEW_PASSWORD);
      expect((await ctx.as(session.accessToken).get('/users/me').expect(200)).body).toMatchObject({
        status: 'active',
        emailVerified: true,
      });
      expect((await asMember().get(`/users/${invited.id}`).expect(200)).body).toMatchObject({ status: 'active', department: 'Research' });
      expect((await asAdmin().get(`/users/${invited.id}`).expect(200)).body).not.toHaveProperty('invitedAt');
      // The link works once.
      expect((await authPost('/auth/invitations/accept', { token, password: NEW_PASSWORD })).status).toBe(400);

      const [event] = await eventsOf(invited.id, EventKind.UserInvited);
      expect(String(event?.['by'])).toBe(admin.id);
      const requested = await eventsOf(invited.id, EventKind.MailRequested);
      expect(requested.map((e) => e['template'])).toEqual([MailTemplate.Invitation]);
      const mails = await asAdmin().get(`/users/${invited.id}/mail`).expect(200);
      expect(mails.body.items).toEqual([
        expect.objectContaining({ template: 'invitation', to: email, userId: invited.id, status: 'sent', attempts: 1, lastError: null }),
      ]);
      expect(mails.body.items[0]).not.toHaveProperty('params');
      expect(Date.parse(mails.body.items[0].sentAt)).not.toBeNaN();
    });

    it('an address another account has → 409 email_taken; no user, no message', async () => {
      const before = await ctx.users.countDocuments({});
      const res = await invite(member.email.toUpperCase()).expect(409);
      expect(res.body.code).toBe('email_taken');
      expect(await ctx.users.countDocuments({})).toBe(before);
      expect((await outboxTo(member.email)).filter((m) => m['template'] === MailTemplate.Invitation)).toEqual([]);
    });

    it('two concurrent invitations of one new address: one 201, one 409 email_taken, one user (the unique email index decides)', async () => {
      const email = address('race');
      const results = await Promise.all([invite(email), invite(email)]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(results.find((r) => r.status === 409)?.body.code).toBe('email_taken');
      expect(await ctx.users.countDocuments({ email })).toBe(1);
      // The loser's message names a user that was never created: it can never become a link (it voids at send time).
      const winner = results.find((r) => r.status === 201)?.body as UserBody;
      const messages = await outboxTo(email);
      expect(messages).toHaveLength(2);
      expect(messages.filter((m) => String(m['userId']) === winner.id)).toHaveLength(1);
      const existing = await Promise.all(messages.map((m) => ctx.users.exists({ _id: m['userId'] })));
      expect(existing.filter(Boolean)).toHaveLength(1);
    });

    it('GET /users/invitations pages through pending invitations only, in name order', async () => {
      const tag = `Pend${Date.now().toString(36)}`;
      const emails = [address('page-a'), address('page-b'), address('page-c')];
      for (const [i, email] of emails.entries()) await invite(email, { name: { first: `${tag}${i}`, last: 'Aaaa' } }).expect(201);
      const seen: UserBody[] = [];
      let after: string | null = null;
      do {
        const cursor: string = after ? `&after=${after}` : '';
        const res = await asAdmin().get(`/users/invitations?limit=2${cursor}`).expect(200);
        seen.push(...(res.body.items as UserBody[]));
        after = res.body.nextCursor;
      } while (after);
      expect(seen.every((u) => u.status === 'invited' && typeof u.invitedAt === 'string')).toBe(true);
      const ours = seen.filter((u) => emails.includes(u.email)).map((u) => u.email);
      expect(ours).toEqual(emails);
      await asAdmin().get('/users/invitations?after=garbage').expect(400);
      await asAdmin().get('/users/invitations?status=active').expect(400);
    });

    it('re-inviting sends a fresh link and kills the old one (resend endpoint and POST with the same address)', async () => {
      const email = address('reinvite');
      const first = (await invite(email).expect(201)).body as UserBody;
      const mail1 = await mailTo(email, SUBJECT.invitation);

      const resent = (await asAdmin().post(`/users/invitations/${first.id}/resend`).expect(200)).body as UserBody;
      expect(Date.parse(resent.invitedAt ?? '')).toBeGreaterThan(Date.parse(first.invitedAt ?? ''));
      const mail2 = await mailTo(email, SUBJECT.invitation, mail1);
      const stale = await authPost('/auth/invitations/accept', { token: smtp.tokenFrom(mail1), password: NEW_PASSWORD });
      expect([stale.status, stale.body['code']]).toEqual([400, 'token_stale']);

      // The same address through POST again: 200, the body's profile applied, another fresh link.
      const again = await invite(email, { title: 'Captain', roles: ['member', 'admin'] }).expect(200);
      expect(again.body).toMatchObject({ id: first.id, status: 'invited', title: 'Captain', roles: ['member', 'admin'] });
      const mail3 = await mailTo(email, SUBJECT.invitation, mail2);
      const stale2 = await authPost('/auth/invitations/accept', { token: smtp.tokenFrom(mail2), password: NEW_PASSWORD });
      expect([stale2.status, stale2.body['code']]).toEqual([400, 'token_stale']);
      expect((await authPost('/auth/invitations/accept', { token: smtp.tokenFrom(mail3), password: NEW_PASSWORD })).status).toBe(200);
      expect(await eventsOf(first.id, EventKind.UserInvited)).toHaveLength(3);
      // Accepted: nothing left to resend or revoke.
      expect((await asAdmin().post(`/users/invitations/${first.id}/resend`).expect(409)).body.code).toBe('not_invited');
      expect((await invite(email).expect(409)).body.code).toBe('email_taken');
    });

    it('revoking: the user is deleted, the link → 400, a second revoke 409; unknown 404', async () => {
      const email = address('revoked');
      const invited = (await invite(email).expect(201)).body as UserBody;
      const mail = await mailTo(email, SUBJECT.invitation);
      await asAdmin().delete(`/users/invitations/${invited.id}`).expect(204);
      const refused = await authPost('/auth/invitations/accept', { token: smtp.tokenFrom(mail), password: NEW_PASSWORD });
      expect([refused.status, refused.body['code']]).toEqual([400, 'token_stale']);
      await asAdmin().get(`/users/${invited.id}`).expect(404);
      const stored = await ctx.users.findById(invited.id).lean();
      expect(stored).toMatchObject({ status: 'deleted' });
      expect(stored?.invitedAt).toBeUndefined();
      const [changed] = await eventsOf(invited.id, EventKind.StatusChanged);
      expect(changed).toMatchObject({ from: 'invited', to: 'deleted' });
      expect(String(changed?.['by'])).toBe(admin.id);

      expect((await asAdmin().delete(`/users/invitations/${invited.id}`).expect(409)).body.code).toBe('not_invited');
      expect((await asAdmin().post(`/users/invitations/${invited.id}/resend`).expect(409)).body.code).toBe('not_invited');
      expect((await asAdmin().delete(`/users/invitations/${member.id}`).expect(409)).body.code).toBe('not_invited');
      await asAdmin().delete(`/users/invitations/${new Types.ObjectId().toHexString()}`).expect(404);
      await asAdmin().delete('/users/invitations/nope').expect(400);
    });

    it('an admin PATCH cannot make a pending invitation active, nor set status invited', async () => {
      const invited = (await invite(address('patched')).expect(201)).body as UserBody;
      expect((await asAdmin().patch(`/users/${invited.id}`).send({ status: 'active' }).expect(409)).body.code).toBe('invitation_pending');
      await asAdmin().patch(`/users/${member.id}`).send({ status: 'invited' }).expect(400);
      expect((await asAdmin().get(`/users/${member.id}`).expect(200)).body.status).toBe('active');
      // Other fields of an invitation may be edited.
      await asAdmin().patch(`/users/${invited.id}`).send({ title: 'Engineer' }).expect(200);
    });

    it.each([
      ['an operator as the email', { email: { $gt: '' }, name: { first: 'A', last: 'B' } }],
      ['not an email', { email: 'nobody', name: { first: 'A', last: 'B' } }],
      ['no name', { email: 'noname@example.com' }],
      ['a blank name', { email: 'blank@example.com', name: { first: ' ', last: 'B' } }],
      ['an unknown role', { email: 'role@example.com', name: { first: 'A', last: 'B' }, roles: ['root'] }],
      ['a password', { email: 'pw@example.com', name: { first: 'A', last: 'B' }, password: 'hunter2hunter2' }],
      ['a status', { email: 'st@example.com', name: { first: 'A', last: 'B' }, status: 'active' }],
      ['an operator as the manager', { email: 'mgr@example.com', name: { first: 'A', last: 'B' }, managerId: { $ne: null } }],
    ])('POST /users/invitations with %s → 400, nothing created', async (_name, body) => {
      const before = await ctx.users.countDocuments({});
      const outboxBefore = await ctx.connection.model(ModelName.OutboxMessage).countDocuments({});
      const res = await asAdmin().post('/users/invitations').send(body).expect(400);
      expect(typeof res.body.code).toBe('string');
      expect(await ctx.users.countDocuments({})).toBe(before);
      expect(await ctx.connection.model(ModelName.OutboxMessage).countDocuments({})).toBe(outboxBefore);
    });

    it('a manager that names no user → 400 invalid_manager', async () => {
      const res = await invite(address('managed'), { managerId: new Types.ObjectId().toHexString() }).expect(400);
      expect(res.body.code).toBe('invalid_manager');
    });

    it.each([
      [
        'POST /users/invitations',
        () =>
          asMember()
            .post('/users/invitations')
            .send({ email: 'x@example.com', name: { first: 'A', last: 'B' } }),
      ],
      ['GET /users/invitations', () => asMember().get('/users/invitations')],
      ['POST /users/invitations/:id/resend', () => asMember().post(`/users/invitations/${member.id}/resend`)],
      ['DELETE /users/invitations/:id', () => asMember().delete(`/users/invitations/${member.id}`)],
      ['POST /users/:id/password-reset', () => asMember().post(`/users/${member.id}/password-reset`)],
      ['GET /users/:id/mail', () => asMember().get(`/users/${member.id}/mail`)],
      ['GET /users/mail', () => asMember().get('/users/mail')],
    ])('a member on %s → 403', async (_name, call) => {
      expect((await call().expect(403)).body.code).toBe('forbidden');
    });
  });

  describe('admin-triggered password reset', () => {
    it('202 → the user gets a reset link → new password works, the old one does not; the admin sees no secret', async () => {
      const user = await ctx.auth.register({ email: address('forgetful') });
      const res = await asAdmin().post(`/users/${user.id}/password-reset`).expect(202);
      expect(res.body).toEqual({});
      const mail = await mailTo(user.email, SUBJECT.reset);
      expect(mail.links[0]).toContain('/account/reset-password#token=');
      const reset = await authPost('/auth/password/reset', { token: smtp.tokenFrom(mail), newPassword: NEW_PASSWORD });
      expect(reset.status).toBe(204);
      await ctx.auth.login(user.email, NEW_PASSWORD);
      await expect(ctx.auth.login(user.email, user.password)).rejects.toThrow();
      const [message] = (await outboxTo(user.email)).filter((m) => m['template'] === MailTemplate.PasswordReset);
      expect(String((message?.['params'] as Record<string, unknown>)['requestedBy'])).toBe(admin.id);
      expect((await eventsOf(user.id, EventKind.MailRequested)).map((e) => e['template'])).toContain(MailTemplate.PasswordReset);
    });

    it('unknown user 404; invited or suspended 409 not_active; bad id 400', async () => {
      await asAdmin().post(`/users/${new Types.ObjectId().toHexString()}/password-reset`).expect(404);
      await asAdmin().post('/users/zzz/password-reset').expect(400);
      const invited = (await invite(address('not-yet')).expect(201)).body as UserBody;
      expect((await asAdmin().post(`/users/${invited.id}/password-reset`).expect(409)).body.code).toBe('not_active');
      const [suspended] = await seedUsers(ctx.users, [{ first: 'Sus', last: 'Pended', status: 'suspended' }], 'suspended');
      expect((await asAdmin().post(`/users/${suspended.toHexString()}/password-reset`).expect(409)).body.code).toBe('not_active');
    });
  });

  describe('email change', () => {
    it('PATCH /users/me with a new email: 200 with pendingEmail, email unchanged, other fields applied; both mails; confirm → changed', async () => {
      const user = await ctx.auth.register({ email: address('mover') });
      const wanted = address('moved');
      const version = await meVersion(user.accessToken);
      const res = await ctx
        .as(user.accessToken)
        .patch('/users/me')
        .set('If-Match', `"${version}"`)
        .send({ email: wanted.toUpperCase(), title: 'Relocated' })
        .expect(200);
      expect(res.body).toMatchObject({ email: user.email, pendingEmail: wanted, title: 'Relocated', version: version + 1 });
      expect(res.headers['etag']).toBe(`"${version + 1}"`);
      expect((await ctx.users.findById(user.id).lean())?.email).toBe(user.email);

      const confirmation = await mailTo(wanted, SUBJECT.confirmChange);
      const notice = await mailTo(user.email, SUBJECT.changeNotice);
      expect(notice.text).toContain(wanted);
      expect(notice.links.join(' ')).not.toContain('#token=');
      expect(confirmation.links[0]).toContain('/account/confirm-email-change#token=');
      expect((await authPost('/auth/email/confirm-change', { token: smtp.tokenFrom(confirmation) })).status).toBe(204);

      const after = (await asAdmin().get(`/users/${user.id}`).expect(200)).body as UserBody;
      expect(after).toMatchObject({ email: wanted, emailVerified: true });
      await ctx.auth.login(wanted, user.password);
      expect((await eventsOf(user.id, EventKind.ProfileUpdated)).map((e) => e['fields'])).toEqual([['title']]);
    });

    it('email only: the profile is not otherwise changed; the same address alone is an empty update', async () => {
      const user = await ctx.auth.register({ email: address('only') });
      const version = await meVersion(user.accessToken);
      const wanted = address('only-new');
      const res = await ctx.as(user.accessToken).patch('/users/me').set('If-Match', `"${version}"`).send({ email: wanted }).expect(200);
      expect(res.body).toMatchObject({ email: user.email, pendingEmail: wanted });
      expect(await eventsOf(user.id, EventKind.ProfileUpdated)).toEqual([]);
      await mailTo(wanted, SUBJECT.confirmChange);
      const same = await ctx
        .as(user.accessToken)
        .patch('/users/me')
        .set('If-Match', `"${res.body.version}"`)
        .send({ email: user.email })
        .expect(400);
      expect(same.body.code).toBe('empty_update');
      // A stale version: 409 and no mail.
      const stale = await ctx
        .as(user.accessToken)
        .patch('/users/me')
        .set('If-Match', `"${version}"`)
        .send({ email: address('never') })
        .expect(409);
      expect(stale.body.code).toBe('version_conflict');
    });

    it('an address another account has → 409 email_taken, nothing changed, no mail', async () => {
      const user = await ctx.auth.register({ email: address('blocked') });
      const version = await meVersion(user.accessToken);
      const res = await ctx
        .as(user.accessToken)
        .patch('/users/me')
        .set('If-Match', `"${version}"`)
        .send({ email: member.email, title: 'X' });
      expect([res.status, res.body.code]).toEqual([409, 'email_taken']);
      expect(await meVersion(user.accessToken)).toBe(version);
      expect((await outboxTo(member.email)).filter((m) => m['template'] === MailTemplate.EmailChangeConfirmation)).toEqual([]);
    });

    it('taken meanwhile: the confirmation → 409 email_taken and the email stays', async () => {
      const user = await ctx.auth.register({ email: address('racer') });
      const wanted = address('contested');
      const version = await meVersion(user.accessToken);
      await ctx.as(user.accessToken).patch('/users/me').set('If-Match', `"${version}"`).send({ email: wanted }).expect(200);
      const confirmation = await mailTo(wanted, SUBJECT.confirmChange);
      await ctx.auth.register({ email: wanted });
      const res = await authPost('/auth/email/confirm-change', { token: smtp.tokenFrom(confirmation) });
      expect([res.status, res.body['code']]).toEqual([409, 'email_taken']);
      expect((await ctx.users.findById(user.id).lean())?.email).toBe(user.email);
    });

    it.each([
      ['an operator as the email', { email: { $gt: '' } }],
      ['not an email', { email: 'not-an-email' }],
      ['a null email', { email: null }],
      ['roles', { roles: ['admin'] }],
      ['roles next to an email', { email: 'fine@example.com', roles: ['admin'] }],
      ['an unknown field', { emailVerifiedAt: '2026-01-01T00:00:00Z' }],
    ])("a member's PATCH /users/me with %s → 400, nothing changed, no mail", async (_name, body) => {
      const outboxBefore = await ctx.connection.model(ModelName.OutboxMessage).countDocuments({});
      const version = await meVersion(member.accessToken);
      const res = await asMember().patch('/users/me').set('If-Match', `"${version}"`).send(body).expect(400);
      expect(typeof res.body.code).toBe('string');
      const me = (await asMember().get('/users/me').expect(200)).body as UserBody & { roles: string[] };
      expect(me).toMatchObject({ email: member.email, roles: ['member'], version });
      expect(await ctx.connection.model(ModelName.OutboxMessage).countDocuments({})).toBe(outboxBefore);
    });
  });

  describe('verification in the directory', () => {
    it('every view carries emailVerified; admins filter by it; members may not (403); not with ids (400)', async () => {
      const tag = `Verif${Date.now().toString(36)}`;
      const [yes, no] = await seedUsers(
        ctx.users,
        [
          { first: tag, last: 'Yes' },
          { first: tag, last: 'No' },
        ],
        'verif',
      );
      await ctx.users.updateOne({ _id: yes }, { $set: { emailVerifiedAt: new Date() } });
      const ids = (res: { body: { items: UserBody[] } }) => res.body.items.map((u) => u.id);
      const verified = await asAdmin().get(`/users?q=${tag}&verified=true`).expect(200);
      expect(ids(verified)).toEqual([yes.toHexString()]);
      expect(verified.body.items[0].emailVerified).toBe(true);
      const unverified = await asAdmin().get(`/users?q=${tag}&verified=false`).expect(200);
      expect(ids(unverified)).toEqual([no.toHexString()]);
      expect(unverified.body.items[0].emailVerified).toBe(false);
      expect((await asMember().get(`/users?q=${tag}`).expect(200)).body.items.map((u: UserBody) => typeof u.emailVerified)).toEqual([
        'boolean',
        'boolean',
      ]);
      expect((await asMember().get(`/users?q=${tag}&verified=true`).expect(403)).body.code).toBe('forbidden');
      await asAdmin().get(`/users?q=${tag}&verified=yes`).expect(400);
      expect((await asAdmin().get(`/users?ids=${yes.toHexString()}&verified=true`).expect(400)).body.code).toBe('invalid_query');
      // auth-api's /auth/me shows the same view.
      const me = await fetch(`${ctx.auth.url}/auth/me`, { headers: { authorization: `Bearer ${member.accessToken}` } });
      expect(((await me.json()) as UserBody).emailVerified).toBe(false);
    });
  });

  it('OpenAPI documents every new operation, its answers and the new view fields', async () => {
    const doc = (await request(ctx.app.getHttpServer()).get('/docs/openapi.json').expect(200)).body;
    const statuses = (path: string, method: string) => Object.keys(doc.paths[path][method].responses).sort();
    expect(statuses('/users/invitations', 'post')).toEqual(expect.arrayContaining(['200', '201', '400', '401', '403', '409']));
    expect(statuses('/users/invitations', 'get')).toEqual(expect.arrayContaining(['200', '401', '403']));
    expect(statuses('/users/invitations/{id}/resend', 'post')).toEqual(expect.arrayContaining(['200', '404', '409']));
    expect(statuses('/users/invitations/{id}', 'delete')).toEqual(expect.arrayContaining(['204', '404', '409']));
    expect(statuses('/users/{id}/password-reset', 'post')).toEqual(expect.arrayContaining(['202', '404', '409']));
    expect(statuses('/users/{id}/mail', 'get')).toEqual(expect.arrayContaining(['200', '404']));
    expect(statuses('/users/mail', 'get')).toEqual(expect.arrayContaining(['200']));
    expect(statuses('/users/me', 'patch')).toEqual(expect.arrayContaining(['200', '409', '429']));
    expect(doc.paths['/users/invitations'].post['x-refusals']).toEqual([expect.objectContaining({ status: 400, code: 'invalid_manager' })]);
    const schemas = doc.components.schemas;
    expect(schemas.UserViewDto.required).toContain('emailVerified');
    expect(Object.keys(schemas.UserViewDto.properties)).toEqual(expect.arrayContaining(['emailVerified', 'invitedAt', 'invitedBy']));
    expect(Object.keys(schemas.ProfileUpdateDto.properties)).toEqual(
      expect.arrayContaining(['id', 'email', 'emailVerified', 'pendingEmail']),
    );
    expect(Object.keys(schemas.MailMessageDto.properties)).not.toContain('params');
    expect(Object.keys(schemas.InviteUserDto.properties).sort()).toEqual(
      ['department', 'email', 'location', 'managerId', 'name', 'phone', 'roles', 'title'].sort(),
    );
    const verified = doc.paths['/users'].get.parameters.find((p: { name: string }) => p.name === 'verified');
    expect(verified?.schema?.enum).toEqual(['true', 'false']);
  });

  describe('admin views of mail', () => {
    it('GET /users/mail?status=failed lists failed messages newest first with their reason, never their params', async () => {
      const outbox = ctx.connection.model(ModelName.OutboxMessage);
      const now = Date.now();
      const [older, newer] = await outbox.create([
        {
          template: MailTemplate.PasswordReset,
          to: 'bounced-1@example.com',
          userId: new Types.ObjectId(member.id),
          params: { requestedBy: new Types.ObjectId(admin.id) },
          status: OutboxStatus.Failed,
          attempts: 8,
          lastError: '550 mailbox unavailable',
          nextAttemptAt: new Date(now - 60_000),
          finishedAt: new Date(now - 60_000),
          createdAt: new Date(now - 120_000),
        },
        {
          template: MailTemplate.Invitation,
          to: 'bounced-2@example.com',
          status: OutboxStatus.Failed,
          attempts: 1,
          lastError: '554 rejected',
          nextAttemptAt: new Date(now - 1_000),
          finishedAt: new Date(now - 1_000),
          createdAt: new Date(now - 2_000),
        },
      ]);
      const res = await asAdmin().get('/users/mail?status=failed&limit=2').expect(200);
      expect(res.body.items.map((m: { id: string }) => m.id)).toEqual([newer._id.toHexString(), older._id.toHexString()]);
      expect(res.body.items[1]).toEqual({
        id: older._id.toHexString(),
        template: 'password-reset',
        to: 'bounced-1@example.com',
        userId: member.id,
        status: 'failed',
        attempts: 8,
        lastError: '550 mailbox unavailable',
        sentAt: null,
        finishedAt: new Date(now - 60_000).toISOString(),
        nextAttemptAt: new Date(now - 60_000).toISOString(),
        createdAt: new Date(now - 120_000).toISOString(),
      });
      // Default status: failed.
      expect((await asAdmin().get('/users/mail?limit=1').expect(200)).body.items[0].id).toBe(newer._id.toHexString());
      const mine = await asAdmin().get(`/users/${member.id}/mail`).expect(200);
      expect(mine.body.items.map((m: { id: string }) => m.id)).toContain(older._id.toHexString());
      await asAdmin().get('/users/mail?status=lost').expect(400);
      await asAdmin().get('/users/mail?limit=0').expect(400);
      await asAdmin().get('/users/mail?params=1').expect(400);
      await asAdmin().get(`/users/${new Types.ObjectId().toHexString()}/mail`).expect(404);
    });
  });
});
