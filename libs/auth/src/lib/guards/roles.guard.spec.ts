import { ForbiddenException, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ROLES_KEY } from '../decorators/roles.decorator';
import { requireMfaForAdmins } from '../auth.options';
import { RolesGuard } from './roles.guard';

function context(required: string[] | undefined, user?: { roles: string[]; amr?: string[] }): ExecutionContext {
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

describe('RolesGuard with requireMfaForAdmins (AUTH_REQUIRE_MFA_FOR_ADMINS)', () => {
  const admin = (amr?: string[]) => ({ roles: ['member', 'admin'], amr });
  const on = new RolesGuard(new Reflector(), { requireMfaForAdmins: true });
  const off = new RolesGuard(new Reflector(), { requireMfaForAdmins: false });

  it('refuses an admin route to a token without a second factor: 403 mfa_required, telling how to enrol', () => {
    for (const amr of [['pwd'], undefined, []]) {
      let refusal: unknown;
      try {
        on.canActivate(context(['admin'], admin(amr)));
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toBeInstanceOf(ForbiddenException);
      const response = (refusal as ForbiddenException).getResponse() as { code: string; message: string };
      expect(response.code).toBe('mfa_required');
      expect(response.message).toContain('POST /auth/factors/totp');
    }
  });

  it('lets an admin token through once its amr shows a second factor (otp, hwk, swk, or a login that needed one: mfa)', () => {
    for (const amr of [['pwd', 'otp', 'mfa'], ['hwk'], ['swk', 'mfa'], ['pwd', 'mfa']]) {
      expect(on.canActivate(context(['admin'], admin(amr)))).toBe(true);
    }
  });

  it('leaves member routes and routes without roles alone; a member is refused for the role, not for the factor', () => {
    expect(on.canActivate(context(undefined, admin(['pwd'])))).toBe(true);
    expect(on.canActivate(context(['member'], admin(['pwd'])))).toBe(true);
    // Open to members too: an admin who is also a member gets in as a member.
    expect(on.canActivate(context(['member', 'admin'], admin(['pwd'])))).toBe(true);
    expect(() => on.canActivate(context(['member', 'admin'], { roles: ['admin'], amr: ['pwd'] }))).toThrow(
      expect.objectContaining({ response: expect.objectContaining({ code: 'mfa_required' }) }),
    );
    expect(() => on.canActivate(context(['admin'], { roles: ['member'], amr: ['pwd'] }))).toThrow(
      expect.objectContaining({ response: expect.objectContaining({ code: 'forbidden' }) }),
    );
  });

  it('off (the default, and without module options): a password-only admin token passes as before', () => {
    expect(off.canActivate(context(['admin'], admin(['pwd'])))).toBe(true);
    expect(new RolesGuard(new Reflector()).canActivate(context(['admin'], admin(['pwd'])))).toBe(true);
  });
});

describe('requireMfaForAdmins(config): AUTH_REQUIRE_MFA_FOR_ADMINS, on in production unless set', () => {
  it.each([
    [undefined, 'production', true],
    [undefined, 'development', false],
    [undefined, 'test', false],
    [undefined, undefined, false],
    [false, 'production', false],
    [true, 'development', true],
    [true, 'test', true],
  ])('flag %s, NODE_ENV %s → %s', (flag, env, expected) => {
    expect(requireMfaForAdmins({ AUTH_REQUIRE_MFA_FOR_ADMINS: flag, NODE_ENV: env })).toBe(expected);
  });
});
