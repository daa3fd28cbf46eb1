/**
 * The access-token contract between auth-api (which signs) and every service (which
 * verifies). Kept in one place so both sides agree on header, claims and revocation rules.
 */

/** JOSE header `typ` of access tokens (RFC 9068), so an ID token or any other JWT is refused. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** `iss` and `aud` when AUTH_JWT_ISSUER / AUTH_JWT_AUDIENCE are not set: signer and verifiers must agree. */
export const DEFAULT_ACCESS_TOKEN_ISSUER = 'directory-auth';
export const DEFAULT_ACCESS_TOKEN_AUDIENCE = 'directory';

/** Algorithms auth-api signs with. passport-jwt verifies through jsonwebtoken, which has no EdDSA. */
export const ACCESS_TOKEN_ALGORITHMS = ['RS256'] as const;
export type AccessTokenAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512';

/** Asymmetric algorithms only: `none` and HS* would let anyone holding the public key forge tokens. */
export const ASYMMETRIC_ALGORITHMS: readonly AccessTokenAlgorithm[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
];

/** Claims of a Directory access token. `sid` names the session (refresh-token family) it was issued for. */
export interface AccessTokenClaims {
  iss: string;
  aud: string | string[];
  sub: string;
  roles: string[];
  iat: number;
  exp: number;
  jti: string;
  sid?: string;
  /** RFC 8176 methods of the session's latest authentication, e.g. ["pwd"] or ["pwd","otp","mfa"]. */
  amr?: string[];
  /** When that authentication happened (seconds): step-up wants it recent. */
  auth_time?: number;
}

/** `typ` compared as RFC 8725 §3.11 says: case-insensitive, the `application/` prefix optional. */
export function isAccessTokenType(typ: unknown): boolean {
  if (typeof typ !== 'string') return false;
  const normalized = typ.toLowerCase();
  return normalized === ACCESS_TOKEN_TYPE || normalized === `application/${ACCESS_TOKEN_TYPE}`;
}

// The cutoff is written by the users repository, its one writer; re-exported for the token arithmetic.
export { accessTokenCutoff } from '@directory/data-access';

/**
 * `iat` for a token issued at `now` to a user whose cutoff may lie up to one second ahead
 * (see `accessTokenCutoff`): never below the cutoff, so a token issued right after a
 * revocation is not caught by it.
 */
export function issuedAtSeconds(now: Date, cutoff?: Date | null): number {
  const seconds = Math.floor(now.getTime() / 1000);
  return cutoff ? Math.max(seconds, Math.ceil(cutoff.getTime() / 1000)) : seconds;
}

/** True when a token issued at `iat` (seconds) predates the user's cutoff and must be refused. */
export function isIssuedBeforeCutoff(iat: number, cutoff?: Date | null): boolean {
  return cutoff != null && iat * 1000 < cutoff.getTime();
}
