import { totpAt, enrolTotp, loginWithTotp } from '@directory/testing';
import { startUsersApi, type RegisteredUser, type UsersTestContext } from './support/users-test-app';

/**
 * AUTH_REQUIRE_MFA_FOR_ADMINS in users-api: tokens come from the built auth-api and are checked
 * here by the shared guard. An admin who signed in with the password alone is refused on admin
 * routes (403 mfa_required) and not elsewhere; after enrolling TOTP and signing in with it, in.
 */
describe('users-api: AUTH_REQUIRE_MFA_FOR_ADMINS', () => {
  let ctx: UsersTestContext;
  let member: RegisteredUser;

  beforeAll(async () => {
    const on = { AUTH_REQUIRE_MFA_FOR_ADMINS: 'true' };
    ctx = await startUsersApi(on, on);
    member = await ctx.auth.register({ name: { first: 'Mel', last: 'Member' } });
  });

  afterAll(() => ctx?.close());

  it('the RFC 6238 test vector (SHA-1, T = 59 s): the test computes codes as an authenticator app does', () => {
    expect(totpAt('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 1)).toBe('287082');
  });

  it('password-only admin: 403 mfa_required on admin routes, 200 on member routes; with TOTP: 200', async () => {
    const admin = await ctx.auth.registerAdmin({ name: { first: 'Ada', last: 'Admin' } });
    const asAdmin = () => ctx.as(admin.accessToken);

    const mail = await asAdmin().get('/users/mail').expect(403);
    expect(mail.body).toMatchObject({ code: 'mfa_required', message: expect.stringContaining('POST /auth/factors/totp') });
    const promote = await asAdmin()
      .patch(`/users/${member.id}`)
      .send({ roles: ['member', 'admin'] })
      .expect(403);
    expect(promote.body.code).toBe('mfa_required');
    expect((await ctx.users.findById(member.id).lean().orFail()).roles).toEqual(['member']);
    // Member routes take the same token.
    await asAdmin().get('/users/me').expect(200);
    // The directory routes are member routes: a password-only admin token gets the member's view there, not the admin's.
    const seen = await asAdmin().get(`/users/${member.id}`).expect(200);
    expect(seen.body).not.toHaveProperty('secondFactors');
    expect(seen.body).not.toHaveProperty('lastLoginAt');
    const listed = await asAdmin().get('/users').query({ ids: member.id }).expect(200);
    expect(listed.body.items[0]).not.toHaveProperty('secondFactors');
    // A member is refused for the role, not asked for a factor.
    expect((await ctx.as(member.accessToken).get('/users/mail').expect(403)).body.code).toBe('forbidden');
    await ctx.as(member.accessToken).get('/users/me').expect(200);

    // The factor endpoints are not admin routes: the admin enrols with the password-only token.
    const app = await enrolTotp(ctx.auth, admin.accessToken);
    const signedIn = await loginWithTotp(ctx.auth, admin, app);
    const asVerified = () => ctx.as(signedIn.accessToken);
    await asVerified().get('/users/mail').expect(200);
    expect((await asVerified().get(`/users/${member.id}`).expect(200)).body).toHaveProperty('secondFactors', []);
    const promoted = await asVerified()
      .patch(`/users/${member.id}`)
      .send({ roles: ['member', 'admin'] })
      .expect(200);
    expect(promoted.body.roles).toEqual(['member', 'admin']);
  });
});
