import { claimsToUser } from './claims';

describe('claimsToUser', () => {
  const valid = { sub: '665f1c2e9b1d8a0012345678', iat: 1_700_000_000, exp: 1_700_000_900, jti: 'j-1', roles: ['member'], sid: 'fam' };

  it('maps the claims to an AuthenticatedUser', () => {
    expect(claimsToUser(valid)).toEqual({
      id: valid.sub,
      roles: ['member'],
      tokenId: 'j-1',
      issuedAt: new Date(1_700_000_000_000),
      sessionId: 'fam',
      amr: ['pwd'],
      authTime: new Date(1_700_000_000_000),
    });
    expect(claimsToUser({ ...valid, sid: undefined })).not.toHaveProperty('sessionId');
  });

  it.each([
    ['sub', 'admin'],
    ['sub', undefined],
    ['iat', undefined],
    ['iat', '1700000000'],
    ['exp', undefined],
    ['exp', Number.POSITIVE_INFINITY],
    ['jti', undefined],
    ['jti', ''],
    ['roles', 'admin'],
    ['roles', [1]],
    ['sid', 5],
  ])('refuses a token whose %s is %p', (claim, value) => {
    expect(claimsToUser({ ...valid, [claim]: value })).toBeNull();
  });
});
