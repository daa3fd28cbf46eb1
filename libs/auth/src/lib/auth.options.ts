import type { ConnectionRole } from '@directory/connections';
import type { AccessTokenAlgorithm } from './access-token';

/** The public key (PEM) for a `kid`; undefined when the kid is unknown. */
export type VerificationKeyLookup = (kid: string | undefined) => string | undefined | Promise<string | undefined>;

export interface AuthModuleOptions {
  /** Expected `iss`. */
  issuer: string;
  /** Expected `aud` (this service's audience). */
  audience: string;
  /** Where the issuer publishes its keys, e.g. `http://auth-api:3001/.well-known/jwks.json`. */
  jwksUri?: string;
  /** Instead of `jwksUri`: resolve keys in-process (auth-api verifies its own tokens this way). */
  verificationKey?: VerificationKeyLookup;
  /** How long fetched JWKS keys are cached (ms). An unknown `kid` refetches, rate-limited. Default 10 minutes. */
  cacheTtlMs?: number;
  /**
   * How long a user's revocation state (status and `tokensValidAfter`) is cached (ms); this
   * bounds how long a revoked access token keeps working. Default 5 seconds; 0 disables it.
   */
  revocationCacheTtlMs?: number;
  /** Signature algorithms accepted; asymmetric only. Default `['RS256']`. */
  algorithms?: AccessTokenAlgorithm[];
  /** Time source of the revocation cache (ms since epoch); tests pass a fake one. */
  now?: () => number;
  /** Time source of step-up checks (`@RequireRecentFactor()`); auth-api passes its clock. Default: the system clock. */
  clock?: () => Date;
  /**
   * Refuse (403 `mfa_required`) a token on an admin route unless its `amr` shows a second factor
   * (AUTH_REQUIRE_MFA_FOR_ADMINS; `requireMfaForAdmins(config)` resolves its default). Default off.
   */
  requireMfaForAdmins?: boolean;
}

/** AUTH_REQUIRE_MFA_FOR_ADMINS as each service reads it: when unset, on in production only. */
export function requireMfaForAdmins(config: { AUTH_REQUIRE_MFA_FOR_ADMINS?: boolean; NODE_ENV?: string }): boolean {
  return config.AUTH_REQUIRE_MFA_FOR_ADMINS ?? config.NODE_ENV === 'production';
}

export interface AuthModuleRegistration {
  /**
   * Connection role whose User model the revocation check reads: `fast` for users-api,
   * `slow` for admin-analytics (the only connection it has). Default `fast`.
   */
  connectionRole?: ConnectionRole;
  /** Install `JwtAuthGuard` and `RolesGuard` for every route; `@Public()` opts a route out. */
  global?: boolean;
}

export const AUTH_MODULE_OPTIONS = 'directory:auth:options';

export const DEFAULT_JWKS_CACHE_TTL_MS = 10 * 60_000;
export const DEFAULT_REVOCATION_CACHE_TTL_MS = 5_000;
