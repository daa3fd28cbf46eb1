import { createParamDecorator, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedUser } from '../authenticated-user';
import { AuthGuardErrorCode } from '../auth-error-codes';

/** The caller, as `JwtAuthGuard` authenticated it: `me(@CurrentUser() user: AuthenticatedUser)`. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthenticatedUser => {
  const user = context.switchToHttp().getRequest<{ user?: AuthenticatedUser }>().user;
  // Only reachable when a route forgot the guard; refuse rather than run without a user.
  if (!user) throw new UnauthorizedException({ message: 'Authentication required', code: AuthGuardErrorCode.InvalidToken });
  return user;
});
