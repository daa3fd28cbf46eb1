import type { Connection, Model, Types } from 'mongoose';
import type { SchemaRegistration } from '@directory/schemas';
import {
  AUTHENTICATION_METHOD_SCHEMA,
  AuthenticationMethodType,
  CredentialModelName,
  type AuthenticationMethodFields,
} from './authentication-method.schema';

/** A password method with its hash (selected explicitly: `secret` is hidden by default). */
export type StoredPassword = Pick<AuthenticationMethodFields, 'secret' | 'failedAttempts' | 'lockedUntil' | 'needsRehash'> & {
  _id: Types.ObjectId;
};

/** The lockout counters a failed attempt moves from → to, compared and set in one write. */
export interface FailureCount {
  failedAttempts: number;
  lockedUntil: Date | null;
}

const STORED_FIELDS = '+secret failedAttempts lockedUntil needsRehash';

/**
 * Password hashes and lockout counters (`authenticationmethods`). The only code that reads
 * a hash; this library is tagged `scope:auth`, so only auth-api (and operator tools) can
 * import it, and no other app's connection ever compiles the model (PRINCIPLES.md #5).
 */
export class CredentialsRepository {
  static readonly schemas: readonly SchemaRegistration[] = [AUTHENTICATION_METHOD_SCHEMA];
  private readonly methods: Model<AuthenticationMethodFields>;

  constructor(connection: Connection) {
    this.methods = connection.model<AuthenticationMethodFields>(CredentialModelName.AuthenticationMethod);
  }

  /** Unique on (userId, type): one password per user, whoever races. */
  async createPassword(userId: Types.ObjectId, secret: string, now: Date): Promise<void> {
    await this.methods.create({ userId, type: AuthenticationMethodType.Password, secret, passwordChangedAt: now });
  }

  findPassword(userId: Types.ObjectId): Promise<StoredPassword | null> {
    return this.methods.findOne({ userId, type: AuthenticationMethodType.Password }).select(STORED_FIELDS).lean<StoredPassword>().exec();
  }

  reread(methodId: Types.ObjectId): Promise<StoredPassword | null> {
    return this.methods.findById(methodId).select(STORED_FIELDS).lean<StoredPassword>().exec();
  }

  /**
   * Moves the counters from what was read to `next` only if nobody moved them meanwhile: a
   * compare-and-set. `?? null` matches a missing field too (documents from before these fields).
   * Atomic on MongoDB; FerretDB v1 does not apply it atomically under concurrency.
   */
  async compareAndSetFailures(stored: StoredPassword, next: FailureCount): Promise<boolean> {
    const claimed = await this.methods
      .updateOne(
        { _id: stored._id, failedAttempts: stored.failedAttempts ?? null, lockedUntil: stored.lockedUntil ?? null },
        { $set: next },
      )
      .exec();
    return claimed.matchedCount === 1;
  }

  /** After a success: counters back to zero and, when given, the hash replaced (rehash), in one write. */
  async resetFailures(methodId: Types.ObjectId, rehashed?: string): Promise<void> {
    const set: Partial<AuthenticationMethodFields> = { failedAttempts: 0, lockedUntil: null };
    if (rehashed) Object.assign(set, { secret: rehashed, needsRehash: false });
    await this.methods.updateOne({ _id: methodId }, { $set: set }).exec();
  }

  async replacePassword(userId: Types.ObjectId, secret: string, now: Date): Promise<void> {
    await this.methods
      .updateOne(
        { userId, type: AuthenticationMethodType.Password },
        { $set: { secret, passwordChangedAt: now, failedAttempts: 0, lockedUntil: null } },
      )
      .exec();
  }
}
