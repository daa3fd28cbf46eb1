import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { AUTH_MODULE_OPTIONS, type AuthModuleOptions } from '../auth.options';
import { AuthGuardErrorCode } from '../auth-error-codes';
import type { AuthenticatedUser } from '../authenticated-user';

/** RFC 8176 `amr` values that prove a second factor (one-time code, hardware or software key). */
export const SECOND_FACTOR_METHODS: readonly string[] = ['otp', 'hwk', 'swk'];
/** `mfa`: the session's login needed a second factor, so its user has one. */
export const MULTI_FACTOR_METHOD = 'mfa';
/** How recent a second factor must be for a step-up route. */
export const STEP_UP_MAX_AGE_MS = 5 * 60_000;

export function stepUpRequired(): UnauthorizedException {
  return new UnauthorizedException({
    message: 'Confirm it with your second factor first (POST /auth/mfa/step-up), then repeat the request',
    code: AuthGuardErrorCode.StepUpRequired,
  });
}

/**
 * Whether `user` may do something sensitive now: a user who signed in with a second factor
 * (`amr` holds `mfa`) must have verified one within STEP_UP_MAX_AGE_MS (`auth_time`); a user who
 * has none signed in with the password alone and passes (enrolling a first factor ends every
 * other session, so a password-only session never outlives a factor by more than its tokens).
 */
export function hasRecentFactor(user: Pick<AuthenticatedUser, 'amr' | 'authTime'>, now: Date): boolean {
  const amr = user.amr ?? ['pwd'];
  if (!amr.includes(MULTI_FACTOR_METHOD)) return true;
  const fresh = user.authTime !== undefined && now.getTime() - user.authTime.getTime() <= STEP_UP_MAX_AGE_MS;
  return fresh && amr.some((method) => SECOND_FACTOR_METHODS.includes(method));
}

/** Throws 401 `step_up_required` unless `hasRecentFactor`. For routes that decide in code (e.g. only when the email changes). */
export function assertRecentFactor(user: Pick<AuthenticatedUser, 'amr' | 'authTime'>, now: Date = new Date()): void {
  if (!hasRecentFactor(user, now)) throw stepUpRequired();
}

export function reauthenticationRequired(): UnauthorizedException {
  return new UnauthorizedException({
    message: 'Sign in again (POST /auth/login), then repeat the request within 5 minutes',
    code: AuthGuardErrorCode.ReauthenticationRequired,
  });
}

/**
 * Stricter than `hasRecentFactor`, for adding a way to sign in (a passkey, an authenticator app):
 * a stolen access token alone must not plant a credential that outlives it. A session with a
 * second factor needs a fresh one (step-up); a password-only session needs a password sign-in
 * within STEP_UP_MAX_AGE_MS (it has nothing to step up with).
 */
export function assertRecentAuthentication(user: Pick<AuthenticatedUser, 'amr' | 'authTime'>, now: Date): void {
  if ((user.amr ?? ['pwd']).includes(MULTI_FACTOR_METHOD)) return assertRecentFactor(user, now);
  const fresh = user.authTime !== undefined && now.getTime() - user.authTime.getTime() <= STEP_UP_MAX_AGE_MS;
  if (!fresh) throw reauthenticationRequired();
}

/** Runs after the JWT guard (`@RequireRecentAuthentication()` orders them). */
@Injectable()
export class RecentAuthenticationGuard implements CanActivate {
  constructor(@Inject(AUTH_MODULE_OPTIONS) private readonly options: AuthModuleOptions) {}

  canActivate(context: ExecutionContext): boolean {
    const user = context.switchToHttp().getRequest<{ user?: AuthenticatedUser }>().user;
    if (!user) return false;
    assertRecentAuthentication(user, this.options.clock?.() ?? new Date());
    return true;
  }
}

/** Runs after the JWT guard (`@RequireRecentFactor()` orders them). */
@Injectable()
export class RecentFactorGuard implements CanActivate {
  constructor(@Inject(AUTH_MODULE_OPTIONS) private readonly options: AuthModuleOptions) {}

  canActivate(context: ExecutionContext): boolean {
    const user = context.switchToHttp().getRequest<{ user?: AuthenticatedUser }>().user;
    if (!user) return false;
    assertRecentFactor(user, this.options.clock?.() ?? new Date());
    return true;
  }
}
