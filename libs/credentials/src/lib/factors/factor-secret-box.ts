import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** A secret sealed with AES-256-GCM: which key, the 96-bit nonce, the ciphertext and the 128-bit tag (base64 each). */
export interface SealedSecret {
  keyId: string;
  iv: string;
  ciphertext: string;
  tag: string;
}

export const FACTOR_KEY_BYTES = 32;

/** A key's id: the first 8 hex digits of its SHA-256 (names the key in each stored secret without revealing it). */
export function factorKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** A base64 (or base64url) text that decodes to exactly 32 bytes, or null. */
export function decodeFactorKey(text: string): Buffer | null {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) return null;
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return key.length === FACTOR_KEY_BYTES ? key : null;
}

/**
 * `keyId:base64,keyId:base64` (AUTH_FACTOR_ENCRYPTION_KEYS_OLD): the keys secrets may still be
 * sealed with. Each id must be the key's own id, so a typo cannot silently name the wrong key.
 * Returns the keys, or a description of the first entry that is wrong.
 */
export function parseOldFactorKeys(text: string): { keys: Buffer[] } | { problem: string } {
  const keys: Buffer[] = [];
  for (const [index, entry] of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .entries()) {
    const separator = entry.indexOf(':');
    const id = separator > 0 ? entry.slice(0, separator) : '';
    const key = separator > 0 ? decodeFactorKey(entry.slice(separator + 1)) : null;
    if (!key) return { problem: `entry ${index + 1} is not keyId:<32 bytes in base64>` };
    if (factorKeyId(key) !== id.toLowerCase()) return { problem: `entry ${index + 1}: the key's id is ${factorKeyId(key)}, not ${id}` };
    keys.push(key);
  }
  return { keys };
}

export class FactorSecretError extends Error {}

/**
 * Encryption at rest for second-factor secrets (TOTP seeds): AES-256-GCM with a fresh random
 * 96-bit nonce per secret, sealed with the current key and opened with any key it knows (the
 * current one and those being rotated out), found by the key id stored beside the ciphertext.
 * `context` (the factor's id) is authenticated data: a ciphertext copied onto another factor
 * does not open.
 */
export class FactorSecretBox {
  private readonly current: { id: string; key: Buffer };
  private readonly keys = new Map<string, Buffer>();

  constructor(currentKey: Buffer, oldKeys: readonly Buffer[] = []) {
    for (const key of [currentKey, ...oldKeys]) {
      if (key.length !== FACTOR_KEY_BYTES) throw new FactorSecretError(`a factor key has ${key.length} bytes, not ${FACTOR_KEY_BYTES}`);
      this.keys.set(factorKeyId(key), key);
    }
    this.current = { id: factorKeyId(currentKey), key: currentKey };
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  seal(plaintext: string, context: string): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      keyId: this.current.id,
      iv: iv.toString('base64'),
      ciphertext: ciphertext.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
    };
  }

  /** The plaintext; throws FactorSecretError for an unknown key or anything altered (key, nonce, ciphertext, tag, context). */
  open(sealed: SealedSecret, context: string): string {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new FactorSecretError(`no key with id ${sealed.keyId} is configured`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new FactorSecretError('the sealed secret does not open (altered, or sealed for another factor)');
    }
  }

  /** Whether a key with this id is configured (current or old): tells an unknown key from an altered secret. */
  knowsKey(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  /** Sealed with a key other than the current one: re-seal when convenient. */
  isStale(sealed: SealedSecret): boolean {
    return sealed.keyId !== this.current.id;
  }
}
