import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiUnauthorizedResponse } from '@nestjs/swagger';
import { JwtAuthGuard } from '../guards/jwt-auth.guard';
import { RecentFactorGuard } from '../guards/recent-factor.guard';

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
