import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { MAX_ROTATED_HASHES, ModelName, type SessionFields } from '@directory/schemas';
import mongoose, { type Model, type Types } from 'mongoose';
import { AuthSettings } from '../auth-settings';
import { hashRefreshToken, newRefreshToken, newSessionFamily } from '../tokens/refresh-tokens';

export interface ClientInfo {
  ip?: string;
  userAgent?: string;
}

export interface StartedSession {
  family: string;
  refreshToken: string;
}

export type Rotation =
  | { outcome: 'rotated'; userId: Types.ObjectId; family: string; refreshToken: string }
  /** An already-rotated token came back: someone holds a copy. The family is now revoked. */
  | { outcome: 'reused'; userId: Types.ObjectId; family: string }
  | { outcome: 'invalid' };

type SessionLookup = Pick<SessionFields, 'userId' | 'family' | 'expiresAt' | 'revokedAt' | 'createdAt'> & { _id: Types.ObjectId };

const USER_AGENT_MAX = 512;

/**
 * Refresh-token families (one Session each). Only SHA-256 hashes of tokens are stored; the
 * current one in `tokenHash`, rotated-away ones in `rotatedHashes` for reuse detection.
 * Correctness never relies on the TTL index (FerretDB never expires anything): every
 * read checks `expiresAt` and `revokedAt` itself.
 */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger('Sessions');

  constructor(
    @InjectModel(ModelName.Session, 'fast') private readonly sessions: Model<SessionFields>,
    private readonly settings: AuthSettings,
  ) {}

  async start(userId: Types.ObjectId, client: ClientInfo, now: Date): Promise<StartedSession> {
    const family = newSessionFamily();
    const refreshToken = newRefreshToken();
    await this.sessions.create({
      userId,
      family,
      tokenHash: hashRefreshToken(refreshToken),
      expiresAt: this.expiryFor(now, now),
      ip: client.ip,
      userAgent: client.userAgent?.slice(0, USER_AGENT_MAX),
    });
    return { family, refreshToken };
  }

  /**
   * Swaps a refresh token for a new one. The swap is a compare-and-set on the presented
   * hash, so of two requests presenting the same token only one rotates it; the other
   * finds the hash among the rotated ones, i.e. a replay, and the family is revoked.
   */
  async rotate(refreshToken: string, now: Date): Promise<Rotation> {
    const presented = hashRefreshToken(refreshToken);
    const session = await this.sessions
      .findOne({ tokenHash: presented }, { userId: 1, family: 1, expiresAt: 1, revokedAt: 1, createdAt: 1 })
      .lean<SessionLookup>();
    if (!session) return this.detectReuse(presented, now);
    if (session.revokedAt || session.expiresAt <= now) return { outcome: 'invalid' };

    const next = newRefreshToken();
    const swapped = await this.sessions.updateOne(
      { _id: session._id, tokenHash: presented, revokedAt: null },
      {
        $set: { tokenHash: hashRefreshToken(next), expiresAt: this.expiryFor(session.createdAt, now) },
        $inc: { rotation: 1 },
        $push: { rotatedHashes: { $each: [presented], $slice: -MAX_ROTATED_HASHES } },
      },
    );
    if (swapped.matchedCount === 0) return this.detectReuse(presented, now);
    return { outcome: 'rotated', userId: session.userId, family: session.family, refreshToken: next };
  }

  /** Logout of one session; a token that is unknown or already revoked is not an error. */
  async end(refreshToken: string, now: Date): Promise<void> {
    const presented = hashRefreshToken(refreshToken);
    await this.sessions.updateOne(
      { $or: [{ tokenHash: presented }, { rotatedHashes: presented }], revokedAt: null },
      { $set: { revokedAt: now } },
    );
  }

  async endFamily(family: string, now: Date): Promise<void> {
    await this.sessions.updateOne({ family, revokedAt: null }, { $set: { revokedAt: now } });
  }

  /** Every live session of a user, except `keepFamily` (the caller's own, on password change). */
  async endAll(userId: Types.ObjectId, now: Date, keepFamily?: string): Promise<number> {
    const filter: Record<string, unknown> = { userId, revokedAt: null };
    if (keepFamily) filter['family'] = mongoose.trusted({ $ne: keepFamily });
    const result = await this.sessions.updateMany(filter, { $set: { revokedAt: now } });
    return result.modifiedCount;
  }

  /** Sliding expiry after each use, never beyond the session's absolute maximum age. */
  private expiryFor(createdAt: Date, now: Date): Date {
    const sliding = now.getTime() + this.settings.refreshTokenTtlSeconds * 1000;
    const absolute = createdAt.getTime() + this.settings.sessionMaxAgeSeconds * 1000;
    return new Date(Math.min(sliding, absolute));
  }

  private async detectReuse(presented: string, now: Date): Promise<Rotation> {
    const family = await this.sessions
      .findOne({ rotatedHashes: presented }, { userId: 1, family: 1, revokedAt: 1 })
      .lean<Pick<SessionFields, 'userId' | 'family' | 'revokedAt'>>();
    if (!family) return { outcome: 'invalid' };
    if (!family.revokedAt) await this.endFamily(family.family, now);
    this.logger.warn({ userId: family.userId.toHexString(), family: family.family }, 'refresh token reuse detected; session family revoked');
    return { outcome: 'reused', userId: family.userId, family: family.family };
  }
}
