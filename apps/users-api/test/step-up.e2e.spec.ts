import { enrolTotp, loginWithTotp, refreshAccessToken as refresh, stepUpWithTotp as stepUp } from '@directory/testing';
import { startUsersApi, type UsersTestContext } from './support/users-test-app';

/**
 * PATCH /users/me with a new `email` wants a second factor verified within 5 minutes from a
 * user who has one (401 step_up_required, then POST /auth/mfa/step-up); other fields never do,
 * and a user without a factor changes the email as before. Tokens from the built auth-api.
 */
/** The claims of a compact JWT, unverified (the test only looks). */
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;

describe('users-api: step-up before an email change', () => {
  let ctx: UsersTestContext;

  beforeAll(async () => {
    ctx = await startUsersApi();
  });

  afterAll(() => ctx?.close());

  const version = async (token: string) => (await ctx.as(token).get('/users/me').expect(200)).body.version as number;
  /** PATCH /users/me at the current version: its answer. */
  const patchMe = async (token: string, body: Record<string, unknown>) => {
    const ifMatch = `"${await version(token)}"`;
    return ctx.as(token).patch('/users/me').set('If-Match', ifMatch).send(body);
  };
  let counter = 0;
  const newAddress = () => `moved-${process.pid}-${++counter}@example.com`;

  it('without a second factor: the email change answers 200 (pending confirmation), no step-up', async () => {
    const user = await ctx.auth.register();
    const address = newAddress();
    const res = await patchMe(user.accessToken, { email: address });
    expect(res.status).toBe(200);
    expect(res.body.pendingEmail).toBe(address);
  });

  it('with TOTP: fresh from the login → 200; 5 minutes later → 401 step_up_required (other fields still 200); after POST /auth/mfa/step-up → 200', async () => {
    const registered = await ctx.auth.register();
    const app = await enrolTotp(ctx.auth, registered.accessToken);
    const signedIn = await loginWithTotp(ctx.auth, registered, app);
    expect(claimsOf(signedIn.accessToken)['amr']).toEqual(expect.arrayContaining(['otp', 'mfa']));
    const fresh = await patchMe(signedIn.accessToken, { email: newAddress() });
    expect(fresh.status).toBe(200);

    // Five minutes pass: auth-api runs on the real clock, so the session's sign-in is moved back
    // instead, and its next access token (refresh) carries that auth_time, as it would then.
    const sessionId = claimsOf(signedIn.accessToken)['sid'];
    const sixMinutesAgo = new Date(Date.now() - 6 * 60_000);
    const moved = await ctx.connection.collection('sessions').updateOne({ family: sessionId }, { $set: { authTime: sixMinutesAgo } });
    expect(moved.modifiedCount).toBe(1);
    const stale = await refresh(ctx.auth, signedIn.refreshToken);
    expect(claimsOf(stale)['auth_time']).toBe(Math.floor(sixMinutesAgo.getTime() / 1000));

    const before = await version(stale);
    const refused = await patchMe(stale, { email: newAddress(), title: 'Refused' });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: 'step_up_required', message: expect.stringContaining('/auth/mfa/step-up') });
    // Refused before anything was written: not even the other field.
    expect(await version(stale)).toBe(before);
    // Only the email is sensitive: the same stale token changes other fields.
    const title = await patchMe(stale, { title: 'Engineer' });
    expect(title.status).toBe(200);
    expect(title.body.title).toBe('Engineer');

    const stepped = await stepUp(ctx.auth, stale, app);
    const address = newAddress();
    const accepted = await patchMe(stepped, { email: address });
    expect(accepted.status).toBe(200);
    expect(accepted.body.pendingEmail).toBe(address);
  });
});
