import type { Connection, Model, Types } from 'mongoose';
import type { SchemaRegistration } from '@directory/schemas';
import {
  AUTHENTICATION_METHOD_SCHEMA,
  AuthenticationMethodType,
  CredentialModelName,
  type AuthenticationMethodFields,
} from './authentication-method.schema';

/** A password method with its hash (selected explicitly: `secret` is hidden by default). */
export type StoredPassword = Pick<AuthenticationMethodFields, 'secret' | 'needsRehash'> & {
  _id: Types.ObjectId;
};

const STORED_FIELDS = '+secret needsRehash';

/**
 * Password hashes (`authenticationmethods`; lockout lives in the failure ledger, LoginFailuresRepository). The only code that reads
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

  /** After a success with an outdated hash: the new hash, in one write. */
  async replaceHash(methodId: Types.ObjectId, rehashed: string): Promise<void> {
    await this.methods.updateOne({ _id: methodId }, { $set: { secret: rehashed, needsRehash: false } }).exec();
  }

  /**
   * When the user's password last changed, or `undefined` when the user has no password (an
   * invited user): the state a reset token is bound to and a "password changed" notice announces.
   */
  async passwordChangedAt(userId: Types.ObjectId): Promise<Date | null | undefined> {
    const method = await this.methods
      .findOne({ userId, type: AuthenticationMethodType.Password }, { passwordChangedAt: 1 })
      .lean<Pick<AuthenticationMethodFields, 'passwordChangedAt'>>()
      .exec();
    return method ? (method.passwordChangedAt ?? null) : undefined;
  }

  async replacePassword(userId: Types.ObjectId, secret: string, now: Date): Promise<void> {
    await this.methods.updateOne({ userId, type: AuthenticationMethodType.Password }, { $set: { secret, passwordChangedAt: now } }).exec();
  }
}
