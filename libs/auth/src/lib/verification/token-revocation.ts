import type { TokenState, UsersRepository } from '@directory/data-access';
import { UserStatus } from '@directory/schemas';
import { isValidObjectId } from 'mongoose';
import { isIssuedBeforeCutoff } from '../access-token';

/** What the revocation check needs of a user: one `_id` lookup with a two-field projection. */
export type UserTokenState = TokenState;

interface CacheEntry {
  expiresAt: number;
  state: Promise<UserTokenState | null>;
}

/** Bound on cached users, so a flood of distinct (valid) tokens cannot grow memory without limit. */
const MAX_CACHED_USERS = 10_000;

/**
 * Kills access tokens before they expire (OWASP ASVS 5.0 7.4.1): a token is refused when its
 * user is gone, not `active` (suspended, deleted), or when it was issued before the user's
 * `tokensValidAfter` cutoff (logout everywhere, password change). The state is read by `_id`
 * (the primary-key index) with a projection, lean, and cached for `ttlMs`, so a revoked
 * token works for at most `ttlMs` more on a service that had it cached. Concurrent checks
 * of one user share one read.
 */
export class TokenRevocation {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly users: Pick<UsersRepository, 'tokenState'>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when a token of `userId` issued at `issuedAt` (seconds) must be refused. */
  async isRevoked(userId: string, issuedAt: number): Promise<boolean> {
    if (!isValidObjectId(userId)) return true;
    const state = await this.stateOf(userId);
    if (!state || state.status !== UserStatus.Active) return true;
    return isIssuedBeforeCutoff(issuedAt, state.tokensValidAfter);
  }

  /** Drops a cached state, e.g. right after this process revoked the user's tokens. */
  forget(userId: string): void {
    this.cache.delete(userId);
  }

  private stateOf(userId: string): Promise<UserTokenState | null> {
    const now = this.now();
    const cached = this.cache.get(userId);
    if (cached && cached.expiresAt > now) return cached.state;
    // Read from the primary whatever the role's default (see REVOCATION_READ_PREFERENCE).
    const state = this.users.tokenState(userId);
    if (this.ttlMs > 0) {
      this.cache.delete(userId); // re-insert at the end: Map order is the eviction order
      this.cache.set(userId, { expiresAt: now + this.ttlMs, state });
      if (this.cache.size > MAX_CACHED_USERS) this.cache.delete(this.cache.keys().next().value as string);
      // A failed read (database down) must not be served from the cache afterwards.
      state.catch(() => {
        if (this.cache.get(userId)?.state === state) this.cache.delete(userId);
      });
    }
    return state;
  }
}
