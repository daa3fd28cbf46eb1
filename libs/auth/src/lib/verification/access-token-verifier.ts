import type { Request } from 'express';
import { ExtractJwt, Strategy as JwtStrategy, type SecretOrKeyProvider as SecretOrKeyProviderForPassport, type VerifiedCallback } from 'passport-jwt';
import type { AccessTokenAlgorithm } from '../access-token';
import type { AuthenticatedUser } from '../authenticated-user';
import { InvalidAccessTokenError, KeySourceUnavailableError } from './token-errors';
import type { TokenRevocation } from './token-revocation';
import type { VerificationKeys } from './verification-keys';

export interface VerifierSettings {
  issuer: string;
  audience: string;
  algorithms: readonly AccessTokenAlgorithm[];
}

const OBJECT_ID = /^[0-9a-f]{24}$/;

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/**
 * Claims jsonwebtoken does not insist on: without `exp` a token would never expire, and the
 * revocation check needs `sub` and `iat`.
 */
export function claimsToUser(payload: Record<string, unknown>): AuthenticatedUser | null {
  const { sub, iat, exp, jti, roles, sid } = payload;
  if (typeof sub !== 'string' || !OBJECT_ID.test(sub)) return null;
  if (typeof iat !== 'number' || typeof exp !== 'number' || !Number.isFinite(iat) || !Number.isFinite(exp)) return null;
  if (typeof jti !== 'string' || jti.length === 0 || !isStringArray(roles)) return null;
  if (sid !== undefined && typeof sid !== 'string') return null;
  return { id: sub, roles, tokenId: jti, issuedAt: new Date(iat * 1000), ...(sid !== undefined && { sessionId: sid }) };
}

/**
 * Runs a passport-jwt strategy for one request. The strategy is used directly rather than
 * registered with passport: passport's registry is process-wide, and one process may hold
 * several apps with different key sources (auth-api verifying in-process next to users-api
 * verifying through the JWKS in an e2e test), whose strategies would replace each other.
 */
export class AccessTokenVerifier {
  private readonly strategy: JwtStrategy;

  constructor(settings: VerifierSettings, keys: VerificationKeys, revocation: TokenRevocation) {
    this.strategy = new JwtStrategy(
      {
        jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
        // passport-jwt's types say string | Buffer, but it hands the key straight to
        // jsonwebtoken.verify, which takes a KeyObject (parsed once instead of per request).
        secretOrKeyProvider: keys.provider as unknown as SecretOrKeyProviderForPassport,
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: [...settings.algorithms],
        ignoreExpiration: false,
      },
      (payload: Record<string, unknown>, done: VerifiedCallback) => {
        const user = claimsToUser(payload);
        if (!user) return done(null, false, new InvalidAccessTokenError('missing or malformed claims'));
        revocation.isRevoked(user.id, payload['iat'] as number).then(
          (revoked) => (revoked ? done(null, false, new InvalidAccessTokenError('revoked')) : done(null, user)),
          (error: unknown) => done(error),
        );
      },
    );
  }

  /**
   * Resolves with the user, or rejects with `InvalidAccessTokenError` (missing, malformed,
   * badly signed, expired, wrong issuer or audience, revoked), `KeySourceUnavailableError`,
   * or a database error from the revocation check.
   */
  authenticate(request: Request): Promise<AuthenticatedUser> {
    return new Promise((resolve, reject) => {
      // What passport does for each attempt: a per-request object whose prototype is the
      // strategy, given the success/fail/error actions the strategy calls exactly once.
      const attempt = Object.create(this.strategy) as JwtStrategy & {
        success(user: AuthenticatedUser): void;
        fail(info?: unknown): void;
        error(error: unknown): void;
        pass(): void;
        redirect(): void;
      };
      attempt.success = (user) => resolve(user);
      attempt.fail = (info) =>
        reject(
          info instanceof InvalidAccessTokenError || info instanceof KeySourceUnavailableError
            ? info
            : new InvalidAccessTokenError(info instanceof Error ? info.message : 'no token'),
        );
      attempt.error = (error) => reject(error);
      attempt.pass = () => reject(new InvalidAccessTokenError('no token'));
      attempt.redirect = () => reject(new InvalidAccessTokenError('no token'));
      attempt.authenticate(request);
    });
  }
}
