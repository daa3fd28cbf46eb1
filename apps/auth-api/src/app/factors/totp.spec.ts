import { generate } from '@otplib/totp';
import { nodeCrypto, rfc4648Base32 } from './otp-plugins';
import { matchTotp, newTotpSecret, TOTP, totpCode, totpStep, totpUri } from './totp';

/** RFC 6238 Appendix B, the SHA-1 rows: seed "12345678901234567890", 8 digits, 30 s steps. */
const RFC6238_SHA1: ReadonlyArray<[unixSeconds: number, code: string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  const rfcSeed = new Uint8Array(Buffer.from('12345678901234567890', 'ascii'));
  const plugins = { crypto: nodeCrypto, base32: rfc4648Base32 };

  it.each(RFC6238_SHA1)('the library, configured to 8 digits, gives the RFC 6238 code at T=%i', async (seconds, code) => {
    await expect(generate({ secret: rfcSeed, ...plugins, algorithm: 'sha1', digits: 8, period: 30, epoch: seconds })).resolves.toBe(code);
  });

  it.each(RFC6238_SHA1)(
    'our 6-digit configuration gives the last 6 digits of the RFC code at T=%i (dynamic truncation mod 10^6)',
    async (seconds, code) => {
      await expect(generate({ secret: rfcSeed, ...plugins, ...TOTP, epoch: seconds })).resolves.toBe(code.slice(-6));
    },
  );

  it('configuration: SHA-1, 6 digits, 30 s', () => {
    expect(TOTP).toEqual({ algorithm: 'sha1', digits: 6, period: 30 });
  });

  it('accepts a code in its own step and ±1 step, refuses 2 steps away, and names the step it matched', async () => {
    const secret = newTotpSecret();
    const issued = new Date(Date.UTC(2026, 0, 1, 12, 0, 15));
    const code = await totpCode(secret, issued);
    expect(code).toMatch(/^\d{6}$/);
    const step = totpStep(issued);
    const at = (steps: number) => new Date(issued.getTime() + steps * 30_000);
    await expect(matchTotp(secret, code, issued)).resolves.toBe(step);
    await expect(matchTotp(secret, code, at(1))).resolves.toBe(step);
    await expect(matchTotp(secret, code, at(-1))).resolves.toBe(step);
    await expect(matchTotp(secret, code, at(2))).resolves.toBeNull();
    await expect(matchTotp(secret, code, at(-2))).resolves.toBeNull();
  });

  it('refuses malformed codes and another seed’s code', async () => {
    const secret = newTotpSecret();
    const now = new Date(Date.UTC(2026, 0, 1));
    const code = await totpCode(secret, now);
    await expect(matchTotp(newTotpSecret(), code, now)).resolves.toBeNull();
    for (const bad of ['', '12345', '1234567', 'abcdef', ` ${code}`, `${code}\n`])
      await expect(matchTotp(secret, bad, now)).resolves.toBeNull();
  });

  it('base32 plugin: RFC 4648 test vectors, both ways', () => {
    const vectors: Array<[string, string]> = [
      ['', ''],
      ['f', 'MY======'],
      ['fo', 'MZXQ===='],
      ['foo', 'MZXW6==='],
      ['foob', 'MZXW6YQ='],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI======'],
    ];
    for (const [plain, encoded] of vectors) {
      expect(rfc4648Base32.encode(new Uint8Array(Buffer.from(plain)), { padding: true })).toBe(encoded);
      expect(Buffer.from(rfc4648Base32.decode(encoded)).toString()).toBe(plain);
    }
    expect(() => rfc4648Base32.decode('MZ1')).toThrow();
  });

  it('seeds are 160-bit base32; the URI names the issuer, the account and the parameters', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
    const uri = new URL(totpUri(secret, 'ada@example.com'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Directory:ada@example.com');
    // Key Uri Format defaults (SHA1, 6 digits, 30 s) are what we use: the library leaves them out or states them.
    expect(uri.searchParams.get('algorithm') ?? 'SHA1').toBe('SHA1');
    expect(uri.searchParams.get('digits') ?? '6').toBe('6');
    expect(uri.searchParams.get('period') ?? '30').toBe('30');
    expect(uri.searchParams.get('issuer')).toBe('Directory');
    expect(uri.searchParams.get('secret')).toBe(secret);
  });
});
