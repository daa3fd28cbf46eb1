import { LoginFailureSchema } from './login-failure.schema';
import { EVERY_SCHEMA } from './authentication-method.schema';

describe('LoginFailure schema (the failure ledger, no database)', () => {
  it('declares its collection, one (key, at) index per counted key and a TTL on expiresAt', () => {
    expect(LoginFailureSchema.get('collection')).toBe('loginfailures');
    expect(LoginFailureSchema.get('strictQuery')).toBe('throw');
    expect(LoginFailureSchema.indexes()).toEqual([
      [{ pair: 1, at: 1 }, expect.anything()],
      [{ account: 1, at: 1 }, expect.anything()],
      [{ source: 1, at: 1 }, expect.anything()],
      [{ expiresAt: 1 }, expect.objectContaining({ expireAfterSeconds: 0 })],
    ]);
  });

  it('is among the schemas operator tools (sync-indexes) build indexes for', () => {
    expect(EVERY_SCHEMA.map((registration) => registration.name)).toContain('LoginFailure');
  });
});
