import { SessionsRepository } from '@directory/data-access';
import { testDatabase } from '@directory/testing';
import { Types } from 'mongoose';
import { Credentials } from '../src/app/lockout/credentials.service';
import { startAuthTestApp, newUser, type AuthTestApp } from './support/auth-test-app';
import { bearer, decodeJwt } from './support/jwt';

interface Pair {
  accessToken: string;
  refreshToken: string;
}

/**
 * Issue 12 item 4, revocation without windows (OWASP ASVS 5.0 7.4.1: termination invalidates
 * the session at once; 7.4.3: all sessions terminated after logout-all / password change;
 * 10.4.5: refresh-token rotation, a used token replayed revokes the family). "During" is made deterministic by
 * holding one request at a repository call while the other runs to the end.
 */
describe('auth-api: revocation without windows (issue 12 item 4)', () => {
  const { dbName } = testDatabase();
  let t: AuthTestApp;

  beforeAll(async () => {
    t = await startAuthTestApp(dbName);
  });

  afterAll(() => t?.close());

  const register = async () => {
    const input = newUser();
    await t.http.post('/auth/register').send(input).expect(201);
    return input;
  };
  const login = async (input: { email: string; password: string }): Promise<Pair> =>
    (await t.http.post('/auth/login').send({ email: input.email, password: input.password }).expect(200)).body;
  const refresh = (refreshToken: string) => t.http.post('/auth/refresh').send({ refreshToken });
  const me = (pair: Pair) => t.http.get('/auth/me').set(...bearer(pair.accessToken));
  const familyOf = (pair: Pair) => decodeJwt(pair.accessToken).payload['sid'] as string;
  const sessions = () => t.connection.collection('sessions');

  /** Runs `during` right after the refresh's compare-and-set succeeded, before it issues its access token. */
  async function refreshAround(refreshToken: string, during: () => Promise<void>) {
    const repository = t.app.get(SessionsRepository);
    const original = repository.swapToken.bind(repository);
    const swap = jest.spyOn(repository, 'swapToken').mockImplementationOnce(async (...args) => {
      const swapped = await original(...args);
      await during();
      return swapped;
    });
    try {
      return await refresh(refreshToken);
    } finally {
      swap.mockRestore();
    }
  }

  it('ASVS 7.4.1: an access token issued by a refresh that ran during logout-all is refused', async () => {
    const input = await register();
    const caller = await login(input);
    const other = await login(input);
    // The refresh of `other` rotates, then logout-all runs to the end, then the refresh issues.
    const raced = await refreshAround(other.refreshToken, async () => {
      t.clock.advance(1_500); // logout-all a second later than the refresh started
      await t.http
        .post('/auth/logout-all')
        .set(...bearer(caller.accessToken))
        .expect(204);
    });
    // The refresh may answer (it rotated first), but nothing it issued outlives the logout.
    if (raced.status === 200) {
      const pair = raced.body as Pair;
      await me(pair).expect(401);
      await refresh(pair.refreshToken).expect(401);
    } else {
      expect(raced.status).toBe(401);
    }
    await me(caller).expect(401);
    await me(await login(input)).expect(200);
  });

  it('ASVS 7.4.3: an access token issued while the new password was being hashed is refused', async () => {
    const input = await register();
    const caller = await login(input);
    const other = await login(input);
    const credentials = t.app.get(Credentials);
    const original = credentials.changePassword.bind(credentials);
    let duringChange: Pair | undefined;
    let ownDuringChange: Pair | undefined;
    // argon2 takes a while: meanwhile (2 s later) `other` and the caller's own session refresh
    // and get new access tokens. The own session survives the change, so only a cutoff taken
    // after the hashing catches its token.
    const hashing = jest.spyOn(credentials, 'changePassword').mockImplementationOnce(async (...args) => {
      t.clock.advance(2_000);
      duringChange = (await refresh(other.refreshToken).expect(200)).body;
      ownDuringChange = (await refresh(caller.refreshToken).expect(200)).body;
      await me(duringChange as Pair).expect(200);
      return original(...args);
    });
    try {
      await t.http
        .post('/auth/password')
        .set(...bearer(caller.accessToken))
        .send({ currentPassword: input.password, newPassword: 'an entirely new passphrase 8' })
        .expect(204);
    } finally {
      hashing.mockRestore();
    }
    expect(duringChange).toBeDefined();
    await me(duringChange as Pair).expect(401);
    await refresh((duringChange as Pair).refreshToken).expect(401);
    await me(caller).expect(401);
    await me(ownDuringChange as Pair).expect(401);
    // The caller's own session lives on with a fresh access token.
    t.clock.advance(1_000);
    const renewed: Pair = (await refresh((ownDuringChange as Pair).refreshToken).expect(200)).body;
    await me(renewed).expect(200);
  });

  it('ASVS 7.4.1: logging out one session refuses its access token at once, other sessions keep working', async () => {
    const input = await register();
    const first = await login(input);
    const second = await login(input);
    await me(first).expect(200); // cached as live by the revocation check
    await t.http.post('/auth/logout').send({ refreshToken: first.refreshToken }).expect(204);
    const refused = await me(first).expect(401);
    expect(refused.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    await me(second).expect(200);
  });

  it('ASVS 10.4.5: refresh-token reuse ends the family and refuses every access token of it', async () => {
    const input = await register();
    const stolen = await login(input);
    const other = await login(input);
    const current: Pair = (await refresh(stolen.refreshToken).expect(200)).body;
    await me(current).expect(200);
    t.clock.advance(11_000); // beyond the refresh grace: a replay, not a race
    await refresh(stolen.refreshToken).expect(401);
    await me(stolen).expect(401);
    await me(current).expect(401);
    await refresh(current.refreshToken).expect(401);
    await me(other).expect(200);
  });

  describe('refresh grace (AUTH_REFRESH_GRACE_SECONDS, default 10 s)', () => {
    it('within the grace, the rotated-away token returns the same new refresh token and a working access token', async () => {
      const pair = await login(await register());
      const first: Pair = (await refresh(pair.refreshToken).expect(200)).body;
      t.clock.advance(10_000);
      const second: Pair = (await refresh(pair.refreshToken).expect(200)).body;
      expect(second.refreshToken).toBe(first.refreshToken);
      expect(second.accessToken).not.toBe(first.accessToken);
      expect(familyOf(second)).toBe(familyOf(pair));
      await me(first).expect(200);
      await me(second).expect(200);
      const stored = await sessions().findOne({ family: familyOf(pair) });
      expect(stored).toMatchObject({ rotation: 1 });
      expect(stored?.['revokedAt'] ?? null).toBeNull();
      // The session lives on: the shared successor rotates normally.
      const third: Pair = (await refresh(first.refreshToken).expect(200)).body;
      await me(third).expect(200);
    });

    it('just outside the grace, the same replay is reuse: the family ends', async () => {
      const pair = await login(await register());
      const first: Pair = (await refresh(pair.refreshToken).expect(200)).body;
      t.clock.advance(10_001);
      const replay = await refresh(pair.refreshToken).expect(401);
      expect(replay.body.code).toBe('invalid_refresh_token');
      expect(await sessions().findOne({ family: familyOf(pair) })).toMatchObject({ revokedAt: expect.any(Date) });
      await refresh(first.refreshToken).expect(401);
      await me(first).expect(401);
    });

    it('only the most recent rotation has a grace: an older token is reuse even within it', async () => {
      const pair = await login(await register());
      const first: Pair = (await refresh(pair.refreshToken).expect(200)).body;
      const second: Pair = (await refresh(first.refreshToken).expect(200)).body;
      await refresh(pair.refreshToken).expect(401);
      await refresh(second.refreshToken).expect(401);
      await me(second).expect(401);
    });
  });

  it('a refresh for a user who is no longer active issues nothing and ends the session', async () => {
    const input = await register();
    const pair = await login(input);
    const userId = decodeJwt(pair.accessToken).payload['sub'] as string;
    await t.connection.collection('users').updateOne({ _id: new Types.ObjectId(userId) }, { $set: { status: 'suspended' } });
    const swap = jest.spyOn(t.app.get(SessionsRepository), 'swapToken');
    try {
      await refresh(pair.refreshToken).expect(401);
      expect(swap).not.toHaveBeenCalled(); // the user is read before anything is rotated
    } finally {
      swap.mockRestore();
    }
    expect(await sessions().findOne({ family: familyOf(pair) })).toMatchObject({ revokedAt: expect.any(Date) });
  });
});
