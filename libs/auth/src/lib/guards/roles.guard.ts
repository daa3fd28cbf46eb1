import {
  ForbiddenException,
  Inject,
  Injectable,
  Optional,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthenticatedUser } from '../authenticated-user';
import { AUTH_MODULE_OPTIONS, type AuthModuleOptions } from '../auth.options';
import { ROLES_KEY } from '../decorators/roles.decorator';
import { AuthGuardErrorCode } from '../auth-error-codes';
import { entersAsAdmin, hasSecondFactor, mfaRequired } from './admin-factor';

/**
 * Enforces `@Roles(...)`: the caller needs any one of the listed roles. Runs after `JwtAuthGuard`.
 * With `requireMfaForAdmins`, a caller let in by the admin role alone also needs a token whose
 * `amr` shows a second factor (403 `mfa_required`): a stolen admin password is not enough.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Optional() @Inject(AUTH_MODULE_OPTIONS) private readonly options?: Pick<AuthModuleOptions, 'requireMfaForAdmins'>,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<string[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (!required || required.length === 0) return true;
    const user = context.switchToHttp().getRequest<{ user?: AuthenticatedUser }>().user;
    if (!user) throw new UnauthorizedException({ message: 'Authentication required', code: AuthGuardErrorCode.InvalidToken });
    if (!required.some((role) => user.roles.includes(role))) {
      throw new ForbiddenException({ message: `Requires one of the roles: ${required.join(', ')}`, code: AuthGuardErrorCode.Forbidden });
    }
    if (this.options?.requireMfaForAdmins && entersAsAdmin(required, user) && !hasSecondFactor(user)) throw mfaRequired();
    return true;
  }
}
