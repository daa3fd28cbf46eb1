import { ForbiddenException, HttpException, HttpStatus, UnauthorizedException } from '@nestjs/common';
import { PlatformErrorCode } from '@directory/platform';

/** Every `code` auth-api puts in an error body (platform-wide codes: PlatformErrorCode). */
export const AuthErrorCode = {
  InvalidCredentials: 'invalid_credentials',
  InvalidRefreshToken: 'invalid_refresh_token',
  InvalidCurrentPassword: 'invalid_current_password',
  AccountLocked: 'account_locked',
  WeakPassword: 'weak_password',
  NotFound: PlatformErrorCode.NotFound,
} as const;
export type AuthErrorCode = (typeof AuthErrorCode)[keyof typeof AuthErrorCode];

/** Wrong password and unknown email get exactly this, so a response never tells which it was. */
export function invalidCredentials(): UnauthorizedException {
  return new UnauthorizedException({ message: 'Invalid email or password', code: AuthErrorCode.InvalidCredentials });
}

export function invalidRefreshToken(): UnauthorizedException {
  return new UnauthorizedException({ message: 'Invalid, expired or revoked refresh token', code: AuthErrorCode.InvalidRefreshToken });
}

export function wrongCurrentPassword(): ForbiddenException {
  // 403, not 401: the access token is fine; a 401 would tell clients to drop it.
  return new ForbiddenException({ message: 'The current password is not correct', code: AuthErrorCode.InvalidCurrentPassword });
}

/** 429 for a locked account; `RetryAfterInterceptor` turns `retryAfterSeconds` into the header. */
export class AccountLockedException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super({ message: 'Too many failed attempts; try again later', code: AuthErrorCode.AccountLocked }, HttpStatus.TOO_MANY_REQUESTS);
  }
}
