import { SetMetadata } from '@nestjs/common';
import type { UserRole } from '@directory/schemas';

export const ROLES_KEY = 'directory:roles';

/** The route needs ANY of these roles (checked by `RolesGuard`, after `JwtAuthGuard`). */
export const Roles = (...roles: UserRole[]): ClassDecorator & MethodDecorator => SetMetadata(ROLES_KEY, roles);
