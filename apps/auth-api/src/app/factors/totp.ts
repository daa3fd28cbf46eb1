import { generateSecret } from '@otplib/core';
import { generate, verify } from '@otplib/totp';
import { generateTOTP } from '@otplib/uri';
import { nodeCrypto, rfc4648Base32 } from './otp-plugins';

/** RFC 6238 as every authenticator app expects it: HMAC-SHA-1, 6 digits, 30-second steps. */
export const TOTP = { algorithm: 'sha1', digits: 6, period: 30 } as const;
/** Codes of the previous and next step are accepted too (clock drift): ±1 step. */
export const TOTP_TOLERANCE_STEPS = 1;
export const TOTP_ISSUER = 'Directory';
export const TOTP_CODE_PATTERN = /^\d{6}$/;

const PLUGINS = { crypto: nodeCrypto, base32: rfc4648Base32 } as const;

/** A new seed: 20 random bytes (160 bits, RFC 4226's recommended length), base32. */
export function newTotpSecret(): string {
  return generateSecret({ ...PLUGINS, length: 20 });
}

/** The provisioning URI authenticator apps read from the QR code (Key Uri Format). */
export function totpUri(secret: string, account: string): string {
  return generateTOTP({ issuer: TOTP_ISSUER, label: account, secret, ...TOTP });
}

export const totpStep = (at: Date): number => Math.floor(at.getTime() / 1000 / TOTP.period);

/** The code for `at` (tests and tools; the server only verifies). */
export function totpCode(secret: string, at: Date): Promise<string> {
  return generate({ secret, ...PLUGINS, ...TOTP, epoch: Math.floor(at.getTime() / 1000) });
}

/**
 * The RFC 6238 time step `code` belongs to when it is valid at `at` within ±1 step, else null.
 * The step is what the caller records so that each code is accepted once.
 */
export async function matchTotp(secret: string, code: string, at: Date): Promise<number | null> {
  if (!TOTP_CODE_PATTERN.test(code)) return null;
  const result = await verify({
    secret,
    token: code,
    ...PLUGINS,
    ...TOTP,
    epoch: Math.floor(at.getTime() / 1000),
    epochTolerance: TOTP_TOLERANCE_STEPS * TOTP.period,
  });
  return result.valid ? result.timeStep : null;
}
