import { SessionsRepository } from '@directory/data-access';
import { hashRefreshToken } from '../src/app/tokens/refresh-tokens';
import { testDatabase } from '@directory/testing';
import { startAuthTestApp, newUser, type AuthTestApp } from './support/auth-test-app';
import { bearer, decodeJwt } from './support/jwt';
import { expectNoSecretsIn } from './support/recording-client';

interface Pair {
  accessToken: string;
  refreshToken: string;
}

describe('auth-api: refresh rotation, reuse detection and revocation', () => {
  const { dbName } = testDatabase();
  let t: AuthTestApp;

  beforeAll(async () => {
    t = await startAuthTestApp(dbName);
  });

  afterAll(() => t?.close());

  const sessions = () => t.connection.collection('sessions');
  const register = async () => {
    const input = newUser();
    await t.http.post('/auth/register').send(input).expect(201);
    return input;
  };
  const login = async (input: { email: string; password: string }): Promise<Pair> =>
    (await t.http.post('/auth/login').send({ email: input.email, password: input.password }).expect(200)).body;
  const refresh = (refreshToken: string) => t.http.post('/auth/refresh').send({ refreshToken });
  const familyOf = (pair: Pair) => decodeJwt(pair.accessToken).payload['sid'] as string;

  it('stores only SHA-256 hashes of refresh tokens, one Session per family, rotation counted', async () => {
    const pair = await login(await register());
    const rotated: Pair = (await refresh(pair.refreshToken).expect(200)).body;
    const stored = await sessions().findOne({ family: familyOf(pair) });
    expect(stored).toMatchObject({ rotation: 1, rotatedHashes: [expect.stringMatching(/^[0-9a-f]{64}$/)] });
    expect(JSON.stringify(stored)).not.toContain(pair.refreshToken);
    expect(JSON.stringify(stored)).not.toContain(rotated.refreshToken);
    expect(stored?.['expiresAt'].getTime()).toBeGreaterThan(t.clock.now().getTime());
  });

  it('a replayed (already rotated) refresh token revokes its whole family, and only that family', async () => {
    const input = await register();
    const stolen = await login(input);
    const other = await login(input);
    const current: Pair = (await refresh(stolen.refreshToken).expect(200)).body;

    t.clock.advance(10_001); // past the refresh grace (revocation.e2e.spec.ts tests both sides)
    const replay = await refresh(stolen.refreshToken).expect(401);
    expect(replay.body.code).toBe('invalid_refresh_token');
    await refresh(current.refreshToken).expect(401);
    expect(await sessions().findOne({ family: familyOf(stolen) })).toMatchObject({ revokedAt: expect.any(Date) });

    await refresh(other.refreshToken).expect(200);
  });

  it('the loser of a rotation race (its compare-and-set matches nothing) gets the same new pair within the grace', async () => {
    // Deterministic stand-in for two requests racing: the second one read the session
    // before the first rotated it, so its conditional update finds the hash gone. Before
    // issue 12 this ended the whole session (two browser tabs logged the user out).
    const pair = await login(await register());
    const sessions = t.app.get(SessionsRepository);
    const before = await sessions.findByTokenHash(hashRefreshToken(pair.refreshToken));
    const winner: Pair = (await refresh(pair.refreshToken).expect(200)).body;

    const staleRead = jest.spyOn(sessions, 'findByTokenHash').mockResolvedValueOnce(before);
    const update = jest.spyOn(sessions, 'swapToken');
    try {
      const loser: Pair = (await refresh(pair.refreshToken).expect(200)).body;
      expect(update).toHaveBeenCalledWith(
        before?._id,
        hashRefreshToken(pair.refreshToken),
        hashRefreshToken(winner.refreshToken),
        expect.any(Date),
        expect.any(Date),
      );
      await expect(update.mock.results[0]?.value).resolves.toBe(false);
      expect(loser.refreshToken).toBe(winner.refreshToken);
      expect(familyOf(loser)).toBe(familyOf(winner));
      await t.http
        .get('/auth/me')
        .set(...bearer(loser.accessToken))
        .expect(200);
    } finally {
      staleRead.mockRestore();
      update.mockRestore();
    }
    await refresh(winner.refreshToken).expect(200);
  });

  it('two concurrent refreshes with one token both get the same new pair, and the session lives on', async () => {
    // Holds on FerretDB v1 too: the successor is derived from the presented token, so even two
    // compare-and-sets that both match write the same hash.
    const pair = await login(await register());
    const results = await Promise.all([refresh(pair.refreshToken), refresh(pair.refreshToken)]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const [first, second] = results.map((r) => r.body as Pair);
    expect(first?.refreshToken).toBe(second?.refreshToken);
    await refresh(first?.refreshToken as string).expect(200);
  });

  it('a session expires after its refresh TTL without use (checked by the query, not by the TTL index)', async () => {
    const pair = await login(await register());
    t.clock.advance(14 * 86_400_000 + 1_000);
    await refresh(pair.refreshToken).expect(401);
  });

  it('logout ends one session; logging out again or with an unknown token is still 204', async () => {
    const input = await register();
    const first = await login(input);
    const second = await login(input);
    await t.http.post('/auth/logout').send({ refreshToken: first.refreshToken }).expect(204);
    await t.http.post('/auth/logout').send({ refreshToken: first.refreshToken }).expect(204);
    await t.http
      .post('/auth/logout')
      .send({ refreshToken: 'A'.repeat(43) })
      .expect(204);
    await refresh(first.refreshToken).expect(401);
    await refresh(second.refreshToken).expect(200);
  });

  it('logout-all ends every session and kills access tokens already issued', async () => {
    const input = await register();
    const a = await login(input);
    const b = await login(input);
    await t.http
      .get('/auth/me')
      .set(...bearer(b.accessToken))
      .expect(200);

    await t.http
      .post('/auth/logout-all')
      .set(...bearer(a.accessToken))
      .expect(204);
    for (const pair of [a, b]) {
      const res = await t.http
        .get('/auth/me')
        .set(...bearer(pair.accessToken))
        .expect(401);
      expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
      await refresh(pair.refreshToken).expect(401);
    }
    // Tokens issued afterwards work, even within the same second as the cutoff.
    const fresh = await login(input);
    await t.http
      .get('/auth/me')
      .set(...bearer(fresh.accessToken))
      .expect(200);
  });

  it('password change: other sessions end, every access token dies, the own session refreshes on', async () => {
    const input = await register();
    const mine = await login(input);
    const other = await login(input);
    const newPassword = 'an entirely new passphrase 7';

    await t.http
      .post('/auth/password')
      .set(...bearer(mine.accessToken))
      .send({ currentPassword: input.password, newPassword })
      .expect(204);

    await t.http
      .get('/auth/me')
      .set(...bearer(mine.accessToken))
      .expect(401);
    await t.http
      .get('/auth/me')
      .set(...bearer(other.accessToken))
      .expect(401);
    await refresh(other.refreshToken).expect(401);
    const renewed: Pair = (await refresh(mine.refreshToken).expect(200)).body;
    await t.http
      .get('/auth/me')
      .set(...bearer(renewed.accessToken))
      .expect(200);

    await t.http.post('/auth/login').send({ email: input.email, password: input.password }).expect(401);
    await t.http.post('/auth/login').send({ email: input.email, password: newPassword }).expect(200);
  });

  it('password change refuses a wrong current password (403) and a weak new one (400)', async () => {
    const input = await register();
    const pair = await login(input);
    const change = (body: object) =>
      t.http
        .post('/auth/password')
        .set(...bearer(pair.accessToken))
        .send(body);
    const wrong = await change({ currentPassword: 'not my password', newPassword: 'a fine new passphrase' }).expect(403);
    expect(wrong.body.code).toBe('invalid_current_password');
    const weak = await change({ currentPassword: input.password, newPassword: 'password123' }).expect(400);
    expect(weak.body.code).toBe('weak_password');
    await change({ currentPassword: input.password, newPassword: input.email }).expect(400);
    await t.http.post('/auth/password').send({ currentPassword: input.password, newPassword: 'a fine new passphrase' }).expect(401);
    await t.http
      .get('/auth/me')
      .set(...bearer(pair.accessToken))
      .expect(200);
  });

  it('protected routes without a token → 401 with a Bearer challenge', async () => {
    const res = await t.http.get('/auth/me').expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body).toMatchObject({ statusCode: 401, code: 'invalid_token' });
    await t.http.post('/auth/logout-all').expect(401);
    await t.http.get('/auth/me').set('Authorization', 'Bearer not.a.jwt').expect(401);
  });

  it('no response body contained a password hash, "secret" or a stored refresh-token hash', async () => {
    await expectNoSecretsIn(t.http.bodies, t.connection);
  });
});
