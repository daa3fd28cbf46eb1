import { assertNodeVersion, bootstrapService, exitOnStartupError, loadConfig } from '@directory/platform';
import { AppModule, SERVICE_NAME } from './app/app.module';
import { HTTP_OPTIONS } from './app/http-options';
import { configSchema, type AuthApiConfig } from './config';

async function main(): Promise<void> {
  assertNodeVersion();
  let config: AuthApiConfig;
  try {
    config = loadConfig(configSchema);
  } catch (error) {
    exitOnStartupError(SERVICE_NAME, error);
  }
  await bootstrapService(AppModule.register(config), {
    ...HTTP_OPTIONS,
    service: SERVICE_NAME,
    host: config.HOST,
    port: config.PORT,
    mongodbUri: config.MONGODB_URI,
  });
}

void main();
