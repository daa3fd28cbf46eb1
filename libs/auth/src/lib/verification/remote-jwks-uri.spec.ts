import { jwksUriProblem } from './remote-jwks';

// ASVS 5.0 12.3.1 / 12.3.3 (TLS between services) for the URL the verification keys come from.
describe('jwksUriProblem', () => {
  const production = { production: true };
  const development = { production: false };

  it('accepts https anywhere and http outside production', () => {
    expect(jwksUriProblem('https://auth.example.com/.well-known/jwks.json', production)).toBeUndefined();
    expect(jwksUriProblem('https://auth.example.com/.well-known/jwks.json', development)).toBeUndefined();
    expect(jwksUriProblem('http://127.0.0.1:3001/.well-known/jwks.json', development)).toBeUndefined();
  });

  it('refuses http in production unless explicitly allowed, with a message that says what to do', () => {
    expect(jwksUriProblem('http://auth-api:3001/.well-known/jwks.json', production)).toMatch(/^must be an https:\/\/ URL in production/);
    expect(jwksUriProblem('http://127.0.0.1:3001/.well-known/jwks.json', production)).toMatch(/AUTH_JWKS_ALLOW_HTTP=true/);
    expect(jwksUriProblem('http://auth-api:3001/.well-known/jwks.json', { production: true, allowHttp: true })).toBeUndefined();
  });

  it('refuses anything that is not an http(s) URL', () => {
    for (const uri of ['file:///etc/jwks.json', 'ftp://auth/jwks.json', 'not a url', '']) {
      expect(jwksUriProblem(uri, development)).toBe('must be an http(s) URL');
    }
  });
});
