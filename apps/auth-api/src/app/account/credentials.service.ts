import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { AuthenticationMethodType, ModelName, type AuthenticationMethodFields } from '@directory/schemas';
import type { Model, Types } from 'mongoose';
import { AuthSettings } from '../auth-settings';
import { lockDurationSeconds } from '../lockout/lockout-policy';
import { PasswordHasher } from '../passwords/password-hasher';

export type PasswordCheck =
  | { outcome: 'ok' }
  | { outcome: 'bad_password' }
  | { outcome: 'locked'; lockedUntil: Date }
  /** The user has no password method (never the case for accounts made by registration). */
  | { outcome: 'no_password' };

type StoredPassword = Pick<AuthenticationMethodFields, 'secret' | 'failedAttempts' | 'lockedUntil'> & { _id: Types.ObjectId };

/**
 * Password credentials with per-account lockout. The counters live on the
 * AuthenticationMethod in MongoDB, so every replica sees the same lock.
 */
@Injectable()
export class Credentials {
  constructor(
    @InjectModel(ModelName.AuthenticationMethod, 'fast') private readonly methods: Model<AuthenticationMethodFields>,
    private readonly hasher: PasswordHasher,
    private readonly settings: AuthSettings,
  ) {}

  async createPassword(userId: Types.ObjectId, secret: string, now: Date): Promise<void> {
    await this.methods.create({ userId, type: AuthenticationMethodType.Password, secret, passwordChangedAt: now });
  }

  /**
   * Checks a password unless the account is locked. A failure counts towards the lockout;
   * a success resets the counter and, when the stored hash has outdated parameters,
   * replaces it (the plaintext is only at hand now).
   */
  async check(userId: Types.ObjectId, password: string, now: Date): Promise<PasswordCheck> {
    const stored = await this.methods
      .findOne({ userId, type: AuthenticationMethodType.Password })
      .select('+secret failedAttempts lockedUntil')
      .lean<StoredPassword>();
    if (!stored) {
      await this.hasher.spendDecoyVerification(password);
      return { outcome: 'no_password' };
    }
    if (stored.lockedUntil && stored.lockedUntil > now) return { outcome: 'locked', lockedUntil: stored.lockedUntil };
    if (!(await this.hasher.verify(stored.secret, password))) {
      await this.recordFailure(stored._id, now);
      return { outcome: 'bad_password' };
    }
    await this.recordSuccess(stored, password);
    return { outcome: 'ok' };
  }

  async changePassword(userId: Types.ObjectId, newPassword: string, now: Date): Promise<void> {
    const secret = await this.hasher.hash(newPassword);
    await this.methods.updateOne(
      { userId, type: AuthenticationMethodType.Password },
      { $set: { secret, passwordChangedAt: now, failedAttempts: 0, lockedUntil: null } },
    );
  }

  /**
   * The increment is atomic, so concurrent failures all count; the lock follows from the
   * count read back. (One read more than findOneAndUpdate would need, because FerretDB has
   * no projections in findAndModify and the method document carries the hash.)
   */
  private async recordFailure(methodId: Types.ObjectId, now: Date): Promise<void> {
    await this.methods.updateOne({ _id: methodId }, { $inc: { failedAttempts: 1 } });
    const counted = await this.methods
      .findById(methodId, { failedAttempts: 1 })
      .lean<Pick<AuthenticationMethodFields, 'failedAttempts'>>();
    const seconds = lockDurationSeconds(counted?.failedAttempts ?? 0, this.settings.lockout);
    if (seconds > 0) {
      await this.methods.updateOne({ _id: methodId }, { $set: { lockedUntil: new Date(now.getTime() + seconds * 1000) } });
    }
  }

  private async recordSuccess(stored: StoredPassword, password: string): Promise<void> {
    const set: Partial<AuthenticationMethodFields> = {};
    if ((stored.failedAttempts ?? 0) > 0 || stored.lockedUntil) Object.assign(set, { failedAttempts: 0, lockedUntil: null });
    if (this.hasher.needsRehash(stored.secret)) set.secret = await this.hasher.hash(password);
    if (Object.keys(set).length > 0) await this.methods.updateOne({ _id: stored._id }, { $set: set });
  }
}
