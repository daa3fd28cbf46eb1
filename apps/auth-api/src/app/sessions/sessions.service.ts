import { Injectable, Logger } from '@nestjs/common';
import { TokenRevocation } from '@directory/auth';
import { SessionsRepository, type RotatedSession } from '@directory/data-access';
import type { Types } from 'mongoose';
import { AuthSettings } from '../auth-settings';
import { hashRefreshToken, newRefreshToken, newSessionFamily, nextRefreshToken } from '../tokens/refresh-tokens';

export interface ClientInfo {
  ip?: string;
  userAgent?: string;
}

export interface StartedSession {
  family: string;
  refreshToken: string;
}

/** How and when the session's user last authenticated (RFC 8176 `amr`; `auth_time`). */
export interface Authentication {
  amr: string[];
  authTime: Date;
}

/** Sessions written before second factors existed: a password login at their start. */
export function authenticationOf(session: { amr?: string[] | null; authTime?: Date | null; createdAt: Date }): Authentication {
  return { amr: session.amr?.length ? [...session.amr] : ['pwd'], authTime: session.authTime ?? session.createdAt };
}

export type Rotation<U> =
  /** A new refresh token (or, within the grace of a concurrent rotation, the one it produced) for `user`. */
  | { outcome: 'rotated'; user: U; family: string; refreshToken: string; authentication: Authentication }
  /** An already-rotated token came back outside the grace: someone holds a copy. The family is now revoked. */
  | { outcome: 'reused'; userId: Types.ObjectId; family: string }
  /** The user may not have tokens (suspended, deleted, gone): the family is now revoked. */
  | { outcome: 'refused'; userId: Types.ObjectId; family: string }
  | { outcome: 'invalid' };

/** Reads the user a session belongs to; null when that user may not get tokens. */
export type LoadUser<U> = (userId: Types.ObjectId) => Promise<U | null>;

const USER_AGENT_MAX = 512;

/**
 * Refresh-token families: issuing, rotating with reuse detection, and ending them. A
 * family's first token is random, each later one derived from its predecessor with the
 * server secret; only their SHA-256 hashes reach the SessionsRepository. Correctness never
 * relies on the TTL index (FerretDB never expires anything): every read checks `expiresAt`
 * and `revokedAt` itself.
 */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger('Sessions');

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly settings: AuthSettings,
    private readonly revocation: TokenRevocation,
  ) {}

  async start(
    userId: Types.ObjectId,
    client: ClientInfo,
    now: Date,
    authentication: Authentication = { amr: ['pwd'], authTime: now },
  ): Promise<StartedSession> {
    const family = newSessionFamily();
    const refreshToken = newRefreshToken();
    await this.sessions.create({
      userId,
      family,
      tokenHash: hashRefreshToken(refreshToken),
      expiresAt: this.expiryFor(now, now),
      ip: client.ip,
      userAgent: client.userAgent?.slice(0, USER_AGENT_MAX),
      amr: authentication.amr,
      authTime: authentication.authTime,
    });
    return { family, refreshToken };
  }

  /** A step-up inside the session: its later access tokens carry the new `amr` and `auth_time`. */
  recordAuthentication(userId: Types.ObjectId, family: string, authentication: Authentication): Promise<boolean> {
    return this.sessions.recordAuthentication(userId, family, authentication.amr, authentication.authTime);
  }

  /**
   * Swaps a refresh token for its successor (`nextRefreshToken`: derived from it with the
   * server secret). The user is read (`loadUser`) BEFORE the swap, so the access token the
   * caller then issues was based on a user state read while the session was still live:
   * a logout-all or password change that ends the session first and writes the cutoff after
   * (AccountSecurity) always catches it. The swap is a compare-and-set on the presented hash.
   * A request whose token was rotated away moments ago (two tabs refreshing at once; the
   * loser of the compare-and-set) gets the same successor within the refresh grace; outside
   * the grace, or when the token is not the family's most recent rotated one, it is a replay
   * and the family is revoked.
   */
  async rotate<U>(refreshToken: string, now: Date, loadUser: LoadUser<U>): Promise<Rotation<U>> {
    const presented = hashRefreshToken(refreshToken);
    const session = await this.sessions.findByTokenHash(presented);
    if (!session) return this.afterRotation(refreshToken, presented, now, loadUser);
    if (session.revokedAt || session.expiresAt <= now) return { outcome: 'invalid' };

    const user = await loadUser(session.userId);
    if (!user) return this.refuse(session.userId, session.family, now);
    const next = nextRefreshToken(this.settings.refreshTokenSecret, refreshToken);
    const expiresAt = this.expiryFor(session.createdAt, now);
    const swapped = await this.sessions.swapToken(session._id, presented, hashRefreshToken(next), expiresAt, now);
    if (!swapped) return this.afterRotation(refreshToken, presented, now, async () => user);
    return { outcome: 'rotated', user, family: session.family, refreshToken: next, authentication: authenticationOf(session) };
  }

  /** Logout of one session; a token that is unknown or already revoked is not an error. */
  async end(refreshToken: string, now: Date): Promise<void> {
    const userId = await this.sessions.endByTokenHash(hashRefreshToken(refreshToken), now);
    if (userId) this.revocation.forget(userId.toHexString());
  }

  /**
   * Every way a session ends below also drops this process's cached revocation state of the
   * user, so the session's access tokens (`sid`) are refused here at once (elsewhere within
   * the revocation cache TTL, libs/auth).
   */
  async endFamily(userId: Types.ObjectId, family: string, now: Date): Promise<void> {
    await this.sessions.endFamily(family, now);
    this.revocation.forget(userId.toHexString());
  }

  /** Every live session of a user, except `keepFamily` (the caller's own, on password change). */
  async endAll(userId: Types.ObjectId, now: Date, keepFamily?: string): Promise<number> {
    const ended = await this.sessions.endAllOfUser(userId, now, keepFamily);
    this.revocation.forget(userId.toHexString());
    return ended;
  }

  /** Sliding expiry after each use, never beyond the session's absolute maximum age. */
  private expiryFor(createdAt: Date, now: Date): Date {
    const sliding = now.getTime() + this.settings.refreshTokenTtlSeconds * 1000;
    const absolute = createdAt.getTime() + this.settings.sessionMaxAgeSeconds * 1000;
    return new Date(Math.min(sliding, absolute));
  }

  /**
   * `refreshToken` is no session's current token: within the grace of its own rotation it
   * gets the successor that rotation produced, otherwise an already-rotated token is a
   * replay (the family ends), and anything else is unknown.
   */
  private async afterRotation<U>(refreshToken: string, presented: string, now: Date, loadUser: LoadUser<U>): Promise<Rotation<U>> {
    const rotated = await this.sessions.findByRotatedHash(presented);
    if (!rotated) return { outcome: 'invalid' };
    const next = nextRefreshToken(this.settings.refreshTokenSecret, refreshToken);
    if (this.withinGrace(rotated, presented, hashRefreshToken(next), now)) {
      const user = await loadUser(rotated.userId);
      if (!user) return this.refuse(rotated.userId, rotated.family, now);
      // Read again after the user: a session ended meanwhile (logout-all writes its cutoff
      // after ending the sessions) must not get an access token based on the new cutoff.
      if (await this.sessions.isEnded(rotated.userId, rotated.family)) return { outcome: 'invalid' };
      return { outcome: 'rotated', user, family: rotated.family, refreshToken: next, authentication: authenticationOf(rotated) };
    }
    if (!rotated.revokedAt) await this.endFamily(rotated.userId, rotated.family, now);
    this.logger.warn(
      { userId: rotated.userId.toHexString(), family: rotated.family },
      'refresh token reuse detected; session family revoked',
    );
    return { outcome: 'reused', userId: rotated.userId, family: rotated.family };
  }

  /** The family's latest rotation replaced exactly `presented` by `nextHash`, at most the grace ago. */
  private withinGrace(rotated: RotatedSession, presented: string, nextHash: string, now: Date): boolean {
    const graceMs = this.settings.refreshGraceSeconds * 1000;
    if (graceMs <= 0 || rotated.revokedAt || rotated.expiresAt <= now) return false;
    if (rotated.rotatedHashes.at(-1) !== presented || rotated.tokenHash !== nextHash) return false;
    return now.getTime() - new Date(rotated.updatedAt).getTime() <= graceMs;
  }

  private async refuse<U>(userId: Types.ObjectId, family: string, now: Date): Promise<Rotation<U>> {
    await this.endFamily(userId, family, now);
    return { outcome: 'refused', userId, family };
  }
}
