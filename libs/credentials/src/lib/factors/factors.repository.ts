import mongoose, { Types, type Connection, type Model } from 'mongoose';
import type { SchemaRegistration } from '@directory/schemas';
import type { SealedSecret } from './factor-secret-box';
import {
  FACTOR_SCHEMAS,
  FactorModelName,
  FactorStatus,
  type FactorFields,
  type RecoveryCodeFields,
  type RecoveryCodeRedemptionFields,
  type StoredFactorType,
  type TotpStepUseFields,
} from './factor.schema';

const DUPLICATE_KEY = 11000;

/** Operators built here (connections run with `sanitizeFilter`, which neutralizes any other). */
const trusted = <T extends object>(operator: T): T => mongoose.trusted(operator) as T;

const isDuplicate = (error: unknown): boolean => (error as { code?: number }).code === DUPLICATE_KEY;

/** A factor as lists show it: never its secret. */
export type FactorSummary = Pick<FactorFields, '_id' | 'userId' | 'type' | 'name' | 'status' | 'createdAt' | 'confirmedAt' | 'lastUsedAt'>;
/** A factor with its sealed secret (selected explicitly: `secret` is hidden by default). */
export type FactorWithSecret = FactorSummary & { secret: SealedSecret };

const SUMMARY = { userId: 1, type: 1, name: 1, status: 1, createdAt: 1, confirmedAt: 1, lastUsedAt: 1 } as const;

export interface RecoveryCodeSetState {
  setId: Types.ObjectId;
  generatedAt: Date;
  total: number;
  remaining: number;
}

/**
 * Second factors (`factors`, secrets sealed), the TOTP steps already accepted (`totpstepuses`),
 * recovery codes (`recoverycodes`, hashes only) and their redemptions (`recoverycoderedemptions`).
 * "Accepted once" is decided by unique inserts (a step per factor, a redemption per code), never
 * by a conditional update: FerretDB v1 does not apply those atomically under concurrency.
 */
export class FactorsRepository {
  static readonly schemas: readonly SchemaRegistration[] = FACTOR_SCHEMAS;
  private readonly factors: Model<FactorFields>;
  private readonly steps: Model<TotpStepUseFields>;
  private readonly codes: Model<RecoveryCodeFields>;
  private readonly redemptions: Model<RecoveryCodeRedemptionFields>;

  constructor(connection: Connection) {
    this.factors = connection.model<FactorFields>(FactorModelName.Factor);
    this.steps = connection.model<TotpStepUseFields>(FactorModelName.TotpStepUse);
    this.codes = connection.model<RecoveryCodeFields>(FactorModelName.RecoveryCode);
    this.redemptions = connection.model<RecoveryCodeRedemptionFields>(FactorModelName.RecoveryCodeRedemption);
  }

  /** A new pending factor; `_id` is chosen by the caller because the secret is sealed for it. */
  async insertPending(factor: {
    _id: Types.ObjectId;
    userId: Types.ObjectId;
    type: StoredFactorType;
    name: string;
    secret: SealedSecret;
    createdAt: Date;
  }): Promise<void> {
    await this.factors.create({ ...factor, status: FactorStatus.Pending });
  }

  /** Unfinished enrolments of this type (a new enrolment replaces them). */
  async deletePending(userId: Types.ObjectId, type: StoredFactorType): Promise<void> {
    await this.factors.deleteMany({ userId, type, status: FactorStatus.Pending }).exec();
  }

  countForUser(userId: Types.ObjectId): Promise<number> {
    return this.factors.countDocuments({ userId }).exec();
  }

  list(userId: Types.ObjectId): Promise<FactorSummary[]> {
    return this.factors.find({ userId }, SUMMARY).sort({ createdAt: 1, _id: 1 }).lean<FactorSummary[]>().exec();
  }

  findWithSecret(userId: Types.ObjectId, factorId: Types.ObjectId): Promise<FactorWithSecret | null> {
    return this.factors
      .findOne({ _id: factorId, userId }, { ...SUMMARY, secret: 1 })
      .select('+secret')
      .lean<FactorWithSecret>()
      .exec();
  }

  activeWithSecrets(userId: Types.ObjectId, type: StoredFactorType): Promise<FactorWithSecret[]> {
    return this.factors
      .find({ userId, type, status: FactorStatus.Active }, { ...SUMMARY, secret: 1 })
      .select('+secret')
      .sort({ createdAt: 1, _id: 1 })
      .lean<FactorWithSecret[]>()
      .exec();
  }

  /** Active factor types of the user (distinct). */
  async activeTypes(userId: Types.ObjectId): Promise<StoredFactorType[]> {
    const rows = await this.factors.find({ userId, status: FactorStatus.Active }, { type: 1 }).lean<{ type: StoredFactorType }[]>().exec();
    return [...new Set(rows.map((row) => row.type))];
  }

  async activate(userId: Types.ObjectId, factorId: Types.ObjectId, at: Date): Promise<void> {
    await this.factors
      .updateOne(
        { _id: factorId, userId, status: FactorStatus.Pending },
        { $set: { status: FactorStatus.Active, confirmedAt: at, lastUsedAt: at } },
      )
      .exec();
  }

  async touch(factorId: Types.ObjectId, at: Date): Promise<void> {
    await this.factors.updateOne({ _id: factorId }, { $set: { lastUsedAt: at } }).exec();
  }

  /** The removed factor (summary), or null when the user has no such factor. */
  async remove(userId: Types.ObjectId, factorId: Types.ObjectId): Promise<FactorSummary | null> {
    // Read, then delete (FerretDB v1 has no projection on findAndModify): the deletion decides.
    const factor = await this.factors.findOne({ _id: factorId, userId }, SUMMARY).lean<FactorSummary>().exec();
    if (!factor) return null;
    const { deletedCount } = await this.factors.deleteOne({ _id: factorId, userId }).exec();
    return deletedCount === 1 ? factor : null;
  }

  /** Every factor of the user; returns how many there were. */
  async removeAll(userId: Types.ObjectId): Promise<number> {
    const result = await this.factors.deleteMany({ userId }).exec();
    return result.deletedCount;
  }

  /** Key rotation (tools/reseal-factors.ts): how many factors of a type there are. */
  countOfType(type: StoredFactorType): Promise<number> {
    return this.factors.countDocuments({ type }).exec();
  }

  /** Key rotation: the next page of a type's sealed secrets in _id order, after `after` (null: from the start). */
  sealedSecretsPage(
    type: StoredFactorType,
    after: Types.ObjectId | null,
    limit: number,
  ): Promise<{ _id: Types.ObjectId; secret: SealedSecret }[]> {
    const filter = after ? { type, _id: trusted({ $gt: after }) } : { type };
    return this.factors
      .find(filter, { secret: 1 })
      .select('+secret')
      .sort({ _id: 1 })
      .limit(limit)
      .lean<{ _id: Types.ObjectId; secret: SealedSecret }[]>()
      .exec();
  }

  /**
   * Key rotation: writes `next` only while the stored secret is still exactly `expected` (every
   * field), so a secret that changed or a factor deleted since it was read is left alone; false then.
   */
  async replaceSecret(factorId: Types.ObjectId, expected: SealedSecret, next: SealedSecret): Promise<boolean> {
    const result = await this.factors
      .updateOne(
        {
          _id: factorId,
          'secret.keyId': expected.keyId,
          'secret.iv': expected.iv,
          'secret.ciphertext': expected.ciphertext,
          'secret.tag': expected.tag,
        },
        { $set: { secret: next } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  /**
   * Accepts a TOTP step for a factor: true for the one caller whose insert wins, false when the
   * step was already accepted (a replayed code, or the same code sent twice at once).
   */
  async acceptStep(factorId: Types.ObjectId, step: number, at: Date, expiresAt: Date): Promise<boolean> {
    try {
      await this.steps.create({ factorId, step, at, expiresAt });
      return true;
    } catch (error) {
      if (isDuplicate(error)) return false;
      throw error;
    }
  }

  /** A new set of recovery code hashes; the previous sets (and their redemptions) are deleted after it is written. */
  async replaceRecoveryCodes(userId: Types.ObjectId, hashes: readonly string[], at: Date): Promise<Types.ObjectId> {
    const setId = new Types.ObjectId();
    await this.codes.insertMany(hashes.map((hash) => ({ userId, setId, hash, createdAt: at })));
    await this.deleteRecoveryCodes(userId, setId);
    return setId;
  }

  /** The user's recovery codes, except the set `keep`; then the redemptions of those codes. */
  async deleteRecoveryCodes(userId: Types.ObjectId, keep?: Types.ObjectId): Promise<void> {
    const filter = keep ? { userId, setId: trusted({ $ne: keep }) } : { userId };
    const old = await this.codes.find(filter, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>().exec();
    if (old.length === 0) return;
    const ids = old.map((code) => code._id);
    await this.codes.deleteMany({ _id: trusted({ $in: ids }) }).exec();
    await this.redemptions.deleteMany({ _id: trusted({ $in: ids }) }).exec();
  }

  /** The user's newest set of codes, or null. */
  async currentRecoverySet(userId: Types.ObjectId): Promise<RecoveryCodeSetState | null> {
    const newest = await this.codes
      .findOne({ userId }, { setId: 1, createdAt: 1 })
      .sort({ createdAt: -1, _id: -1 })
      .lean<Pick<RecoveryCodeFields, 'setId' | 'createdAt'>>()
      .exec();
    if (!newest) return null;
    const ids = (await this.codes.find({ userId, setId: newest.setId }, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>().exec()).map(
      (c) => c._id,
    );
    const used = await this.redemptions.countDocuments({ _id: trusted({ $in: ids }) }).exec();
    return { setId: newest.setId, generatedAt: newest.createdAt, total: ids.length, remaining: ids.length - used };
  }

  /** A code of the user by its hash (any set: the caller checks it belongs to the current one). */
  findRecoveryCode(userId: Types.ObjectId, hash: string): Promise<Pick<RecoveryCodeFields, '_id' | 'setId'> | null> {
    return this.codes.findOne({ userId, hash }, { setId: 1 }).lean<Pick<RecoveryCodeFields, '_id' | 'setId'>>().exec();
  }

  /** Uses a code up: true for the one caller whose insert wins, false for every other (the code was used). */
  async redeemRecoveryCode(userId: Types.ObjectId, codeId: Types.ObjectId, at: Date): Promise<boolean> {
    try {
      await this.redemptions.create({ _id: codeId, userId, at });
    } catch (error) {
      if (isDuplicate(error)) return false;
      throw error;
    }
    await this.codes.updateOne({ _id: codeId }, { $set: { usedAt: at } }).exec();
    return true;
  }
}
