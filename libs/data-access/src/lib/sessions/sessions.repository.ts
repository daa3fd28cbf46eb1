import { MAX_ROTATED_HASHES, ModelName, SESSION_SCHEMA, type SchemaRegistration, type SessionFields } from '@directory/schemas';
import type { Connection, Model, Types } from 'mongoose';
import { trusted } from '../trusted';
import { REVOCATION_READ_PREFERENCE } from '../users/users.repository';

export type SessionLookup = Pick<SessionFields, 'userId' | 'family' | 'expiresAt' | 'revokedAt' | 'createdAt' | 'amr' | 'authTime'> & {
  _id: Types.ObjectId;
};
export type SessionFamily = Pick<SessionFields, 'userId' | 'family' | 'revokedAt'>;
/** A session found by a rotated-away hash, with what the refresh grace needs to decide. */
export type RotatedSession = Pick<
  SessionFields,
  'userId' | 'family' | 'revokedAt' | 'expiresAt' | 'updatedAt' | 'tokenHash' | 'rotatedHashes' | 'amr' | 'authTime' | 'createdAt'
>;

/** A live session as an admin lists it: never a token hash. */
export type LiveSession = Pick<SessionFields, 'family' | 'createdAt' | 'updatedAt' | 'expiresAt' | 'amr' | 'ip' | 'userAgent'>;

/** Only these fields are read for a listing: the hashes (`select: false` anyway) are never asked for. */
const LIVE_SESSION_PROJECTION = { _id: 0, family: 1, createdAt: 1, updatedAt: 1, expiresAt: 1, amr: 1, ip: 1, userAgent: 1 } as const;

export interface NewSession {
  userId: Types.ObjectId;
  family: string;
  tokenHash: string;
  expiresAt: Date;
  ip?: string;
  userAgent?: string;
  amr: string[];
  authTime: Date;
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
      .findOne({ tokenHash }, { userId: 1, family: 1, expiresAt: 1, revokedAt: 1, createdAt: 1, amr: 1, authTime: 1 })
      .lean<SessionLookup>()
      .exec();
  }

  /** The session that once had `tokenHash` and rotated it away ({rotatedHashes} index). */
  findByRotatedHash(tokenHash: string): Promise<RotatedSession | null> {
    return this.sessions
      .findOne(
        { rotatedHashes: tokenHash },
        {
          userId: 1,
          family: 1,
          revokedAt: 1,
          expiresAt: 1,
          updatedAt: 1,
          tokenHash: 1,
          rotatedHashes: 1,
          amr: 1,
          authTime: 1,
          createdAt: 1,
        },
      )
      .lean<RotatedSession>()
      .exec();
  }

  /**
   * Whether the session `family` of `userId` has ended (revoked) or does not exist: the
   * access-token revocation check (libs/auth) refuses tokens whose `sid` names such a session.
   * One read on the unique `family` index, from the primary like the users' token state.
   */
  async isEnded(userId: Types.ObjectId | string, family: string): Promise<boolean> {
    const session = await this.sessions
      .findOne({ family }, { userId: 1, revokedAt: 1 })
      .read(REVOCATION_READ_PREFERENCE)
      .lean<Pick<SessionFields, 'userId' | 'revokedAt'>>()
      .exec();
    return !session || session.revokedAt != null || String(session.userId) !== String(userId);
  }

  /**
   * A user's live sessions (not revoked, not expired), most recently used first (`updatedAt`:
   * login, each refresh rotation, a step-up), at most `limit` of them, and how many there are.
   * Both reads use the {userId} index; a user's sessions are few, so the sort is in memory.
   */
  async liveOfUser(userId: Types.ObjectId, now: Date, limit: number): Promise<{ count: number; items: LiveSession[] }> {
    const filter = { userId, revokedAt: null, expiresAt: trusted({ $gt: now }) };
    const [count, items] = await Promise.all([
      this.sessions.countDocuments(filter).exec(),
      this.sessions.find(filter, LIVE_SESSION_PROJECTION).sort({ updatedAt: -1, family: 1 }).limit(limit).lean<LiveSession[]>().exec(),
    ]);
    return { count, items };
  }

  /** A fresh authentication within the session (a step-up): later access tokens carry it. */
  async recordAuthentication(userId: Types.ObjectId, family: string, amr: readonly string[], authTime: Date): Promise<boolean> {
    const result = await this.sessions.updateOne({ family, userId, revokedAt: null }, { $set: { amr: [...amr], authTime } }).exec();
    return result.matchedCount === 1;
  }

  /**
   * Swaps the current token hash for `nextHash` if it is still `presented` and the session
   * is live: a compare-and-set, so of two requests presenting one token only one rotates it.
   * `updatedAt` is the rotation time by the caller's clock (the refresh grace compares it).
   */
  async swapToken(id: Types.ObjectId, presented: string, nextHash: string, expiresAt: Date, now: Date): Promise<boolean> {
    const swapped = await this.sessions
      .updateOne(
        { _id: id, tokenHash: presented, revokedAt: null },
        {
          $set: { tokenHash: nextHash, expiresAt, updatedAt: now },
          $inc: { rotation: 1 },
          $push: { rotatedHashes: { $each: [presented], $slice: -MAX_ROTATED_HASHES } },
        },
        { timestamps: false },
      )
      .exec();
    return swapped.matchedCount === 1;
  }

  /**
   * Ends the live session that has or had `tokenHash`; its user, or null when there was none.
   * A read, then an update by `_id` (not findOneAndUpdate: mongoose would send a projection
   * for the `select: false` hashes, and FerretDB v1 does not implement findAndModify's `fields`).
   */
  async endByTokenHash(tokenHash: string, now: Date): Promise<Types.ObjectId | null> {
    const live = await this.sessions
      .findOne({ $or: [{ tokenHash }, { rotatedHashes: tokenHash }], revokedAt: null }, { userId: 1 })
      .lean<{ _id: Types.ObjectId; userId: Types.ObjectId }>()
      .exec();
    if (!live) return null;
    await this.sessions.updateOne({ _id: live._id, revokedAt: null }, { $set: { revokedAt: now } }).exec();
    return live.userId;
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
