import { runService } from '@directory/platform';
import { AppModule, SERVICE_NAME } from './app/app.module';
import { HTTP_OPTIONS } from './app/http-options';
import { configSchema } from './config';

void runService({ service: SERVICE_NAME, configSchema, http: HTTP_OPTIONS, module: (config) => AppModule.register(config) });
