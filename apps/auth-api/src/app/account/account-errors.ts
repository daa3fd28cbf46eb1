import { ForbiddenException, HttpException, HttpStatus, UnauthorizedException } from '@nestjs/common';

/** Wrong password and unknown email get exactly this, so a response never tells which it was. */
export function invalidCredentials(): UnauthorizedException {
  return new UnauthorizedException({ message: 'Invalid email or password', code: 'invalid_credentials' });
}

export function invalidRefreshToken(): UnauthorizedException {
  return new UnauthorizedException({ message: 'Invalid, expired or revoked refresh token', code: 'invalid_refresh_token' });
}

export function wrongCurrentPassword(): ForbiddenException {
  // 403, not 401: the access token is fine; a 401 would tell clients to drop it.
  return new ForbiddenException({ message: 'The current password is not correct', code: 'invalid_current_password' });
}

/** 429 for a locked account; `RetryAfterInterceptor` turns `retryAfterSeconds` into the header. */
export class AccountLockedException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super({ message: 'Too many failed attempts; try again later', code: 'account_locked' }, HttpStatus.TOO_MANY_REQUESTS);
  }
}
