import { ConfigError, loadConfig } from '@directory/platform';
import { configSchema } from './config';

const env = { MONGODB_URI: 'mongodb://127.0.0.1:27017' };
const HTTP_JWKS = 'http://auth-api:3001/.well-known/jwks.json';

// ASVS 5.0 12.3.1 / 12.3.3: the key set that verifies every access token is fetched over TLS in production.
describe('users-api config: AUTH_JWKS_URI in production', () => {
  it('stops the service at start, naming the variable, when the JWKS URL is plain http in production', () => {
    const load = () => loadConfig(configSchema, { ...env, NODE_ENV: 'production', AUTH_JWKS_URI: HTTP_JWKS });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/AUTH_JWKS_URI must be an https:\/\/ URL in production .*AUTH_JWKS_ALLOW_HTTP=true/);
    // The default (http on loopback) is a development default: production must name an https URL.
    expect(() => loadConfig(configSchema, { ...env, NODE_ENV: 'production' })).toThrow(/AUTH_JWKS_URI must be an https:\/\/ URL/);
  });

  it('accepts https in production, http outside production, and http in production only when explicitly allowed', () => {
    const https = 'https://auth.example.com/.well-known/jwks.json';
    expect(loadConfig(configSchema, { ...env, NODE_ENV: 'production', AUTH_JWKS_URI: https }).AUTH_JWKS_URI).toBe(https);
    for (const NODE_ENV of ['development', 'test']) {
      expect(loadConfig(configSchema, { ...env, NODE_ENV, AUTH_JWKS_URI: HTTP_JWKS }).AUTH_JWKS_URI).toBe(HTTP_JWKS);
    }
    const allowed = loadConfig(configSchema, { ...env, NODE_ENV: 'production', AUTH_JWKS_URI: HTTP_JWKS, AUTH_JWKS_ALLOW_HTTP: 'true' });
    expect(allowed).toMatchObject({ AUTH_JWKS_URI: HTTP_JWKS, AUTH_JWKS_ALLOW_HTTP: true });
    expect(loadConfig(configSchema, env).AUTH_JWKS_ALLOW_HTTP).toBe(false);
  });
});
