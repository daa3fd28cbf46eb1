import { Inject, Injectable, Logger, ServiceUnavailableException, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard, AuthModuleOptions as PassportOptions } from '@nestjs/passport';
import { PUBLIC_ROUTE_KEY } from '@directory/platform';
import type { Request, Response } from 'express';
import type { AuthenticatedUser } from '../authenticated-user';
import { InvalidAccessTokenError, KeySourceUnavailableError } from '../verification/token-errors';
import { AuthGuardErrorCode } from '../auth-error-codes';

/**
 * Authenticates the bearer access token through `JwtStrategy` and puts the caller on
 * `request.user`. Use it per route (`@Authenticated()` / `@UseGuards(JwtAuthGuard)`) or
 * globally (`AuthModule` with `global: true`); routes marked `@Public()` are let through.
 *
 * `AuthGuard()` without a name: the strategy's name comes from `AuthModule`, as the
 * `defaultStrategy` of `@nestjs/passport`'s options (see `JwtStrategy.getPassportInstance`).
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard() {
  private readonly logger = new Logger('JwtAuthGuard');

  constructor(
    @Inject(PassportOptions) options: PassportOptions,
    private readonly reflector: Reflector,
  ) {
    super(options);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE_KEY, [context.getHandler(), context.getClass()])) return true;
    // Already done by a guard on the controller (or a global one): one verification per request.
    if (context.switchToHttp().getRequest<Request & { user?: AuthenticatedUser }>().user) return true;
    return (await super.canActivate(context)) as boolean;
  }

  /**
   * passport's verdict: the user, or why not. `error` carries what `validate` threw (a claim or
   * revocation problem, or a database error); `info` what passport-jwt failed with (no token,
   * the key lookup, jsonwebtoken's signature, issuer, audience and expiry checks).
   */
  override handleRequest<TUser = AuthenticatedUser>(error: unknown, user: unknown, info: unknown, context: ExecutionContext): TUser {
    if (!error && user) return user as TUser;
    const problem = error ?? info;
    if (problem instanceof KeySourceUnavailableError) {
      this.logger.warn(problem.message);
      throw new ServiceUnavailableException({
        message: 'Cannot verify access tokens right now; try again shortly',
        code: AuthGuardErrorCode.JwksUnavailable,
      });
    }
    if (error && !(error instanceof InvalidAccessTokenError)) throw error;
    const http = context.switchToHttp();
    // RFC 6750 §3: say it is a bearer realm, and whether the token given was the problem.
    const challenge = http.getRequest<Request>().headers.authorization ? 'Bearer error="invalid_token"' : 'Bearer';
    http.getResponse<Response>().setHeader('WWW-Authenticate', challenge);
    this.logger.debug(`access token refused: ${problem instanceof Error ? problem.message : 'no token'}`);
    throw new UnauthorizedException({
      message: 'Missing, invalid, expired or revoked access token',
      code: AuthGuardErrorCode.InvalidToken,
    });
  }
}
