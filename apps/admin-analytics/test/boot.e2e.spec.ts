import { ConnectionRole } from '@directory/connections';
import { loadConfig } from '@directory/platform';
import { describeServiceBoot } from '@directory/testing';
import { AppModule, SERVICE_NAME } from '../src/app/app.module';
import { HTTP_OPTIONS } from '../src/app/http-options';
import { configSchema } from '../src/config';

describeServiceBoot({
  service: SERVICE_NAME,
  role: ConnectionRole.Slow,
  http: HTTP_OPTIONS,
  module: (env) => AppModule.register(loadConfig(configSchema, env)),
  // Secrets stay in auth-api: admin-analytics has no model for password hashes, the login-failure ledger or
  // one-time token hashes (libs/credentials is scope:auth).
  neverCompiles: [
    'AuthenticationMethod',
    'LoginFailure',
    'OneTimeToken',
    'TokenRedemption',
    'Factor',
    'TotpStepUse',
    'RecoveryCode',
    'RecoveryCodeRedemption',
    'Passkey',
  ],
});
