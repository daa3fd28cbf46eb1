import type { DynamicModule, INestApplication } from '@nestjs/common';
import type { z } from 'zod';
import { loadConfig, type BaseConfig } from '../config/load-config';
import { assertNodeVersion, bootstrapService, exitOnStartupError } from './bootstrap';
import type { HttpOptions } from './configure-app';

export interface ServiceDefinition<S extends z.ZodType<BaseConfig & { PORT: number }>> {
  service: string;
  configSchema: S;
  http: HttpOptions;
  module: (config: z.infer<S>) => DynamicModule;
}

/** A service's `main.ts` in one call: check Node, validate config (one line on error), start. */
export async function runService<S extends z.ZodType<BaseConfig & { PORT: number }>>(
  definition: ServiceDefinition<S>,
): Promise<INestApplication> {
  assertNodeVersion();
  let config: z.infer<S>;
  try {
    config = loadConfig(definition.configSchema);
  } catch (error) {
    exitOnStartupError(definition.service, error);
  }
  return bootstrapService(definition.module(config), {
    ...definition.http,
    service: definition.service,
    host: config.HOST,
    port: config.PORT,
    mongodbUri: config.MONGODB_URI,
  });
}
