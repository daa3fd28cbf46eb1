/**
 * auth-api as a module, for tests that run it in-process (this app's e2e suite and
 * libs/testing's `startAuthApi`, which other apps' tests use to get real tokens).
 */
import type { DynamicModule } from '@nestjs/common';
import { loadConfig } from '@directory/platform';
import { AppModule, type AppOverrides } from './app/app.module';
import { configSchema } from './config';

export { HTTP_OPTIONS } from './app/http-options';
export { Clock } from './app/clock';

export function authApiModule(env: NodeJS.ProcessEnv, overrides: AppOverrides = {}): DynamicModule {
  return AppModule.register(loadConfig(configSchema, env), overrides);
}
