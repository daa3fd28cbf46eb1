import { createHash, randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';

export const RECOVERY_CODE_COUNT = 10;
/** RFC 4648 base32 alphabet. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const CODE_CHARACTERS = 12;
/** `xxxx-xxxx-xxxx`, lowercase base32: 12 characters × 5 bits = 60 random bits. */
export const RECOVERY_CODE_PATTERN = /^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/;

/** A fresh code: 60 bits from the CSPRNG, base32 (no 0/1/8/9, so no O/0 or I/1 confusion), in groups of 4. */
export function newRecoveryCode(): string {
  const bytes = randomBytes(CODE_CHARACTERS);
  // 256 is a multiple of 32: `byte % 32` is uniform.
  const chars = [...bytes].map((byte) => ALPHABET[byte % 32].toLowerCase()).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

/** What people type: any case, spaces or dashes anywhere; null when it cannot be a code. */
export function normalizeRecoveryCode(input: string): string | null {
  const compact = input.toLowerCase().replace(/[\s-]/g, '');
  if (!/^[a-z2-7]{12}$/.test(compact)) return null;
  return `${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8)}`;
}

/**
 * SHA-256 of `<userId>:<code>`, hex. A fast hash is enough: the code carries 60 random bits (not
 * a human-chosen password a dictionary could guess), so a stolen hash cannot be reversed by
 * brute force in useful time, and the user id makes each hash specific to its account.
 */
export function hashRecoveryCode(userId: Types.ObjectId, normalizedCode: string): string {
  return createHash('sha256').update(`${userId.toHexString()}:${normalizedCode}`, 'utf8').digest('hex');
}
