import { acceptedAlgorithms } from './auth.module';

describe('acceptedAlgorithms', () => {
  it('defaults to RS256', () => {
    expect(acceptedAlgorithms()).toEqual(['RS256']);
    expect(acceptedAlgorithms([])).toEqual(['RS256']);
  });

  it('refuses none and every symmetric algorithm at start-up', () => {
    for (const alg of ['none', 'HS256', 'HS384', 'HS512', 'EdDSA']) expect(() => acceptedAlgorithms(['RS256', alg])).toThrow(/not allowed/);
    expect(acceptedAlgorithms(['RS256', 'ES256'])).toEqual(['RS256', 'ES256']);
  });
});
