import { loadConfig } from '@directory/platform';
import { configSchema, meetsOwaspArgon2Minimum } from './config';

const base = { MONGODB_URI: 'mongodb://localhost:27017/' };

describe('auth-api config', () => {
  it('defaults: 15-minute access tokens, argon2id m=19456 KiB t=2 p=1, lockout after 5 failures', () => {
    expect(loadConfig(configSchema, base)).toMatchObject({
      PORT: 3001,
      AUTH_ACCESS_TOKEN_TTL: 900,
      AUTH_ARGON2_MEMORY_KIB: 19456,
      AUTH_ARGON2_TIME_COST: 2,
      AUTH_ARGON2_PARALLELISM: 1,
      AUTH_LOCKOUT_THRESHOLD: 5,
      DIRECTORY_DATA_DIR: '.data',
    });
  });

  it('refuses argon2 parameters below the OWASP minimum', () => {
    expect(() => loadConfig(configSchema, { ...base, AUTH_ARGON2_MEMORY_KIB: '16384', AUTH_ARGON2_TIME_COST: '2' })).toThrow(
      /AUTH_ARGON2_MEMORY_KIB with AUTH_ARGON2_TIME_COST=2 is below the OWASP minimum/,
    );
    expect(meetsOwaspArgon2Minimum(47104, 1)).toBe(true);
    expect(meetsOwaspArgon2Minimum(7168, 5)).toBe(true);
    expect(meetsOwaspArgon2Minimum(7168, 4)).toBe(false);
    expect(meetsOwaspArgon2Minimum(65536, 3)).toBe(true);
  });

  it('needs a signing key in production, and PEM text when one is given', () => {
    expect(() => loadConfig(configSchema, { ...base, NODE_ENV: 'production' })).toThrow(/AUTH_JWT_PRIVATE_KEY is required in production/);
    expect(() => loadConfig(configSchema, { ...base, AUTH_JWT_PRIVATE_KEY: 'hunter2' })).toThrow(/AUTH_JWT_PRIVATE_KEY must be PEM/);
    const escaped = '-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----';
    expect(loadConfig(configSchema, { ...base, AUTH_JWT_PRIVATE_KEY: escaped }).AUTH_JWT_PRIVATE_KEY).toContain('\nAAAA\n');
  });
});
