import { loadConfig } from '@directory/platform';
import { AuthSettings } from '../auth-settings';
import { configSchema } from '../../config';
import { originMatchesRpId, parseOrigins } from './webauthn-settings';

const base = { MONGODB_URI: 'mongodb://localhost:27017/' };

describe('auth-api config: the WebAuthn relying party', () => {
  it('defaults: RP ID = PUBLIC_URL host, name Directory, origin = PUBLIC_URL origin', () => {
    expect(new AuthSettings(loadConfig(configSchema, { ...base, PUBLIC_URL: 'https://directory.example.com/' })).webauthn).toEqual({
      rpId: 'directory.example.com',
      rpName: 'Directory',
      origins: ['https://directory.example.com'],
    });
    // Without PUBLIC_URL: localhost on the service port.
    expect(new AuthSettings(loadConfig(configSchema, { ...base, PORT: '4000' })).webauthn).toEqual({
      rpId: 'localhost',
      rpName: 'Directory',
      origins: ['http://localhost:4000'],
    });
  });

  it('explicit RP ID, name and several origins on the RP ID or its subdomains', () => {
    const settings = new AuthSettings(
      loadConfig(configSchema, {
        ...base,
        PUBLIC_URL: 'https://directory.example.com',
        AUTH_WEBAUTHN_RP_ID: 'Example.com',
        AUTH_WEBAUTHN_RP_NAME: 'Example Directory',
        AUTH_WEBAUTHN_ORIGINS: 'https://directory.example.com, https://admin.example.com:8443',
      }),
    );
    expect(settings.webauthn).toEqual({
      rpId: 'example.com',
      rpName: 'Example Directory',
      origins: ['https://directory.example.com', 'https://admin.example.com:8443'],
    });
  });

  it('a bad origin, an origin off the RP ID, or an IP address as RP ID stops the start with a clear message', () => {
    const load = (env: Record<string, string>) => () =>
      loadConfig(configSchema, { ...base, PUBLIC_URL: 'https://directory.example.com', ...env });
    expect(load({ AUTH_WEBAUTHN_ORIGINS: 'directory.example.com' })).toThrow(
      /AUTH_WEBAUTHN_ORIGINS entry 1 \("directory.example.com"\) is not a URL/,
    );
    expect(load({ AUTH_WEBAUTHN_ORIGINS: 'https://directory.example.com/login' })).toThrow(
      /AUTH_WEBAUTHN_ORIGINS entry 1 .* is not an origin .*did you mean https:\/\/directory.example.com\?/,
    );
    expect(load({ AUTH_WEBAUTHN_ORIGINS: 'ftp://directory.example.com' })).toThrow(/AUTH_WEBAUTHN_ORIGINS entry 1 .* is not http\(s\)/);
    expect(load({ AUTH_WEBAUTHN_ORIGINS: 'https://evil.example' })).toThrow(
      /AUTH_WEBAUTHN_ORIGINS https:\/\/evil.example not on the RP ID directory.example.com/,
    );
    expect(load({ AUTH_WEBAUTHN_ORIGINS: ' , ' })).toThrow(/AUTH_WEBAUTHN_ORIGINS names no origin/);
    expect(load({ AUTH_WEBAUTHN_RP_ID: '127.0.0.1' })).toThrow(/AUTH_WEBAUTHN_RP_ID is an IP address/);
    expect(() => loadConfig(configSchema, { ...base, PUBLIC_URL: 'http://127.0.0.1:3001' })).toThrow(
      /AUTH_WEBAUTHN_RP_ID is an IP address/,
    );
    expect(load({ AUTH_WEBAUTHN_RP_ID: 'https://example.com' })).toThrow(/AUTH_WEBAUTHN_RP_ID must be a domain name/);
  });

  it('origins: parsed and normalized; matching is by host suffix on a label boundary', () => {
    expect(parseOrigins('https://a.example/, http://localhost:3001')).toEqual({ origins: ['https://a.example', 'http://localhost:3001'] });
    expect(originMatchesRpId('https://a.example.com', 'example.com')).toBe(true);
    expect(originMatchesRpId('https://badexample.com', 'example.com')).toBe(false);
  });
});
