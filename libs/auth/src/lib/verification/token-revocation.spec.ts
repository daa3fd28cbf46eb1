import { MAX_CACHED_SESSIONS_PER_USER, TokenRevocation, type UserTokenState } from './token-revocation';

const USER = '665f1c2e9b1d8a0012345678';

/** A stand-in for `UsersRepository.tokenState` that counts reads (its query: users.repository.spec.ts). */
function fakeUsers(state: () => UserTokenState | null | Error) {
  const calls: unknown[][] = [];
  const model = {
    tokenState: (...args: unknown[]) => {
      calls.push(args);
      const value = state();
      return value instanceof Error ? Promise.reject(value) : Promise.resolve(value);
    },
  };
  return { model, calls };
}

describe('TokenRevocation', () => {
  let now = 1_000_000;
  const clock = () => now;
  const iat = (ms: number) => Math.floor(ms / 1000);

  beforeEach(() => {
    now = 1_000_000;
  });

  it("reads the user's token state by _id, and accepts active users", async () => {
    const users = fakeUsers(() => ({ status: 'active' }));
    const revocation = new TokenRevocation(users.model, 5_000, clock);
    await expect(revocation.isRevoked(USER, iat(now))).resolves.toBe(false);
    expect(users.calls).toEqual([[USER]]);
  });

  it('refuses missing, suspended and deleted users, tokens before the cutoff, and ids that are not ObjectIds', async () => {
    const cutoff = new Date(now + 1000);
    for (const [state, revoked] of [
      [null, true],
      [{ status: 'suspended' }, true],
      [{ status: 'deleted' }, true],
      [{ status: 'active', tokensValidAfter: cutoff }, true],
    ] as const) {
      const revocation = new TokenRevocation(fakeUsers(() => state).model, 0, clock);
      await expect(revocation.isRevoked(USER, iat(now))).resolves.toBe(revoked);
    }
    const afterCutoff = new TokenRevocation(fakeUsers(() => ({ status: 'active', tokensValidAfter: cutoff })).model, 0, clock);
    await expect(afterCutoff.isRevoked(USER, iat(cutoff.getTime()))).resolves.toBe(false);
    await expect(afterCutoff.isRevoked('not-an-id', iat(now))).resolves.toBe(true);
  });

  it('caches a user for the TTL (one read for many checks), then reads again', async () => {
    let state: UserTokenState = { status: 'active' };
    const users = fakeUsers(() => state);
    const revocation = new TokenRevocation(users.model, 5_000, clock);
    await Promise.all([revocation.isRevoked(USER, iat(now)), revocation.isRevoked(USER, iat(now))]);
    state = { status: 'suspended' };
    now += 4_999;
    await expect(revocation.isRevoked(USER, iat(now))).resolves.toBe(false); // stale for at most the TTL
    expect(users.calls).toHaveLength(1);
    now += 1;
    await expect(revocation.isRevoked(USER, iat(now))).resolves.toBe(true);
    expect(users.calls).toHaveLength(2);
  });

  it('forget() drops the cached state at once', async () => {
    let state: UserTokenState = { status: 'active' };
    const revocation = new TokenRevocation(fakeUsers(() => state).model, 60_000, clock);
    await revocation.isRevoked(USER, iat(now));
    state = { status: 'active', tokensValidAfter: new Date(now + 1000) };
    revocation.forget(USER);
    await expect(revocation.isRevoked(USER, iat(now))).resolves.toBe(true);
  });

  it('does not cache a failed read', async () => {
    let fail = true;
    const users = fakeUsers(() => (fail ? new Error('no server') : { status: 'active' }));
    const revocation = new TokenRevocation(users.model, 60_000, clock);
    await expect(revocation.isRevoked(USER, iat(now))).rejects.toThrow('no server');
    fail = false;
    await expect(revocation.isRevoked(USER, iat(now))).resolves.toBe(false);
  });

  it('with a TTL of 0 reads every time', async () => {
    const users = fakeUsers(() => ({ status: 'active' }));
    const revocation = new TokenRevocation(users.model, 0, clock);
    await revocation.isRevoked(USER, iat(now));
    await revocation.isRevoked(USER, iat(now));
    expect(users.calls).toHaveLength(2);
  });

  describe('the session a token names (sid) — ASVS 5.0 7.4.1, 7.4.3', () => {
    /** A stand-in for `SessionsRepository.isEnded` (its query runs in apps/auth-api/test/revocation.e2e.spec.ts). */
    function fakeSessions(ended: Set<string>) {
      const calls: string[][] = [];
      return {
        calls,
        model: {
          isEnded: (userId: unknown, family: string) => {
            calls.push([String(userId), family]);
            return family === 'broken' ? Promise.reject(new Error('no server')) : Promise.resolve(ended.has(family));
          },
        },
      };
    }

    it('refuses tokens of an ended session, accepts the live ones and tokens without sid', async () => {
      const sessions = fakeSessions(new Set(['ended']));
      const revocation = new TokenRevocation(fakeUsers(() => ({ status: 'active' })).model, 60_000, clock, sessions.model);
      await expect(revocation.isRevoked(USER, iat(now), 'ended')).resolves.toBe(true);
      await expect(revocation.isRevoked(USER, iat(now), 'live')).resolves.toBe(false);
      await expect(revocation.isRevoked(USER, iat(now))).resolves.toBe(false);
      expect(sessions.calls).toEqual([
        [USER, 'ended'],
        [USER, 'live'],
      ]);
    });

    it('caches each session in the user entry: one read per TTL, forget() drops it with the user', async () => {
      const ended = new Set<string>();
      const sessions = fakeSessions(ended);
      const users = fakeUsers(() => ({ status: 'active' }));
      const revocation = new TokenRevocation(users.model, 5_000, clock, sessions.model);
      await Promise.all([revocation.isRevoked(USER, iat(now), 'a'), revocation.isRevoked(USER, iat(now), 'a')]);
      ended.add('a');
      await expect(revocation.isRevoked(USER, iat(now), 'a')).resolves.toBe(false); // stale for at most the TTL
      expect(sessions.calls).toHaveLength(1);
      revocation.forget(USER);
      await expect(revocation.isRevoked(USER, iat(now), 'a')).resolves.toBe(true);
      ended.delete('a');
      now += 5_000;
      await expect(revocation.isRevoked(USER, iat(now), 'a')).resolves.toBe(false);
      expect(sessions.calls).toHaveLength(3);
      expect(users.calls).toHaveLength(3);
    });

    it('bounds the cached sessions per user and does not cache a failed read', async () => {
      const sessions = fakeSessions(new Set());
      const revocation = new TokenRevocation(fakeUsers(() => ({ status: 'active' })).model, 60_000, clock, sessions.model);
      for (let n = 0; n <= MAX_CACHED_SESSIONS_PER_USER; n += 1) await revocation.isRevoked(USER, iat(now), `s${n}`);
      await revocation.isRevoked(USER, iat(now), 's0'); // evicted: read again
      await revocation.isRevoked(USER, iat(now), `s${MAX_CACHED_SESSIONS_PER_USER}`); // still cached
      expect(sessions.calls).toHaveLength(MAX_CACHED_SESSIONS_PER_USER + 2);
      await expect(revocation.isRevoked(USER, iat(now), 'broken')).rejects.toThrow('no server');
      await expect(revocation.isRevoked(USER, iat(now), 'broken')).rejects.toThrow('no server');
      expect(sessions.calls).toHaveLength(MAX_CACHED_SESSIONS_PER_USER + 4);
    });
  });
});
