import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { AuthApiConfig } from '../config';
import { AuthSettings } from './auth-settings';
import { Clock, SystemClock } from './clock';

/** The auth policy and the clock, available to every module of the app. */
@Global()
@Module({})
export class SettingsModule {
  static register(config: AuthApiConfig, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: SettingsModule,
      providers: [
        { provide: AuthSettings, useValue: new AuthSettings(config) },
        { provide: Clock, useValue: clock },
      ],
      exports: [AuthSettings, Clock],
    };
  }
}
