import mongoose, { type Connection, type Model, type Types } from 'mongoose';
import type { SchemaRegistration } from '@directory/schemas';
import { LOGIN_FAILURE_SCHEMA, LoginFailureModelName, type LoginFailureFields } from './login-failure.schema';

/** Connections run with `sanitizeFilter`: operator objects built here are marked as ours. */
const after = (since: Date) => mongoose.trusted({ $gt: since }) as { $gt: Date };

/** The three ledger keys of one attempt (HMACs computed by the caller). */
export type FailureKeys = Pick<LoginFailureFields, 'pair' | 'account' | 'source'>;
export type FailureKeyName = keyof FailureKeys;

/**
 * The failure ledger (`loginfailures`): one document per failed login attempt, counted per key
 * in a sliding window. Only inserts, counts and deletes: no conditional update, so it holds on
 * FerretDB v1 (which does not apply conditional updates atomically) as on MongoDB, and every
 * replica sees the same counts.
 */
export class LoginFailuresRepository {
  static readonly schemas: readonly SchemaRegistration[] = [LOGIN_FAILURE_SCHEMA];
  private readonly failures: Model<LoginFailureFields>;

  constructor(connection: Connection) {
    this.failures = connection.model<LoginFailureFields>(LoginFailureModelName.LoginFailure);
  }

  /** Records one attempt as a failure; returns its id (to withdraw it again). */
  async record(keys: FailureKeys, at: Date, expiresAt: Date): Promise<Types.ObjectId> {
    const created = await this.failures.create({ ...keys, at, expiresAt });
    return created._id;
  }

  /** Failures under each key since `since` (exclusive), read in parallel. */
  async counts(keys: FailureKeys, since: Date): Promise<Record<FailureKeyName, number>> {
    const [pair, account, source] = await Promise.all(
      (['pair', 'account', 'source'] as const).map((name) => this.failures.countDocuments({ [name]: keys[name], at: after(since) }).exec()),
    );
    return { pair, account, source };
  }

  /** The `at` of the failure at position `skip` (oldest first) under one key since `since`. */
  async nthOldest(name: FailureKeyName, key: string, since: Date, skip: number): Promise<Date | null> {
    const row = await this.failures
      .findOne({ [name]: key, at: after(since) }, { at: 1 })
      .sort({ at: 1, _id: 1 })
      .skip(skip)
      .lean<{ at: Date }>()
      .exec();
    return row?.at ?? null;
  }

  async withdraw(id: Types.ObjectId): Promise<void> {
    await this.failures.deleteOne({ _id: id }).exec();
  }

  /** Forgets every failure under one key (a success clears its pair; an admin unlock its account). */
  async clear(name: FailureKeyName, key: string): Promise<number> {
    const result = await this.failures.deleteMany({ [name]: key }).exec();
    return result.deletedCount;
  }
}
