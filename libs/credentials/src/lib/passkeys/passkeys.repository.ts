import type { Connection, Model, Types } from 'mongoose';
import type { SchemaRegistration } from '@directory/schemas';
import { PASSKEY_SCHEMA, PasskeyModelName, type PasskeyDeviceType, type PasskeyFields } from './passkey.schema';

const DUPLICATE_KEY = 11000;

export type NewPasskey = Omit<PasskeyFields, '_id' | 'lastUsedAt'>;

/** What a ceremony leaves behind on the credential. */
export interface PasskeyUse {
  counter: number;
  backedUp: boolean;
  deviceType: PasskeyDeviceType;
  at: Date;
}

/**
 * WebAuthn credentials (`passkeys`), apart from `factors` because the credential id must be
 * unique over all users and FerretDB has no partial index that would allow it there (TOTP
 * factors have no credential id). The unique index decides a duplicate registration.
 */
export class PasskeysRepository {
  static readonly schemas: readonly SchemaRegistration[] = [PASSKEY_SCHEMA];
  private readonly passkeys: Model<PasskeyFields>;

  constructor(connection: Connection) {
    this.passkeys = connection.model<PasskeyFields>(PasskeyModelName.Passkey);
  }

  /** The new passkey's id, or null when the credential is registered already (to anyone). */
  async insert(passkey: NewPasskey): Promise<Types.ObjectId | null> {
    try {
      const created = await this.passkeys.create(passkey);
      return created._id;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return null;
      throw error;
    }
  }

  list(userId: Types.ObjectId): Promise<PasskeyFields[]> {
    return this.passkeys.find({ userId }).sort({ createdAt: 1, _id: 1 }).lean<PasskeyFields[]>().exec();
  }

  countForUser(userId: Types.ObjectId): Promise<number> {
    return this.passkeys.countDocuments({ userId }).exec();
  }

  findByCredentialId(credentialId: string): Promise<PasskeyFields | null> {
    return this.passkeys.findOne({ credentialId }).lean<PasskeyFields>().exec();
  }

  async recordUse(passkeyId: Types.ObjectId, use: PasskeyUse): Promise<void> {
    await this.passkeys
      .updateOne(
        { _id: passkeyId },
        { $set: { counter: use.counter, backedUp: use.backedUp, deviceType: use.deviceType, lastUsedAt: use.at } },
      )
      .exec();
  }

  /** The removed passkey, or null when the user has no such passkey. */
  async remove(userId: Types.ObjectId, passkeyId: Types.ObjectId): Promise<PasskeyFields | null> {
    const passkey = await this.passkeys.findOne({ _id: passkeyId, userId }).lean<PasskeyFields>().exec();
    if (!passkey) return null;
    const { deletedCount } = await this.passkeys.deleteOne({ _id: passkeyId, userId }).exec();
    return deletedCount === 1 ? passkey : null;
  }

  async removeAll(userId: Types.ObjectId): Promise<number> {
    return (await this.passkeys.deleteMany({ userId }).exec()).deletedCount;
  }
}
