import { ConfigError, loadConfig } from '@directory/platform';
import { configSchema } from './config';

const env = { MONGODB_URI: 'mongodb://127.0.0.1:27017' };

describe('users-api config', () => {
  it("defaults to a local auth-api's JWKS and auth-api's own issuer and audience", () => {
    const config = loadConfig(configSchema, env);
    expect(config).toMatchObject({
      PORT: 3002,
      AUTH_JWKS_URI: 'http://127.0.0.1:3001/.well-known/jwks.json',
      AUTH_JWT_ISSUER: 'directory-auth',
      AUTH_JWT_AUDIENCE: 'directory',
      AUTH_REVOCATION_CACHE_MS: 5000,
    });
  });

  it.each([
    [{ AUTH_JWKS_URI: 'not a url' }, /AUTH_JWKS_URI/],
    [{ AUTH_JWKS_URI: 'ftp://auth/jwks.json' }, /AUTH_JWKS_URI/],
    [{ AUTH_REVOCATION_CACHE_MS: '-1' }, /AUTH_REVOCATION_CACHE_MS/],
    [{ AUTH_REVOCATION_CACHE_MS: 'soon' }, /AUTH_REVOCATION_CACHE_MS/],
  ])('refuses %j with a message naming the variable', (extra, name) => {
    expect(() => loadConfig(configSchema, { ...env, ...extra })).toThrow(ConfigError);
    expect(() => loadConfig(configSchema, { ...env, ...extra })).toThrow(name);
  });
});
