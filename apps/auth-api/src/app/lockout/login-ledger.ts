import { Injectable } from '@nestjs/common';
import { LoginFailuresRepository, type FailureKeyName, type FailureKeys } from '@directory/credentials';
import { createHmac } from 'node:crypto';
import type { Types } from 'mongoose';
import { AuthSettings } from '../auth-settings';

export type Admission = { outcome: 'admitted'; attempt: Types.ObjectId } | { outcome: 'locked'; lockedUntil: Date };

/** The normalized form of an email, as UsersRepository.findForLogin matches it. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Lockout and failure throttling on one ledger of failed attempts in MongoDB (so shared by
 * every replica), counted per key in a sliding window:
 * - (email, source): locked at the low threshold, so a guesser from one address locks only
 *   itself out of that account, not the owner elsewhere (ASVS 5.0 V6.3.1, V6.1.1);
 * - email: locked at a higher threshold, from all sources together (a distributed guess);
 * - source: refused after many failures over all emails (password spraying from one address).
 * Keys are HMACs of the email (normalized) and address with a server secret, computed whether
 * or not an account has the email: an unknown email locks exactly like a known one.
 * Failures older than the window stop counting, so every lock decays by itself; a refused
 * attempt is withdrawn again, so retrying during a lock (even with the right password) never
 * extends it; a success clears its own (email, source) failures.
 */
@Injectable()
export class LoginLedger {
  constructor(
    private readonly failures: LoginFailuresRepository,
    private readonly settings: AuthSettings,
  ) {}

  keys(email: string, source: string): FailureKeys {
    const account = this.hmac(`email\n${normalizeEmail(email)}`);
    return { account, source: this.hmac(`source\n${source}`), pair: this.hmac(`pair\n${account}\n${source}`) };
  }

  accountKey(email: string): string {
    return this.keys(email, '').account;
  }

  /**
   * Records this attempt as a failure BEFORE the password is verified, then counts. If any key
   * is over its threshold, the record is withdrawn and the attempt refused: a burst of parallel
   * guesses cannot all read "not locked" (each sees the records inserted before its count), so
   * at most a threshold of verifications run per key and window. Inserts, counts and deletes
   * only: no conditional update, so this holds on FerretDB v1 as on MongoDB.
   */
  async admit(keys: FailureKeys, now: Date): Promise<Admission> {
    const window = this.settings.lockout.windowSeconds * 1000;
    const since = new Date(now.getTime() - window);
    const attempt = await this.failures.record(keys, now, new Date(now.getTime() + window));
    const counts = await this.failures.counts(keys, since);
    const over = (Object.keys(counts) as FailureKeyName[]).filter((name) => counts[name] > this.threshold(name));
    if (over.length === 0) return { outcome: 'admitted', attempt };
    await this.failures.withdraw(attempt);
    let lockedUntil = new Date(now.getTime() + 1000);
    for (const name of over) {
      // Without this attempt, `counts[name] - 1` failures count; the lock ends when enough of
      // the oldest leave the window to bring that below the threshold.
      const skip = Math.max(0, counts[name] - 1 - this.threshold(name));
      const at = await this.failures.nthOldest(name, keys[name], since, skip);
      if (at && at.getTime() + window > lockedUntil.getTime()) lockedUntil = new Date(at.getTime() + window);
    }
    return { outcome: 'locked', lockedUntil };
  }

  /** A correct password: this (email, source)'s failures, the admitted attempt included, are forgotten. */
  async succeeded(keys: FailureKeys): Promise<void> {
    await this.failures.clear('pair', keys.pair);
  }

  /** An administrator's unlock: every failure counted against the email, from every source. */
  async unlockAccount(email: string): Promise<void> {
    await this.failures.clear('account', this.accountKey(email));
  }

  private threshold(name: FailureKeyName): number {
    const { pairThreshold, accountThreshold, sourceThreshold } = this.settings.lockout;
    return name === 'pair' ? pairThreshold : name === 'account' ? accountThreshold : sourceThreshold;
  }

  private hmac(value: string): string {
    return createHmac('sha256', this.settings.emailHashSecret).update(value).digest('base64url');
  }
}
