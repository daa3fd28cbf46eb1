import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@directory/platform';
import type { AuthApiConfig } from '../config';

export const SERVICE_NAME = 'auth-api';

@Module({})
export class AppModule {
  static register(config: AuthApiConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forService({ service: SERVICE_NAME, config, roles: ['fast'], })],
    };
  }
}
