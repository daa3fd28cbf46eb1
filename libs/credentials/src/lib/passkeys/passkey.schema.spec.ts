import mongoose, { Types, type Connection, type Model } from 'mongoose';
import { ONE_TIME_TOKEN_SCHEMA, TokenPurpose, type OneTimeTokenFields } from '../one-time-token.schema';
import { PASSKEY_SCHEMA, type PasskeyFields } from './passkey.schema';

describe('Passkey and passkey challenge schemas (no database)', () => {
  let connection: Connection;
  let Passkey: Model<PasskeyFields>;
  let OneTimeToken: Model<OneTimeTokenFields>;

  beforeAll(() => {
    // Never opened: validation runs without a server.
    connection = mongoose.createConnection();
    Passkey = connection.model<PasskeyFields>(PASSKEY_SCHEMA.name, PASSKEY_SCHEMA.schema);
    OneTimeToken = connection.model<OneTimeTokenFields>(ONE_TIME_TOKEN_SCHEMA.name, ONE_TIME_TOKEN_SCHEMA.schema);
  });

  afterAll(() => connection.close());

  const passkey = (fields: Partial<PasskeyFields> = {}) =>
    new Passkey({
      userId: new Types.ObjectId(),
      name: 'Laptop',
      credentialId: 'AbC-_1',
      publicKey: 'pQECAyYgASFY',
      deviceType: 'singleDevice',
      ...fields,
    });

  it('a passkey: base64url credential id and key, a name of 1–64, a known device type; counter 0 and no backup by default', async () => {
    const valid = passkey();
    await valid.validate();
    expect(valid.counter).toBe(0);
    expect(valid.backedUp).toBe(false);
    expect(valid.transports).toEqual([]);
    for (const bad of [
      { credentialId: 'not base64url!' },
      { publicKey: 'a+b/' },
      { name: '' },
      { name: 'x'.repeat(65) },
      { deviceType: 'cloud' as never },
      { counter: -1 },
    ]) {
      expect(passkey(bad).validateSync()).toBeDefined();
    }
  });

  it('the collection is passkeys; credentialId is unique; userId indexed', () => {
    expect(PASSKEY_SCHEMA.schema.get('collection')).toBe('passkeys');
    expect(PASSKEY_SCHEMA.schema.indexes()).toEqual(
      expect.arrayContaining([
        [{ credentialId: 1 }, expect.objectContaining({ unique: true })],
        [{ userId: 1 }, expect.anything()],
      ]),
    );
  });

  it('only passkey-sign-in tokens may lack a user and a binding', () => {
    const token = (purpose: TokenPurpose, bound: boolean) =>
      new OneTimeToken({
        purpose,
        hash: 'a'.repeat(64),
        expiresAt: new Date(),
        ...(bound ? { userId: new Types.ObjectId(), binding: { email: 'ada@example.com' } } : {}),
      });
    expect(token(TokenPurpose.PasskeySignIn, false).validateSync()).toBeUndefined();
    for (const purpose of [
      TokenPurpose.PasskeyRegistration,
      TokenPurpose.PasskeyStepUp,
      TokenPurpose.MfaChallenge,
      TokenPurpose.PasswordReset,
    ]) {
      const errors = token(purpose, false).validateSync()?.errors ?? {};
      expect(Object.keys(errors).sort()).toEqual(['binding', 'userId']);
      expect(token(purpose, true).validateSync()).toBeUndefined();
    }
  });
});
