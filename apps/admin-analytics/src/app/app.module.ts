import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@directory/platform';
import type { AdminAnalyticsConfig } from '../config';

export const SERVICE_NAME = 'admin-analytics';

@Module({})
export class AppModule {
  static register(config: AdminAnalyticsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forService({ service: SERVICE_NAME, config, roles: ['slow'],
      connection: { slow: { maxTimeMS: config.ANALYTICS_MAX_TIME_MS } }, })],
    };
  }
}
