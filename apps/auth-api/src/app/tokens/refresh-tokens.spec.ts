import { hashRefreshToken, newRefreshToken, newSessionFamily, nextRefreshToken, REFRESH_TOKEN_PATTERN } from './refresh-tokens';

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

  it('the successor of a token is fixed by token and server secret, and looks like a random token', () => {
    const token = newRefreshToken();
    const next = nextRefreshToken('server secret one, 32 chars long!', token);
    expect(next).toMatch(REFRESH_TOKEN_PATTERN);
    expect(nextRefreshToken('server secret one, 32 chars long!', token)).toBe(next);
    expect(nextRefreshToken('server secret two, 32 chars long!', token)).not.toBe(next);
    expect(nextRefreshToken('server secret one, 32 chars long!', newRefreshToken())).not.toBe(next);
  });
});
