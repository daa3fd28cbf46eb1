import { ConnectionRole } from '@directory/connections';
import { Module, type DynamicModule, type InjectionToken, type ModuleMetadata, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DataAccessModule, repositoryToken, SessionsRepository, UsersRepository } from '@directory/data-access';
import { AuthModuleOptions as PassportOptions } from '@nestjs/passport';
import { AUTH_MODULE_OPTIONS, DEFAULT_REVOCATION_CACHE_TTL_MS, type AuthModuleOptions, type AuthModuleRegistration } from './auth.options';
import { GUARD_PROVIDERS } from './auth.providers';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
import { RecentAuthenticationGuard, RecentFactorGuard } from './guards/recent-factor.guard';
import { RolesGuard } from './guards/roles.guard';
import { JwtStrategy } from './verification/jwt.strategy';
import { TokenRevocation } from './verification/token-revocation';

export { acceptedAlgorithms } from './verification/algorithms';

export interface AuthModuleAsyncOptions extends AuthModuleRegistration {
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  useFactory: (...args: never[]) => AuthModuleOptions | Promise<AuthModuleOptions>;
}

/**
 * Access-token verification for a Directory service: a passport-jwt strategy (through
 * `@nestjs/passport`) whose keys come from auth-api's JWKS (jose's remote key set: cached, an
 * unknown `kid` refetches), `iss`/`aud`/`exp`/`typ` and algorithm checks, a revocation check
 * against the service's own users, and the guards and decorators to use them (`JwtAuthGuard`,
 * `RolesGuard`, `@Authenticated()`, `@Roles()`, `@Public()`, `@CurrentUser()`).
 *
 *   AuthModule.forRoot({ jwksUri, issuer, audience, connectionRole: ConnectionRole.Slow })
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions & AuthModuleRegistration): DynamicModule {
    const { connectionRole, global, ...verification } = options;
    return AuthModule.forRootAsync({ connectionRole, global, useFactory: () => verification });
  }

  static forRootAsync(options: AuthModuleAsyncOptions): DynamicModule {
    const role = options.connectionRole ?? ConnectionRole.Fast;
    const providers: Provider[] = [
      {
        provide: AUTH_MODULE_OPTIONS,
        useFactory: options.useFactory as (...args: unknown[]) => AuthModuleOptions,
        inject: options.inject ?? [],
      },
      {
        provide: TokenRevocation,
        useFactory: (settings: AuthModuleOptions, users: UsersRepository, sessions: SessionsRepository) =>
          new TokenRevocation(users, settings.revocationCacheTtlMs ?? DEFAULT_REVOCATION_CACHE_TTL_MS, settings.now, sessions),
        inject: [AUTH_MODULE_OPTIONS, repositoryToken(UsersRepository, role), repositoryToken(SessionsRepository, role)],
      },
      ...GUARD_PROVIDERS,
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
      imports: [...(options.imports ?? []), DataAccessModule.forFeature([UsersRepository, SessionsRepository], role)],
      providers,
      exports: [
        AUTH_MODULE_OPTIONS,
        TokenRevocation,
        JwtStrategy,
        PassportOptions,
        JwtAuthGuard,
        RolesGuard,
        RecentFactorGuard,
        RecentAuthenticationGuard,
      ],
    };
  }
}
