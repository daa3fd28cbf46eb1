import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { UserRole } from '@directory/schemas';
import { JwtAuthGuard } from '../guards/jwt-auth.guard';
import { RolesGuard } from '../guards/roles.guard';
import { Roles } from './roles.decorator';

/**
 * A route for signed-in callers, optionally with one of `roles`: the guards, the role
 * metadata and the OpenAPI security entry in one decorator. `@Authenticated('admin')`.
 */
export function Authenticated(...roles: UserRole[]): ClassDecorator & MethodDecorator {
  return applyDecorators(
    UseGuards(JwtAuthGuard, RolesGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing, invalid, expired or revoked access token' }),
    ...(roles.length > 0 ? [Roles(...roles), ApiForbiddenResponse({ description: forbiddenDescription(roles) })] : []),
  );
}

function forbiddenDescription(roles: readonly UserRole[]): string {
  const base = `Requires one of the roles: ${roles.join(', ')}`;
  return roles.includes('admin') ? `${base}; with AUTH_REQUIRE_MFA_FOR_ADMINS, an admin token needs a second factor (mfa_required)` : base;
}
