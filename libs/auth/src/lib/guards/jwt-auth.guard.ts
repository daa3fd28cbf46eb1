import {
  Injectable,
  Logger,
  ServiceUnavailableException,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE_KEY } from '@directory/platform';
import type { Request, Response } from 'express';
import type { AuthenticatedUser } from '../authenticated-user';
import { AccessTokenVerifier } from '../verification/access-token-verifier';
import { InvalidAccessTokenError, KeySourceUnavailableError } from '../verification/token-errors';

/**
 * Authenticates the bearer access token and puts the caller on `request.user`. Use it per
 * route (`@Authenticated()` / `@UseGuards(JwtAuthGuard)`) or globally (`AuthModule` with
 * `global: true`); routes marked `@Public()` are let through.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly logger = new Logger('JwtAuthGuard');

  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE_KEY, [context.getHandler(), context.getClass()])) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<Request & { user?: AuthenticatedUser }>();
    // Already done by a guard on the controller (or a global one): one verification per request.
    if (request.user) return true;
    try {
      request.user = await this.verifier.authenticate(request);
      return true;
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) {
        // RFC 6750 §3: say it is a bearer realm, and whether the token given was the problem.
        const challenge = request.headers.authorization ? 'Bearer error="invalid_token"' : 'Bearer';
        http.getResponse<Response>().setHeader('WWW-Authenticate', challenge);
        this.logger.debug(`access token refused: ${error.message}`);
        throw new UnauthorizedException({ message: 'Missing, invalid, expired or revoked access token', code: 'invalid_token' });
      }
      if (error instanceof KeySourceUnavailableError) {
        this.logger.warn(error.message);
        throw new ServiceUnavailableException({
          message: 'Cannot verify access tokens right now; try again shortly',
          code: 'jwks_unavailable',
        });
      }
      throw error;
    }
  }
}
