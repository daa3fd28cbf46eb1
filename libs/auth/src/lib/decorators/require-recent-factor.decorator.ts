import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiUnauthorizedResponse } from '@nestjs/swagger';
import { JwtAuthGuard } from '../guards/jwt-auth.guard';
import { RecentAuthenticationGuard, RecentFactorGuard } from '../guards/recent-factor.guard';

/**
 * A sensitive route (remove a factor, new recovery codes, change the password or the email):
 * a user with a second factor must have verified it within the last 5 minutes, else 401
 * `step_up_required`. Use with `@Authenticated()` (or alone: it authenticates too).
 */
export function RequireRecentFactor(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    UseGuards(JwtAuthGuard, RecentFactorGuard),
    ApiUnauthorizedResponse({
      description: 'Missing or invalid access token, or a second factor is required within the last 5 minutes (code step_up_required)',
    }),
  );
}

/**
 * Adding a way to sign in (a passkey, an authenticator app): a recent second factor when the
 * account has one (401 `step_up_required`), else a password sign-in within the last 5 minutes
 * (401 `reauthentication_required`).
 */
export function RequireRecentAuthentication(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    UseGuards(JwtAuthGuard, RecentAuthenticationGuard),
    ApiUnauthorizedResponse({
      description:
        'Missing or invalid access token; a second factor within the last 5 minutes (step_up_required) or, without one, a sign-in within the last 5 minutes (reauthentication_required)',
    }),
  );
}
