import { ForbiddenException, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthenticatedUser } from '../authenticated-user';
import { ROLES_KEY } from '../decorators/roles.decorator';
import { AuthGuardErrorCode } from '../auth-error-codes';

/** Enforces `@Roles(...)`: the caller needs any one of the listed roles. Runs after `JwtAuthGuard`. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<string[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (!required || required.length === 0) return true;
    const user = context.switchToHttp().getRequest<{ user?: AuthenticatedUser }>().user;
    if (!user) throw new UnauthorizedException({ message: 'Authentication required', code: AuthGuardErrorCode.InvalidToken });
    if (!required.some((role) => user.roles.includes(role))) {
      throw new ForbiddenException({ message: `Requires one of the roles: ${required.join(', ')}`, code: AuthGuardErrorCode.Forbidden });
    }
    return true;
  }
}
