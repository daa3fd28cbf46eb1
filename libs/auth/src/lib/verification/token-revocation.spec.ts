import { TokenRevocation, type UserTokenState } from './token-revocation';

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
});
