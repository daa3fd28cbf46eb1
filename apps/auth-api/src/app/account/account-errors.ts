import { ForbiddenException, HttpException, HttpStatus, UnauthorizedException } from '@nestjs/common';
import { PlatformErrorCode } from '@directory/platform';

/** Every `code` auth-api puts in an error body (platform-wide codes: PlatformErrorCode). */
export const AuthErrorCode = {
  InvalidCredentials: 'invalid_credentials',
  InvalidRefreshToken: 'invalid_refresh_token',
  InvalidCurrentPassword: 'invalid_current_password',
  /** Every 429 of auth-api: a lock, failure throttling or the abuse ceiling, one answer for all (ASVS 5.0 V6.3.8). */
  RateLimited: 'rate_limited',
  WeakPassword: 'weak_password',
  NotFound: PlatformErrorCode.NotFound,
  /** Login refused until the email is verified (AUTH_REQUIRE_VERIFIED_EMAIL). */
  EmailNotVerified: 'email_not_verified',
  EmailAlreadyVerified: 'email_already_verified',
  /** Another account took the address while its confirmation link travelled. */
  EmailTaken: 'email_taken',
  /** One-time tokens (links in mail): altered or unknown, for another flow, expired, already used, or issued for a state that has moved on. */
  TokenInvalid: 'token_invalid',
  TokenWrongPurpose: 'token_wrong_purpose',
  TokenExpired: 'token_expired',
  TokenUsed: 'token_used',
  TokenStale: 'token_stale',
  /** A wrong TOTP or recovery code (POST /auth/mfa/verify, /auth/mfa/step-up). */
  InvalidSecondFactor: 'invalid_second_factor',
  /** Second factors: a TOTP code that is wrong, expired or already used (enrolment confirmation). */
  InvalidCode: 'invalid_code',
  /** The factor is already confirmed (a second confirmation). */
  FactorAlreadyActive: 'factor_already_active',
  /** The user has as many factors as allowed. */
  TooManyFactors: 'too_many_factors',
  /** Recovery codes need an active second factor first. */
  FactorRequired: 'factor_required',
  /** A WebAuthn response that does not verify: signature, origin, RP ID, user verification, counter, unknown credential. */
  PasskeyInvalid: 'passkey_invalid',
  /** The authenticator's credential is registered already. */
  PasskeyExists: 'passkey_exists',
} as const;
export type AuthErrorCode = (typeof AuthErrorCode)[keyof typeof AuthErrorCode];

/** Wrong password and unknown email get exactly this, so a response never tells which it was. */
export function invalidCredentials(): UnauthorizedException {
  return new UnauthorizedException({ message: 'Invalid email or password', code: AuthErrorCode.InvalidCredentials });
}

export function invalidRefreshToken(): UnauthorizedException {
  return new UnauthorizedException({ message: 'Invalid, expired or revoked refresh token', code: AuthErrorCode.InvalidRefreshToken });
}

/** 403: the credentials are right, but the account must prove its email first (AUTH_REQUIRE_VERIFIED_EMAIL). */
export function emailNotVerified(): ForbiddenException {
  return new ForbiddenException({
    message: 'Verify your email address first: follow the link we mailed you, or ask for a new one',
    code: AuthErrorCode.EmailNotVerified,
  });
}

export function wrongCurrentPassword(): ForbiddenException {
  // 403, not 401: the access token is fine; a 401 would tell clients to drop it.
  return new ForbiddenException({ message: 'The current password is not correct', code: AuthErrorCode.InvalidCurrentPassword });
}

/**
 * The one 429 of auth-api: a locked email, (email, address) pair or address, and the per-IP
 * abuse ceiling all answer this body, so a 429 tells nothing about whether an account exists.
 * `RetryAfterInterceptor` (or the ceiling's guard) sets `Retry-After` from `retryAfterSeconds`.
 */
export class TooManyAttemptsException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super({ message: 'Too many attempts; try again later', code: AuthErrorCode.RateLimited }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/** The former name, kept for callers (POST /auth/password): the same answer. */
export const AccountLockedException = TooManyAttemptsException;
