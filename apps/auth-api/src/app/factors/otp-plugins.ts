import type { Base32Plugin, CryptoPlugin, HashAlgorithm } from '@otplib/core';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * otplib 13's TOTP (@otplib/totp, which the `otplib` package wraps) with plugins on node:crypto.
 * The `otplib` entry point loads its default plugins (@noble/hashes, @scure/base), which are
 * ESM-only packages Jest's CommonJS runtime cannot load; these two plugins avoid them and use
 * the platform's own HMAC and CSPRNG.
 */

const NODE_HASH: Record<HashAlgorithm, string> = { sha1: 'sha1', sha256: 'sha256', sha512: 'sha512' };

export const nodeCrypto: CryptoPlugin = {
  name: 'node-crypto',
  algorithms: ['sha1', 'sha256', 'sha512'],
  hmac: (algorithm, key, data) => new Uint8Array(createHmac(NODE_HASH[algorithm], key).update(data).digest()),
  randomBytes: (length) => new Uint8Array(randomBytes(length)),
  constantTimeEqual: (a, b) => {
    const left = typeof a === 'string' ? Buffer.from(a, 'utf8') : Buffer.from(a);
    const right = typeof b === 'string' ? Buffer.from(b, 'utf8') : Buffer.from(b);
    return left.length === right.length && timingSafeEqual(left, right);
  },
};

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (upper case; decoding ignores case, spaces and padding). */
export const rfc4648Base32: Base32Plugin = {
  name: 'rfc4648-base32',
  encode(data, options) {
    let bits = 0;
    let value = 0;
    let out = '';
    for (const byte of data) {
      value = (value << 8) | byte;
      bits += 8;
      while (bits >= 5) {
        out += ALPHABET[(value >>> (bits - 5)) & 31];
        bits -= 5;
      }
    }
    if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
    return options?.padding ? out.padEnd(Math.ceil(out.length / 8) * 8, '=') : out;
  },
  decode(text) {
    const clean = text.toUpperCase().replace(/[\s=]/g, '');
    const bytes: number[] = [];
    let bits = 0;
    let value = 0;
    for (const char of clean) {
      const index = ALPHABET.indexOf(char);
      if (index < 0) throw new Error('not base32');
      value = (value << 5) | index;
      bits += 5;
      if (bits >= 8) {
        bytes.push((value >>> (bits - 8)) & 255);
        bits -= 8;
      }
    }
    return new Uint8Array(bytes);
  },
};
