import { dropTestDatabase, startAuthApi, testDatabase, testEnv, type AuthApiHandle } from '@directory/testing';
import { Types } from 'mongoose';
import { rolesOf, SessionStore } from './session-store';

/**
 * The console's session against the built auth-api over real HTTP (`nx build auth-api`): tokens
 * in memory, an expired or refused access token refreshed once — one rotation for concurrent
 * requests — and a refused refresh signing out.
 */
describe('SessionStore against the built auth-api', () => {
  let auth: AuthApiHandle;
  let dbName: string;
  const realFetch = globalThis.fetch;
  let refreshCalls = 0;

  beforeAll(async () => {
    ({ dbName } = testDatabase());
    auth = await startAuthApi(testEnv(dbName));
    // Counts rotations while every request still goes over the network.
    globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith('/auth/refresh')) refreshCalls += 1;
      return realFetch(input, init);
    };
  });

  beforeEach(() => (refreshCalls = 0));

  afterAll(async () => {
    globalThis.fetch = realFetch;
    if (auth) {
      await dropTestDatabase(auth.connection, dbName);
      await auth.close();
    }
  });

  it('signs in a member (not an admin) and an admin from their token pairs', async () => {
    const member = await auth.register({ name: { first: 'Zoë', last: 'Membre' } });
    const memberStore = new SessionStore(auth.url);
    await memberStore.signIn(member);
    expect(memberStore.getState()).toMatchObject({ kind: 'signed-in', isAdmin: false, user: { email: member.email } });

    const admin = await auth.registerAdmin();
    const adminStore = new SessionStore(auth.url);
    await adminStore.signIn(admin);
    expect(adminStore.getState()).toMatchObject({ kind: 'signed-in', isAdmin: true });
    expect(refreshCalls).toBe(0);
  });

  it('refreshes a refused access token once and repeats the request, for five requests at once', async () => {
    const user = await auth.register();
    const store = new SessionStore(auth.url);
    // An access token auth-api refuses: /auth/me answers 401, the store rotates and asks again.
    await store.signIn({ ...user, accessToken: 'not-a-token' });
    expect(store.getState()).toMatchObject({ kind: 'signed-in', user: { email: user.email } });
    expect(refreshCalls).toBe(1);

    store.replaceAccessToken('expired-or-revoked');
    const answers = await Promise.all(Array.from({ length: 5 }, () => store.api.auth.GET('/auth/me')));
    expect(answers.map((answer) => answer.response.status)).toEqual([200, 200, 200, 200, 200]);
    expect(refreshCalls).toBe(2);
    // The rotated refresh token was the only one used: the original is now a reused token.
    const reuse = await realFetch(`${auth.url}/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: user.refreshToken }),
    });
    expect([200, 401]).toContain(reuse.status);
  });

  it('signs out with a notice when the refresh token is refused, and the request keeps its 401', async () => {
    const user = await auth.register();
    const store = new SessionStore(auth.url);
    await store.signIn(user);
    // The session ends elsewhere (a logout on another device with the same refresh token).
    const logout = await realFetch(`${auth.url}/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: user.refreshToken }),
    });
    expect(logout.status).toBe(204);
    store.replaceAccessToken('expired');

    const answer = await store.api.auth.GET('/auth/me');
    expect(answer.response.status).toBe(401);
    expect(store.getState()).toEqual({ kind: 'signed-out', notice: 'Your session ended. Sign in again.' });
    expect(refreshCalls).toBe(1);
  });

  it('signs out locally and ends the session at auth-api', async () => {
    const user = await auth.register();
    const store = new SessionStore(auth.url);
    await store.signIn(user);
    await store.signOut();
    expect(store.getState()).toEqual({ kind: 'signed-out', notice: undefined });
    const refresh = await realFetch(`${auth.url}/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: user.refreshToken }),
    });
    expect(refresh.status).toBe(401);
  });

  it('shows the member view once a refreshed token no longer carries the admin role', async () => {
    const admin = await auth.registerAdmin();
    const store = new SessionStore(auth.url);
    await store.signIn(admin);
    expect(store.getState()).toMatchObject({ kind: 'signed-in', isAdmin: true });
    expect(rolesOf(admin.accessToken)).toContain('admin');

    // Another admin takes the role away (in the database, as users-api's PATCH would).
    await auth.connection
      .collection<{ roles: string[] }>('users')
      .updateOne({ _id: new Types.ObjectId(admin.id) }, { $pull: { roles: 'admin' } });
    store.replaceAccessToken('expired');
    expect((await store.api.auth.GET('/auth/me')).response.status).toBe(200);
    expect(store.getState()).toMatchObject({ kind: 'signed-in', isAdmin: false });
  });

  it('leaves no session behind when the sign-in cannot load the user', async () => {
    const store = new SessionStore(auth.url);
    await expect(store.signIn({ accessToken: 'not-a-token', refreshToken: 'not-a-refresh-token' })).rejects.toMatchObject({ status: 401 });
    expect(store.getState().kind).toBe('signed-out');
    // No token is sent any more: the next call is anonymous.
    const anonymous = await store.api.auth.GET('/auth/me');
    expect(anonymous.response.status).toBe(401);
    expect(refreshCalls).toBe(1);
  });

  it('stays signed out when the sign-out happens while a refresh is on its way', async () => {
    const user = await auth.register();
    const store = new SessionStore(auth.url);
    await store.signIn(user);
    store.replaceAccessToken('expired');
    const pending = store.api.auth.GET('/auth/me');
    await store.signOut();
    await pending;
    expect(store.getState()).toEqual({ kind: 'signed-out', notice: undefined });
    expect((await store.api.auth.GET('/auth/me')).response.status).toBe(401);
    // The session ended at auth-api: its refresh token is refused.
    const refresh = await realFetch(`${auth.url}/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: user.refreshToken }),
    });
    expect(refresh.status).toBe(401);
  });
});
