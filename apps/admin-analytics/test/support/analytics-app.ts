import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@directory/platform';
import { createTestApp, testEnv, type AuthApiHandle } from '@directory/testing';
import { AppModule } from '../../src/app/app.module';
import { HTTP_OPTIONS } from '../../src/app/http-options';
import { configSchema } from '../../src/config';

/** admin-analytics on the test database, verifying tokens of the given auth-api (a child process started by `startAuthApi`) through its JWKS. */
export function startAnalyticsApp(dbName: string, auth: AuthApiHandle, env: Record<string, string> = {}): Promise<INestApplication> {
  const config = loadConfig(
    configSchema,
    testEnv(dbName, {
      AUTH_JWKS_URI: auth.jwksUri,
      AUTH_JWT_ISSUER: auth.issuer,
      AUTH_JWT_AUDIENCE: auth.audience,
      AUTH_PUBLIC_URL: auth.url,
      // Revocations show at once in tests; the cache itself is libs/auth's to test.
      AUTH_REVOCATION_CACHE_MS: '0',
      ...env,
    }),
  );
  return createTestApp(AppModule.register(config), HTTP_OPTIONS);
}
