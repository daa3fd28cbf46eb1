import { MAX_ROTATED_HASHES, ModelName, SESSION_SCHEMA, type SchemaRegistration, type SessionFields } from '@directory/schemas';
import type { Connection, Model, Types } from 'mongoose';
import { trusted } from '../trusted';

export type SessionLookup = Pick<SessionFields, 'userId' | 'family' | 'expiresAt' | 'revokedAt' | 'createdAt'> & { _id: Types.ObjectId };
export type SessionFamily = Pick<SessionFields, 'userId' | 'family' | 'revokedAt'>;

export interface NewSession {
  userId: Types.ObjectId;
  family: string;
  tokenHash: string;
  expiresAt: Date;
  ip?: string;
  userAgent?: string;
}

/**
 * Refresh-token families, one Session each, and the only writer of `revokedAt`: every way a
 * session ends (logout, reuse, password change, suspension by an admin) goes through here.
 * Only SHA-256 hashes of tokens are stored; the current one in `tokenHash` (unique), the
 * rotated-away ones in `rotatedHashes` for reuse detection. Correctness never relies on the
 * TTL index (FerretDB never expires anything): callers check `expiresAt` and `revokedAt`.
 */
export class SessionsRepository {
  static readonly schemas: readonly SchemaRegistration[] = [SESSION_SCHEMA];
  private readonly sessions: Model<SessionFields>;

  constructor(connection: Connection) {
    this.sessions = connection.model<SessionFields>(ModelName.Session);
  }

  async create(session: NewSession): Promise<void> {
    await this.sessions.create(session);
  }

  /** The session whose current token hashes to `tokenHash` (unique index). */
  findByTokenHash(tokenHash: string): Promise<SessionLookup | null> {
    return this.sessions
      .findOne({ tokenHash }, { userId: 1, family: 1, expiresAt: 1, revokedAt: 1, createdAt: 1 })
      .lean<SessionLookup>()
      .exec();
  }

  /** The session that once had `tokenHash` and rotated it away ({rotatedHashes} index). */
  findByRotatedHash(tokenHash: string): Promise<SessionFamily | null> {
    return this.sessions.findOne({ rotatedHashes: tokenHash }, { userId: 1, family: 1, revokedAt: 1 }).lean<SessionFamily>().exec();
  }

  /**
   * Swaps the current token hash for `nextHash` if it is still `presented` and the session
   * is live: a compare-and-set, so of two requests presenting one token only one rotates it.
   */
  async swapToken(id: Types.ObjectId, presented: string, nextHash: string, expiresAt: Date): Promise<boolean> {
    const swapped = await this.sessions
      .updateOne(
        { _id: id, tokenHash: presented, revokedAt: null },
        {
          $set: { tokenHash: nextHash, expiresAt },
          $inc: { rotation: 1 },
          $push: { rotatedHashes: { $each: [presented], $slice: -MAX_ROTATED_HASHES } },
        },
      )
      .exec();
    return swapped.matchedCount === 1;
  }

  /** Ends the live session that has or had `tokenHash`; nothing when there is none. */
  async endByTokenHash(tokenHash: string, now: Date): Promise<void> {
    await this.sessions
      .updateOne({ $or: [{ tokenHash }, { rotatedHashes: tokenHash }], revokedAt: null }, { $set: { revokedAt: now } })
      .exec();
  }

  async endFamily(family: string, now: Date): Promise<void> {
    await this.sessions.updateOne({ family, revokedAt: null }, { $set: { revokedAt: now } }).exec();
  }

  /** Every live session of a user, except `keepFamily` (the caller's own, on password change). */
  async endAllOfUser(userId: Types.ObjectId, now: Date, keepFamily?: string): Promise<number> {
    const filter: Record<string, unknown> = { userId, revokedAt: null };
    if (keepFamily) filter['family'] = trusted({ $ne: keepFamily });
    const result = await this.sessions.updateMany(filter, { $set: { revokedAt: now } }).exec();
    return result.modifiedCount;
  }
}
