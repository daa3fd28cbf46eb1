import { hashRefreshToken, newRefreshToken, newSessionFamily, REFRESH_TOKEN_PATTERN } from './refresh-tokens';

describe('refresh tokens', () => {
  it('are 256 random bits in base64url, different every time', () => {
    const tokens = new Set(Array.from({ length: 100 }, newRefreshToken));
    expect(tokens.size).toBe(100);
    for (const token of tokens) {
      expect(token).toMatch(REFRESH_TOKEN_PATTERN);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
  });

  it('are stored as SHA-256 hex', () => {
    expect(hashRefreshToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('families get 128-bit ids the Session schema accepts (16 to 128 characters)', () => {
    expect(newSessionFamily()).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
