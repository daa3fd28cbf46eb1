import { loadConfig } from '@directory/platform';
import { AuthSettings, DEVELOPMENT_EMAIL_HASH_SECRET } from './app/auth-settings';
import { configSchema } from './config';

const base = { MONGODB_URI: 'mongodb://localhost:27017/' };
const SECRET = 'x'.repeat(40);
const production = { ...base, NODE_ENV: 'production', AUTH_REFRESH_TOKEN_SECRET: 'r'.repeat(40) };

describe('auth-api config: failure ledger and throttling (issue 12)', () => {
  it('defaults: 15-minute sliding window, 5 per (email, address), 20 per email, 100 per address, ceiling 600/min', () => {
    const config = loadConfig(configSchema, base);
    expect(config).toMatchObject({
      AUTH_LOCKOUT_WINDOW_SECONDS: 900,
      AUTH_LOCKOUT_THRESHOLD: 5,
      AUTH_LOCKOUT_ACCOUNT_THRESHOLD: 20,
      AUTH_LOGIN_FAILURES_PER_IP: 100,
      AUTH_THROTTLE_LIMIT: 600,
      AUTH_THROTTLE_TTL_SECONDS: 60,
    });
    expect(new AuthSettings(config).emailHashSecret).toBe(DEVELOPMENT_EMAIL_HASH_SECRET);
  });

  it('requires AUTH_EMAIL_HASH_SECRET in production, with a line that says what to set', () => {
    expect(() => loadConfig(configSchema, production)).toThrow(/AUTH_EMAIL_HASH_SECRET is required in production \(a random secret/);
    expect(() => loadConfig(configSchema, { ...base, AUTH_EMAIL_HASH_SECRET: 'short' })).toThrow(
      /AUTH_EMAIL_HASH_SECRET must be at least 32 characters/,
    );
    // Set, production has no complaint about it (other production requirements aside)...
    expect(() => loadConfig(configSchema, { ...production, AUTH_EMAIL_HASH_SECRET: SECRET })).not.toThrow(/AUTH_EMAIL_HASH_SECRET/);
    // ...and the ledger keys with it.
    expect(new AuthSettings(loadConfig(configSchema, { ...base, AUTH_EMAIL_HASH_SECRET: SECRET })).emailHashSecret).toBe(SECRET);
  });

  it('refuses an email threshold below the (email, address) one', () => {
    expect(() => loadConfig(configSchema, { ...base, AUTH_LOCKOUT_THRESHOLD: '10', AUTH_LOCKOUT_ACCOUNT_THRESHOLD: '5' })).toThrow(
      /AUTH_LOCKOUT_ACCOUNT_THRESHOLD must be at least AUTH_LOCKOUT_THRESHOLD/,
    );
  });
});
