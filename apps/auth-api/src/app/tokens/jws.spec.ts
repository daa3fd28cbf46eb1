import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { rsaThumbprint, signRs256 } from './jws';

describe('signRs256', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  it('produces a compact JWS whose RS256 signature verifies with the public key', () => {
    const token = signRs256({ kid: 'k', typ: 'at+jwt' }, { sub: 'u', iat: 1 }, privateKey);
    const [header, payload, signature] = token.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'RS256', kid: 'k', typ: 'at+jwt' });
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toEqual({ sub: 'u', iat: 1 });
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
  });

  it('cannot be talked into another algorithm by the header', () => {
    const token = signRs256({ alg: 'none' }, {}, privateKey);
    expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).alg).toBe('RS256');
  });
});

describe('rsaThumbprint (RFC 7638)', () => {
  it('matches the example of RFC 7638 §3.1', () => {
    const jwk = {
      kty: 'RSA',
      n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
      alg: 'RS256',
      kid: '2011-04-29',
    };
    expect(rsaThumbprint(jwk)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
    expect(createPublicKey({ key: jwk, format: 'jwk' }).asymmetricKeyType).toBe('rsa');
  });
});
