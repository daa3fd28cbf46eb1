import { Injectable, Logger } from '@nestjs/common';
import { SessionsRepository } from '@directory/data-access';
import type { Types } from 'mongoose';
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

const USER_AGENT_MAX = 512;

/**
 * Refresh-token families: issuing, rotating with reuse detection, and ending them. Tokens
 * are random and only their SHA-256 hashes reach the SessionsRepository. Correctness never
 * relies on the TTL index (FerretDB never expires anything): every read checks `expiresAt`
 * and `revokedAt` itself.
 */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger('Sessions');

  constructor(
    private readonly sessions: SessionsRepository,
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
    const session = await this.sessions.findByTokenHash(presented);
    if (!session) return this.detectReuse(presented, now);
    if (session.revokedAt || session.expiresAt <= now) return { outcome: 'invalid' };

    const next = newRefreshToken();
    const swapped = await this.sessions.swapToken(session._id, presented, hashRefreshToken(next), this.expiryFor(session.createdAt, now));
    if (!swapped) return this.detectReuse(presented, now);
    return { outcome: 'rotated', userId: session.userId, family: session.family, refreshToken: next };
  }

  /** Logout of one session; a token that is unknown or already revoked is not an error. */
  async end(refreshToken: string, now: Date): Promise<void> {
    await this.sessions.endByTokenHash(hashRefreshToken(refreshToken), now);
  }

  endFamily(family: string, now: Date): Promise<void> {
    return this.sessions.endFamily(family, now);
  }

  /** Every live session of a user, except `keepFamily` (the caller's own, on password change). */
  endAll(userId: Types.ObjectId, now: Date, keepFamily?: string): Promise<number> {
    return this.sessions.endAllOfUser(userId, now, keepFamily);
  }

  /** Sliding expiry after each use, never beyond the session's absolute maximum age. */
  private expiryFor(createdAt: Date, now: Date): Date {
    const sliding = now.getTime() + this.settings.refreshTokenTtlSeconds * 1000;
    const absolute = createdAt.getTime() + this.settings.sessionMaxAgeSeconds * 1000;
    return new Date(Math.min(sliding, absolute));
  }

  private async detectReuse(presented: string, now: Date): Promise<Rotation> {
    const family = await this.sessions.findByRotatedHash(presented);
    if (!family) return { outcome: 'invalid' };
    if (!family.revokedAt) await this.endFamily(family.family, now);
    this.logger.warn(
      { userId: family.userId.toHexString(), family: family.family },
      'refresh token reuse detected; session family revoked',
    );
    return { outcome: 'reused', userId: family.userId, family: family.family };
  }
}
