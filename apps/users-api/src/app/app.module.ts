import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@directory/platform';
import type { UsersApiConfig } from '../config';

export const SERVICE_NAME = 'users-api';

@Module({})
export class AppModule {
  static register(config: UsersApiConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forService({ service: SERVICE_NAME, config, roles: ['fast'], })],
    };
  }
}
