import { Injectable } from '@nestjs/common';
import { CredentialsRepository, type StoredPassword } from '@directory/credentials';
import { UsersRepository } from '@directory/data-access';
import { Types } from 'mongoose';
import { PasswordHasher } from '../passwords/password-hasher';
import { LoginLedger } from './login-ledger';

export type PasswordCheck =
  | { outcome: 'ok' }
  | { outcome: 'bad_password' }
  | { outcome: 'locked'; lockedUntil: Date }
  /** The user has no password method (never the case for accounts made by registration). */
  | { outcome: 'no_password' };

/**
 * Password credentials behind the failure ledger (LoginLedger): lockout state lives in
 * MongoDB keyed by the email's HMAC, so every replica sees the same lock and unknown emails
 * lock like known ones.
 */
@Injectable()
export class Credentials {
  constructor(
    private readonly methods: CredentialsRepository,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly ledger: LoginLedger,
  ) {}

  createPassword(userId: Types.ObjectId, secret: string, now: Date): Promise<void> {
    return this.methods.createPassword(userId, secret, now);
  }

  /**
   * The password of a known user (POST /auth/password): wrong current passwords count in the
   * same ledger as logins (a stolen access token must not become a password oracle), under the
   * user's email and, as source, `source` or else the user itself. So guesses through a stolen
   * token lock password changes for that token's holder and count towards the email's lock,
   * without locking the owner's logins from their own address before that.
   */
  async check(userId: Types.ObjectId, password: string, now: Date, source?: string): Promise<PasswordCheck> {
    const user = await this.users.findLoginState(userId);
    const keys = this.ledger.keys(user?.email ?? `user:${userId.toHexString()}`, source ?? `user:${userId.toHexString()}`);
    const admission = await this.ledger.admit(keys, now);
    if (admission.outcome === 'locked') return admission;
    const stored = await this.methods.findPassword(userId);
    if (!(await this.verify(stored, password))) return { outcome: stored ? 'bad_password' : 'no_password' };
    await this.ledger.succeeded(keys);
    return { outcome: 'ok' };
  }

  /**
   * The same work whether or not `userId` has a password: the method is looked up (an id that
   * matches nothing when there is no usable account) and one argon2 verification is spent.
   */
  findPassword(userId: Types.ObjectId | undefined): Promise<StoredPassword | null> {
    return this.methods.findPassword(userId ?? new Types.ObjectId());
  }

  /** Verifies against `stored`, or spends a decoy verification when there is none. */
  async verify(stored: StoredPassword | null, password: string): Promise<boolean> {
    if (!stored) {
      await this.hasher.spendDecoyVerification(password);
      return false;
    }
    return this.hasher.verify(stored.secret, password);
  }

  /** After a success: imported or outdated hashes are replaced (the plaintext is only at hand now). */
  async upgradeHash(stored: StoredPassword, password: string): Promise<void> {
    if (stored.needsRehash !== true && !this.hasher.needsRehash(stored.secret)) return;
    await this.methods.replaceHash(stored._id, await this.hasher.hash(password));
  }

  async changePassword(userId: Types.ObjectId, newPassword: string, now: Date): Promise<void> {
    const secret = await this.hasher.hash(newPassword);
    await this.methods.replacePassword(userId, secret, now);
  }
}
