import { ForbiddenException, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ROLES_KEY } from '../decorators/roles.decorator';
import { RolesGuard } from './roles.guard';

function context(required: string[] | undefined, user?: { roles: string[] }): ExecutionContext {
  const handler = () => undefined;
  if (required) Reflect.defineMetadata(ROLES_KEY, required, handler);
  return {
    getHandler: () => handler,
    getClass: () => class {},
    switchToHttp: () => ({ getRequest: () => ({ user }) }),
  } as unknown as ExecutionContext;
}

describe('RolesGuard', () => {
  const guard = new RolesGuard(new Reflector());

  it('lets routes without @Roles through', () => {
    expect(guard.canActivate(context(undefined))).toBe(true);
  });

  it('needs any one of the listed roles', () => {
    expect(guard.canActivate(context(['admin'], { roles: ['member', 'admin'] }))).toBe(true);
    expect(() => guard.canActivate(context(['admin'], { roles: ['member'] }))).toThrow(ForbiddenException);
  });

  it('refuses with 401 when no guard authenticated the caller first', () => {
    expect(() => guard.canActivate(context(['admin']))).toThrow(UnauthorizedException);
  });
});
