import mongoose, { Types, type Connection, type Model } from 'mongoose';
import { AUTHENTICATION_METHOD_SCHEMA, AuthenticationMethodSchema, type AuthenticationMethodFields } from './authentication-method.schema';

describe('AuthenticationMethod schema (no database)', () => {
  let connection: Connection;
  let AuthenticationMethod: Model<AuthenticationMethodFields>;

  beforeAll(() => {
    // Never opened: validation runs without a server.
    connection = mongoose.createConnection();
    AuthenticationMethod = connection.model<AuthenticationMethodFields>(
      AUTHENTICATION_METHOD_SCHEMA.name,
      AUTHENTICATION_METHOD_SCHEMA.schema,
    );
  });

  afterAll(() => connection.close());

  it('never puts the password hash in JSON, even when it was selected', async () => {
    const method = new AuthenticationMethod({ userId: new Types.ObjectId(), type: 'password', secret: '$argon2id$v=19$m=65536' });
    await method.validate();
    expect(method.failedAttempts).toBe(0);
    expect(method.needsRehash).toBe(false);
    const json = method.toJSON() as unknown as Record<string, unknown>;
    expect(json).not.toHaveProperty('secret');
    expect(JSON.stringify(method)).not.toContain('argon2id');
    expect(json).toHaveProperty('id');
    expect(json).not.toHaveProperty('_id');
  });

  it('keeps the hash out of queries unless asked for', () => {
    expect(AuthenticationMethod.schema.path('secret').options.select).toBe(false);
  });

  it('accepts only known method types', async () => {
    const method = new AuthenticationMethod({ userId: new Types.ObjectId(), type: 'sms', secret: 'x' });
    await expect(method.validate()).rejects.toMatchObject({ errors: { type: expect.anything() } });
  });

  it('declares its collection, strict queries and the one index login needs', () => {
    expect(AuthenticationMethodSchema.get('collection')).toBe('authenticationmethods');
    expect(AuthenticationMethodSchema.get('strictQuery')).toBe('throw');
    expect(AuthenticationMethodSchema.indexes()).toEqual([[{ userId: 1, type: 1 }, expect.objectContaining({ unique: true })]]);
  });

  it('is not compiled into any global model', () => {
    expect(mongoose.modelNames()).toEqual([]);
  });
});
