import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ConnectionsModule, type ConnectionRole, type RoleConnectionOptions } from '@directory/connections';
import { autoIndexEnabled, type BaseConfig } from './config/load-config';
import { AllExceptionsFilter } from './errors/all-exceptions.filter';
import { HealthModule } from './health/health.module';
import { loggingModule } from './logging/logger.module';
import { MetricsModule } from './metrics/metrics';

export const SERVICE_CONFIG = 'directory:service-config';

export interface PlatformOptions<C extends BaseConfig> {
  service: string;
  config: C;
  /** Connection roles this service uses; readiness pings each of them. */
  roles: readonly ConnectionRole[];
  /** Per-role overrides such as the slow role's time budget. */
  connection?: Partial<Record<ConnectionRole, Partial<RoleConnectionOptions>>>;
}

/**
 * What every Directory service has: validated config, JSON logs with request ids, the
 * error filter, its role connections, `/health/*` and `/metrics`.
 */
@Module({})
export class PlatformModule {
  static forService<C extends BaseConfig>(options: PlatformOptions<C>): DynamicModule {
    const { config, service } = options;
    const connections = options.roles.map((role) =>
      ConnectionsModule.forRootAsync({
        role,
        useFactory: (): RoleConnectionOptions => ({
          uri: config.MONGODB_URI,
          dbName: config.MONGODB_DB,
          autoIndex: autoIndexEnabled(config),
          appName: `${service}-${role}`,
          ...options.connection?.[role],
        }),
      }),
    );
    return {
      module: PlatformModule,
      global: true,
      imports: [
        loggingModule(service, config.LOG_LEVEL),
        ...connections,
        HealthModule.forRoles(options.roles),
        MetricsModule.forService(service, { token: config.METRICS_TOKEN }),
      ],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
      // ServiceMetrics too, so feature modules can add their own metrics to the app's registry.
      exports: [SERVICE_CONFIG, MetricsModule],
    };
  }
}
