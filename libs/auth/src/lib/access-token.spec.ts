import { accessTokenCutoff, isAccessTokenType, isIssuedBeforeCutoff, issuedAtSeconds } from './access-token';

describe('access-token revocation arithmetic', () => {
  const at = (iso: string) => new Date(iso);

  it('puts the cutoff at the start of the next second, so every token issued so far is before it', () => {
    const now = at('2026-03-01T12:00:05.250Z');
    const cutoff = accessTokenCutoff(now);
    expect(cutoff.toISOString()).toBe('2026-03-01T12:00:06.000Z');
    expect(isIssuedBeforeCutoff(Math.floor(now.getTime() / 1000), cutoff)).toBe(true);
  });

  it('issues tokens after a revocation at the cutoff, never below it, even within the same second', () => {
    const now = at('2026-03-01T12:00:05.900Z');
    const cutoff = accessTokenCutoff(at('2026-03-01T12:00:05.100Z'));
    const iat = issuedAtSeconds(now, cutoff);
    expect(iat * 1000).toBe(cutoff.getTime());
    expect(isIssuedBeforeCutoff(iat, cutoff)).toBe(false);
    expect(issuedAtSeconds(at('2026-03-01T12:01:00.000Z'), cutoff)).toBe(Date.parse('2026-03-01T12:01:00.000Z') / 1000);
    expect(issuedAtSeconds(now)).toBe(Math.floor(now.getTime() / 1000));
  });

  it('a second revocation in the same second also catches tokens issued after the first', () => {
    const now = at('2026-03-01T12:00:05.100Z');
    const first = accessTokenCutoff(now);
    const issuedBetween = issuedAtSeconds(at('2026-03-01T12:00:05.200Z'), first);
    const second = accessTokenCutoff(at('2026-03-01T12:00:05.300Z'), first);
    expect(isIssuedBeforeCutoff(issuedBetween, second)).toBe(true);
    expect(accessTokenCutoff(at('2026-03-01T13:00:00.000Z'), first).toISOString()).toBe('2026-03-01T13:00:01.000Z');
  });

  it('has no cutoff for users who never revoked anything', () => {
    expect(isIssuedBeforeCutoff(1, null)).toBe(false);
    expect(isIssuedBeforeCutoff(1, undefined)).toBe(false);
  });

  it('accepts typ at+jwt as RFC 8725 compares it', () => {
    for (const typ of ['at+jwt', 'AT+JWT', 'application/at+jwt']) expect(isAccessTokenType(typ)).toBe(true);
    for (const typ of ['JWT', 'jwt', undefined, 42, 'at+jwt ', 'application/jwt']) expect(isAccessTokenType(typ)).toBe(false);
  });
});
