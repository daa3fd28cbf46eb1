import { Module, type DynamicModule, type InjectionToken, type ModuleMetadata, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { modelToken } from '@directory/connections';
import { ModelName, type UserFields } from '@directory/schemas';
import type { Model } from 'mongoose';
import { ACCESS_TOKEN_ALGORITHMS, ASYMMETRIC_ALGORITHMS, type AccessTokenAlgorithm } from './access-token';
import {
  AUTH_MODULE_OPTIONS,
  DEFAULT_REVOCATION_CACHE_TTL_MS,
  type AuthModuleOptions,
  type AuthModuleRegistration,
} from './auth.options';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
import { RolesGuard } from './guards/roles.guard';
import { AccessTokenVerifier } from './verification/access-token-verifier';
import { TokenRevocation } from './verification/token-revocation';
import { VerificationKeys } from './verification/verification-keys';

export interface AuthModuleAsyncOptions extends AuthModuleRegistration {
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  useFactory: (...args: never[]) => AuthModuleOptions | Promise<AuthModuleOptions>;
}

/** The allow-list, refusing at start-up anything that is not an asymmetric signature algorithm. */
export function acceptedAlgorithms(requested?: readonly string[]): AccessTokenAlgorithm[] {
  const algorithms = requested && requested.length > 0 ? [...requested] : [...ACCESS_TOKEN_ALGORITHMS];
  for (const algorithm of algorithms) {
    if (!(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(algorithm)) {
      throw new Error(`AuthModule: algorithm ${algorithm} is not allowed (asymmetric signatures only; never none or HS*)`);
    }
  }
  return algorithms as AccessTokenAlgorithm[];
}

/**
 * Access-token verification for a Directory service: a passport-jwt strategy whose keys
 * come from auth-api's JWKS (cached; an unknown `kid` refetches), `iss`/`aud`/`exp`/`typ`
 * and algorithm checks, a revocation check against the service's own User model, and the
 * guards and decorators to use them (`JwtAuthGuard`, `RolesGuard`, `@Authenticated()`,
 * `@Roles()`, `@Public()`, `@CurrentUser()`).
 *
 *   AuthModule.forRoot({ jwksUri, issuer, audience, connectionRole: 'slow' })
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions & AuthModuleRegistration): DynamicModule {
    const { connectionRole, global, ...verification } = options;
    return AuthModule.forRootAsync({ connectionRole, global, useFactory: () => verification });
  }

  static forRootAsync(options: AuthModuleAsyncOptions): DynamicModule {
    const role = options.connectionRole ?? 'fast';
    const providers: Provider[] = [
      {
        provide: AUTH_MODULE_OPTIONS,
        useFactory: options.useFactory as (...args: unknown[]) => AuthModuleOptions,
        inject: options.inject ?? [],
      },
      {
        provide: TokenRevocation,
        useFactory: (settings: AuthModuleOptions, users: Model<UserFields>) =>
          new TokenRevocation(users, settings.revocationCacheTtlMs ?? DEFAULT_REVOCATION_CACHE_TTL_MS, settings.now),
        inject: [AUTH_MODULE_OPTIONS, modelToken(ModelName.User, role)],
      },
      {
        provide: AccessTokenVerifier,
        useFactory: (settings: AuthModuleOptions, revocation: TokenRevocation) => {
          const algorithms = acceptedAlgorithms(settings.algorithms);
          const keys = new VerificationKeys(settings, algorithms);
          return new AccessTokenVerifier({ issuer: settings.issuer, audience: settings.audience, algorithms }, keys, revocation);
        },
        inject: [AUTH_MODULE_OPTIONS, TokenRevocation],
      },
      JwtAuthGuard,
      RolesGuard,
      ...(options.global
        ? [
            { provide: APP_GUARD, useExisting: JwtAuthGuard },
            { provide: APP_GUARD, useExisting: RolesGuard },
          ]
        : []),
    ];
    return {
      module: AuthModule,
      // Controllers anywhere in the app can name the guards in @UseGuards.
      global: true,
      imports: options.imports ?? [],
      providers,
      exports: [AUTH_MODULE_OPTIONS, TokenRevocation, AccessTokenVerifier, JwtAuthGuard, RolesGuard],
    };
  }
}
