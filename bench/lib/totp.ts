import { createCryptoPlugin } from '@otplib/core';
import { generate } from '@otplib/totp';
import { parse } from '@otplib/uri';
import { createHmac, randomBytes } from 'node:crypto';

/*
 * The client side of TOTP for the bench, on the same @otplib packages as auth-api: the seed comes
 * from the otpauth:// URI an enrolment answers, the code from @otplib/totp with auth-api's
 * parameters (RFC 6238: SHA-1, 6 digits, 30 s). The seed is decoded here and handed over as
 * bytes, so only a crypto plugin is needed (otplib's default plugins are ESM-only packages).
 */

export const TOTP_PERIOD_SECONDS = 30;
const CRYPTO = createCryptoPlugin({
  name: 'bench-node-crypto',
  hmac: (algorithm, key, data) => new Uint8Array(createHmac(algorithm, key).update(data).digest()),
  randomBytes: (length) => new Uint8Array(randomBytes(length)),
});
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Bytes(text: string): Uint8Array {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text.toUpperCase().replace(/[\s=]/g, '')) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error('the otpauth secret is not base32');
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return new Uint8Array(bytes);
}

/** The seed of an otpauth://totp/… URI, as bytes. */
export function seedFromOtpauthUri(uri: string): Uint8Array {
  const parsed = parse(uri);
  if (parsed.type !== 'totp') throw new Error(`not a TOTP URI: ${parsed.type}`);
  return base32Bytes(parsed.params.secret);
}

/** The RFC 6238 step a moment falls in; auth-api accepts each step's code once per factor. */
export const totpStepAt = (ms: number): number => Math.floor(ms / 1000 / TOTP_PERIOD_SECONDS);

export function totpCodeAt(seed: Uint8Array, ms: number): Promise<string> {
  return generate({
    secret: seed,
    crypto: CRYPTO,
    algorithm: 'sha1',
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
    epoch: Math.floor(ms / 1000),
  });
}
