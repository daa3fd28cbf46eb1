import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule } from '@directory/auth';
import { PlatformModule } from '@directory/platform';
import type { UsersApiConfig } from '../config';
import { UsersModule } from './users/users.module';

export const SERVICE_NAME = 'users-api';

@Module({})
export class AppModule {
  static register(config: UsersApiConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // `fast` serves every request; `slow` carries only exports, so a long export never
        // holds sockets a search is waiting for ("slow trains", PRINCIPLES.md #2).
        PlatformModule.forService({ service: SERVICE_NAME, config, roles: ['fast', 'slow'] }),
        // Every route needs a valid access token unless marked @Public() (health and metrics are).
        AuthModule.forRoot({
          jwksUri: config.AUTH_JWKS_URI,
          issuer: config.AUTH_JWT_ISSUER,
          audience: config.AUTH_JWT_AUDIENCE,
          revocationCacheTtlMs: config.AUTH_REVOCATION_CACHE_MS,
          connectionRole: 'fast',
          global: true,
        }),
        UsersModule,
      ],
    };
  }
}
