import { Injectable } from '@nestjs/common';
import { CredentialsRepository, type StoredPassword } from '@directory/credentials';
import type { Types } from 'mongoose';
import { AuthSettings } from '../auth-settings';
import { PasswordHasher } from '../passwords/password-hasher';
import { lockDurationSeconds } from './lockout-policy';

export type PasswordCheck =
  | { outcome: 'ok' }
  | { outcome: 'bad_password' }
  | { outcome: 'locked'; lockedUntil: Date }
  /** The user has no password method (never the case for accounts made by registration). */
  | { outcome: 'no_password' };

/** Compare-and-set rounds an attempt gets before it is refused as contended. */
const MAX_CLAIM_TRIES = 5;

/**
 * Password credentials with per-account lockout. The counters live on the
 * AuthenticationMethod in MongoDB, so every replica sees the same lock.
 */
@Injectable()
export class Credentials {
  constructor(
    private readonly methods: CredentialsRepository,
    private readonly hasher: PasswordHasher,
    private readonly settings: AuthSettings,
  ) {}

  createPassword(userId: Types.ObjectId, secret: string, now: Date): Promise<void> {
    return this.methods.createPassword(userId, secret, now);
  }

  /**
   * Checks a password unless the account is locked. The attempt is counted as a failure
   * BEFORE the hash is verified (see `claimAttempt`); a success then resets the counter and,
   * when the stored hash has outdated parameters, replaces it (the plaintext is only at hand now).
   */
  async check(userId: Types.ObjectId, password: string, now: Date): Promise<PasswordCheck> {
    const stored = await this.methods.findPassword(userId);
    if (!stored) {
      await this.hasher.spendDecoyVerification(password);
      return { outcome: 'no_password' };
    }
    const claim = await this.claimAttempt(stored, now);
    if (claim.outcome === 'locked') return claim;
    if (!(await this.hasher.verify(claim.secret, password))) return { outcome: 'bad_password' };
    await this.recordSuccess(stored._id, claim.secret, password, stored.needsRehash === true);
    return { outcome: 'ok' };
  }

  async changePassword(userId: Types.ObjectId, newPassword: string, now: Date): Promise<void> {
    const secret = await this.hasher.hash(newPassword);
    await this.methods.replacePassword(userId, secret, now);
  }

  /**
   * Counts this attempt as a failure, and locks the account if that reaches the threshold,
   * before the password is verified: a compare-and-set on the counter as read. Otherwise a
   * burst of parallel guesses would all read "not locked", and each get a full verification
   * before the first failure was written; this way at most `threshold` guesses are ever in
   * flight per lock window. A lost compare-and-set (another attempt moved the counter) reads
   * again. Atomic on MongoDB (a single-document update); FerretDB v1 does not apply it
   * atomically under concurrency, which only weakens this bound there.
   */
  private async claimAttempt(
    stored: StoredPassword,
    now: Date,
  ): Promise<{ outcome: 'claimed'; secret: string } | { outcome: 'locked'; lockedUntil: Date }> {
    let state: StoredPassword | null = stored;
    for (let tries = 0; state && tries < MAX_CLAIM_TRIES; tries++) {
      if (state.lockedUntil && state.lockedUntil > now) return { outcome: 'locked', lockedUntil: state.lockedUntil };
      const failedAttempts = (state.failedAttempts ?? 0) + 1;
      const seconds = lockDurationSeconds(failedAttempts, this.settings.lockout);
      const lockedUntil = seconds > 0 ? new Date(now.getTime() + seconds * 1000) : null;
      if (await this.methods.compareAndSetFailures(state, { failedAttempts, lockedUntil }))
        return { outcome: 'claimed', secret: state.secret };
      state = await this.methods.reread(state._id);
    }
    // Still contended after several tries: many attempts on this account right now. Refuse
    // this one briefly rather than verify it uncounted.
    return { outcome: 'locked', lockedUntil: new Date(now.getTime() + 1000) };
  }

  /** Resets the counter (the claim raised it) and upgrades an outdated hash, in one write. */
  private async recordSuccess(methodId: Types.ObjectId, secret: string, password: string, flagged: boolean): Promise<void> {
    // `flagged`: imported hashes are marked for rehash whatever their parameters.
    const rehashed = flagged || this.hasher.needsRehash(secret) ? await this.hasher.hash(password) : undefined;
    await this.methods.resetFailures(methodId, rehashed);
  }
}
