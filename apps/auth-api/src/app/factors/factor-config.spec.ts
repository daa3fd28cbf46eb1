import { loadConfig } from '@directory/platform';
import { FactorSecretBox, factorKeyId } from '@directory/credentials';
import { randomBytes } from 'node:crypto';
import { AuthSettings, DEVELOPMENT_FACTOR_ENCRYPTION_KEY } from '../auth-settings';
import { configSchema } from '../../config';

const base = { MONGODB_URI: 'mongodb://localhost:27017/' };
const production = { ...base, NODE_ENV: 'production' };

describe('auth-api config: the key that seals second-factor seeds', () => {
  const current = randomBytes(32);
  const old = randomBytes(32);

  it('outside production, a fixed development key (so development data survives restarts)', () => {
    const settings = new AuthSettings(loadConfig(configSchema, base));
    expect(settings.factorKeys).toEqual({ current: DEVELOPMENT_FACTOR_ENCRYPTION_KEY, old: [] });
    expect(DEVELOPMENT_FACTOR_ENCRYPTION_KEY).toHaveLength(32);
  });

  it('is required in production, and must be 32 bytes of base64', () => {
    expect(() => loadConfig(configSchema, production)).toThrow(/AUTH_FACTOR_ENCRYPTION_KEY is required in production \(32 random bytes/);
    expect(() => loadConfig(configSchema, { ...production, AUTH_FACTOR_ENCRYPTION_KEY: current.toString('base64') })).not.toThrow(
      /AUTH_FACTOR_ENCRYPTION_KEY/,
    );
    for (const bad of [randomBytes(16).toString('base64'), 'not a key', randomBytes(32).toString('hex')]) {
      expect(() => loadConfig(configSchema, { ...base, AUTH_FACTOR_ENCRYPTION_KEY: bad })).toThrow(
        /AUTH_FACTOR_ENCRYPTION_KEY must be 32 random bytes/,
      );
    }
  });

  it('rotation: old keys as keyId:base64 open what they sealed; a wrong id is refused at boot', () => {
    const env = {
      ...base,
      AUTH_FACTOR_ENCRYPTION_KEY: current.toString('base64'),
      AUTH_FACTOR_ENCRYPTION_KEYS_OLD: `${factorKeyId(old)}:${old.toString('base64')}`,
    };
    const { factorKeys } = new AuthSettings(loadConfig(configSchema, env));
    expect(factorKeys.current.equals(current)).toBe(true);
    expect(factorKeys.old.map((key) => key.toString('hex'))).toEqual([old.toString('hex')]);
    const sealedBefore = new FactorSecretBox(old).seal('SEED', 'f1');
    expect(new FactorSecretBox(factorKeys.current, factorKeys.old).open(sealedBefore, 'f1')).toBe('SEED');
    expect(() => loadConfig(configSchema, { ...env, AUTH_FACTOR_ENCRYPTION_KEYS_OLD: `00000000:${old.toString('base64')}` })).toThrow(
      /AUTH_FACTOR_ENCRYPTION_KEYS_OLD entry 1: the key's id is [0-9a-f]{8}, not 00000000/,
    );
  });
});
