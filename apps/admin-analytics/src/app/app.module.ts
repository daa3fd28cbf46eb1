import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule, requireMfaForAdmins } from '@directory/auth';
import { ConnectionRole } from '@directory/connections';
import { PlatformModule } from '@directory/platform';
import type { AdminAnalyticsConfig } from '../config';
import { AnalyticsModule } from './analytics/analytics.module';
import { DashboardModule } from './dashboard/dashboard.module';

export const SERVICE_NAME = 'admin-analytics';

@Module({})
export class AppModule {
  static register(config: AdminAnalyticsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({
          service: SERVICE_NAME,
          config,
          roles: [ConnectionRole.Slow],
          connection: { [ConnectionRole.Slow]: { maxTimeMS: config.ANALYTICS_MAX_TIME_MS } },
        }),
        // Every route needs a valid token unless @Public() (the dashboard page and its sign-in);
        // revocation is checked against the slow connection, the only one this app has.
        AuthModule.forRoot({
          jwksUri: config.AUTH_JWKS_URI,
          issuer: config.AUTH_JWT_ISSUER,
          audience: config.AUTH_JWT_AUDIENCE,
          revocationCacheTtlMs: config.AUTH_REVOCATION_CACHE_MS,
          requireMfaForAdmins: requireMfaForAdmins(config),
          connectionRole: ConnectionRole.Slow,
          global: true,
        }),
        AnalyticsModule,
        DashboardModule,
      ],
    };
  }
}
