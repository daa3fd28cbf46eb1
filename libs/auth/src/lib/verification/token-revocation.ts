import type { SessionsRepository, TokenState, UsersRepository } from '@directory/data-access';
import { UserStatus } from '@directory/schemas';
import { isValidObjectId } from 'mongoose';
import { isIssuedBeforeCutoff } from '../access-token';

/** What the revocation check needs of a user: one `_id` lookup with a two-field projection. */
export type UserTokenState = TokenState;

interface CacheEntry {
  expiresAt: number;
  state: Promise<UserTokenState | null>;
  /** Whether each session (`sid`) of the user seen in a token has ended; lives as long as the entry. */
  families: Map<string, Promise<boolean>>;
}

/** Bound on cached users, so a flood of distinct (valid) tokens cannot grow memory without limit. */
const MAX_CACHED_USERS = 10_000;
/** Bound on cached sessions per user (a user with more live sessions just reads more often). */
export const MAX_CACHED_SESSIONS_PER_USER = 32;

/**
 * Kills access tokens before they expire (OWASP ASVS 5.0 7.4.1, 7.4.3): a token is refused
 * when its user is gone, not `active` (suspended, deleted), when it was issued before the
 * user's `tokensValidAfter` cutoff (logout everywhere, password change), or when the session
 * its `sid` names has ended or does not exist (logout of that session, refresh-token reuse).
 * The state is read by `_id` (the primary-key index) with a projection, lean, the session by
 * its unique `family`, and both are cached in one entry per user for `ttlMs`, so a revoked
 * token works for at most `ttlMs` more on a service that had it cached. Concurrent checks
 * of one user share one read.
 */
export class TokenRevocation {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly users: Pick<UsersRepository, 'tokenState'>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    /** Without it (unit tests of the user checks only) `sid` is not checked. */
    private readonly sessions: Pick<SessionsRepository, 'isEnded'> | null = null,
  ) {}

  /** True when a token of `userId` issued at `issuedAt` (seconds) for session `sessionId` must be refused. */
  async isRevoked(userId: string, issuedAt: number, sessionId?: string): Promise<boolean> {
    if (!isValidObjectId(userId)) return true;
    const entry = this.entryOf(userId);
    const [state, ended] = await Promise.all([entry.state, sessionId === undefined ? false : this.sessionEnded(entry, userId, sessionId)]);
    if (!state || state.status !== UserStatus.Active || ended) return true;
    return isIssuedBeforeCutoff(issuedAt, state.tokensValidAfter);
  }

  /** Drops a cached state, e.g. right after this process revoked the user's tokens. */
  forget(userId: string): void {
    this.cache.delete(userId);
  }

  private entryOf(userId: string): CacheEntry {
    const now = this.now();
    const cached = this.cache.get(userId);
    if (cached && cached.expiresAt > now) return cached;
    // Read from the primary whatever the role's default (see REVOCATION_READ_PREFERENCE).
    const state = this.users.tokenState(userId);
    const entry: CacheEntry = { expiresAt: now + this.ttlMs, state, families: new Map() };
    if (this.ttlMs > 0) {
      this.cache.delete(userId); // re-insert at the end: Map order is the eviction order
      this.cache.set(userId, entry);
      if (this.cache.size > MAX_CACHED_USERS) this.cache.delete(this.cache.keys().next().value as string);
      // A failed read (database down) must not be served from the cache afterwards.
      state.catch(() => {
        if (this.cache.get(userId) === entry) this.cache.delete(userId);
      });
    }
    return entry;
  }

  private sessionEnded(entry: CacheEntry, userId: string, sessionId: string): Promise<boolean> {
    if (!this.sessions) return Promise.resolve(false);
    const cached = entry.families.get(sessionId);
    if (cached) return cached;
    const ended = this.sessions.isEnded(userId, sessionId);
    if (this.ttlMs > 0) {
      entry.families.set(sessionId, ended);
      if (entry.families.size > MAX_CACHED_SESSIONS_PER_USER) entry.families.delete(entry.families.keys().next().value as string);
      ended.catch(() => {
        if (entry.families.get(sessionId) === ended) entry.families.delete(sessionId);
      });
    }
    return ended;
  }
}
