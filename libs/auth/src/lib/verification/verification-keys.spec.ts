import { generateKeyPairSync } from 'node:crypto';
import { InvalidAccessTokenError } from './token-errors';
import { VerificationKeys } from './verification-keys';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const token = (header: object) => `${b64(header)}.${b64({ sub: 'x' })}.c2ln`;

describe('VerificationKeys', () => {
  const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const keys = new VerificationKeys({ verificationKey: (kid) => (kid === 'k1' ? pem : undefined) }, ['RS256']);

  it('returns the key named by kid for an RS256 access token, parsed once', async () => {
    const key = await keys.keyFor(token({ alg: 'RS256', typ: 'at+jwt', kid: 'k1' }));
    expect(key.export({ format: 'pem', type: 'spki' })).toBe(pem);
    await expect(keys.keyFor(token({ alg: 'RS256', typ: 'application/AT+JWT', kid: 'k1' }))).resolves.toBe(key);
  });

  it.each([
    ['alg none', { alg: 'none', typ: 'at+jwt', kid: 'k1' }, /algorithm/],
    ['HS256', { alg: 'HS256', typ: 'at+jwt', kid: 'k1' }, /algorithm/],
    ['no alg', { typ: 'at+jwt', kid: 'k1' }, /algorithm/],
    ['typ JWT', { alg: 'RS256', typ: 'JWT', kid: 'k1' }, /not an access token/],
    ['no typ', { alg: 'RS256', kid: 'k1' }, /not an access token/],
    ['numeric kid', { alg: 'RS256', typ: 'at+jwt', kid: 1 }, /kid/],
    ['unknown kid', { alg: 'RS256', typ: 'at+jwt', kid: 'k2' }, /unknown signing key/],
  ])('refuses %s before verification', async (_name, header, message) => {
    await expect(keys.keyFor(token(header))).rejects.toThrow(message);
    await expect(keys.keyFor(token(header))).rejects.toBeInstanceOf(InvalidAccessTokenError);
  });

  it('refuses malformed tokens', async () => {
    for (const raw of [
      '',
      'a.b',
      'not json.b.c',
      '.b.c',
      `${Buffer.from('[1]').toString('base64url')}.b.c`,
      `${Buffer.from('null').toString('base64url')}.b.c`,
    ]) {
      await expect(keys.keyFor(raw)).rejects.toThrow(/malformed/);
    }
  });

  it('needs exactly one key source', () => {
    expect(() => new VerificationKeys({}, ['RS256'])).toThrow(/exactly one/);
    expect(() => new VerificationKeys({ jwksUri: 'http://x', verificationKey: () => undefined }, ['RS256'])).toThrow(/exactly one/);
  });
});
