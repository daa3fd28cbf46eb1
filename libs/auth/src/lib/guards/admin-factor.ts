import { ForbiddenException } from '@nestjs/common';
import { UserRole } from '@directory/schemas';
import { AuthGuardErrorCode } from '../auth-error-codes';
import type { AuthenticatedUser } from '../authenticated-user';
import { MULTI_FACTOR_METHOD, SECOND_FACTOR_METHODS } from './recent-factor.guard';

/** Whether the token's `amr` shows a second factor: a one-time code or key, or a login that needed one (`mfa`). */
export function hasSecondFactor(user: Pick<AuthenticatedUser, 'amr'>): boolean {
  return (user.amr ?? ['pwd']).some((method) => method === MULTI_FACTOR_METHOD || SECOND_FACTOR_METHODS.includes(method));
}

/**
 * Whether the caller gets into a route with `required` roles only as an admin: the route names
 * `admin` and no other listed role the caller holds. A route open to members stays open to a
 * member who is also an admin, whatever the token's factors.
 */
export function entersAsAdmin(required: readonly string[], user: Pick<AuthenticatedUser, 'roles'>): boolean {
  return required.includes(UserRole.Admin) && !required.some((role) => role !== UserRole.Admin && user.roles.includes(role));
}

export function mfaRequired(): ForbiddenException {
  return new ForbiddenException({
    message:
      'Admin routes need a sign-in with a second factor: enrol one (POST /auth/factors/totp, then POST /auth/factors/totp/{id}/confirm ' +
      'with a code), then sign in again with it (POST /auth/login, then POST /auth/mfa/verify) or confirm it in this session ' +
      '(POST /auth/mfa/step-up)',
    code: AuthGuardErrorCode.MfaRequired,
  });
}
