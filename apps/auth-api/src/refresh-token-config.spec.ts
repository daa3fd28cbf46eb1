import { loadConfig } from '@directory/platform';
import { AuthSettings } from './app/auth-settings';
import { configSchema } from './config';

const base = { MONGODB_URI: 'mongodb://localhost:27017/' };

describe('auth-api config: refresh-token secret and grace (issue 12 item 4)', () => {
  it('requires AUTH_REFRESH_TOKEN_SECRET in production, with a message that says how to make one', () => {
    expect(() => loadConfig(configSchema, { ...base, NODE_ENV: 'production' })).toThrow(
      /AUTH_REFRESH_TOKEN_SECRET is required in production \(at least 32 random characters/,
    );
    expect(() => loadConfig(configSchema, { ...base, AUTH_REFRESH_TOKEN_SECRET: 'too short' })).toThrow(
      /AUTH_REFRESH_TOKEN_SECRET must be at least 32 characters/,
    );
  });

  it('outside production a secret is generated per process; the grace defaults to 10 s and 0 turns it off', () => {
    const generated = new AuthSettings(loadConfig(configSchema, base));
    expect(generated.refreshTokenSecret.length).toBeGreaterThanOrEqual(32);
    expect(new AuthSettings(loadConfig(configSchema, base)).refreshTokenSecret).not.toBe(generated.refreshTokenSecret);
    expect(generated.refreshGraceSeconds).toBe(10);
    const secret = 'x'.repeat(32);
    const configured = new AuthSettings(
      loadConfig(configSchema, { ...base, AUTH_REFRESH_TOKEN_SECRET: secret, AUTH_REFRESH_GRACE_SECONDS: '0' }),
    );
    expect(configured).toMatchObject({ refreshTokenSecret: secret, refreshGraceSeconds: 0 });
    expect(() => loadConfig(configSchema, { ...base, AUTH_REFRESH_GRACE_SECONDS: '61' })).toThrow(/AUTH_REFRESH_GRACE_SECONDS/);
  });
});
