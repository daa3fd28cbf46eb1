import { applyDecorators, Controller } from '@nestjs/common';
import { ApiBadRequestResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '@directory/auth';
import type { UserRole } from '@directory/schemas';

/**
 * A controller of the `/users` routes: every feature module's controller shares the path, the
 * OpenAPI tag, the bearer token (with `role` when the whole controller needs one) and the 400.
 */
export const UsersRoutes = (...roles: UserRole[]): ClassDecorator =>
  applyDecorators(
    ApiTags('users'),
    Controller('users'),
    Authenticated(...roles),
    ApiBadRequestResponse({ description: 'Invalid parameters: unknown or repeated parameters, bad ids, limits or cursors' }),
  );
