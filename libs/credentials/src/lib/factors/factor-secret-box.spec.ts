import { randomBytes } from 'node:crypto';
import { decodeFactorKey, FactorSecretBox, FactorSecretError, factorKeyId, parseOldFactorKeys } from './factor-secret-box';

describe('FactorSecretBox (AES-256-GCM at rest)', () => {
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  const factorId = '665f1c2e9b1d8a0012345678';
  const keyA = randomBytes(32);
  const keyB = randomBytes(32);

  it('round trip: seals with the current key, opens to the same text; the ciphertext is not the secret', () => {
    const box = new FactorSecretBox(keyA);
    const sealed = box.seal(secret, factorId);
    expect(sealed.keyId).toBe(factorKeyId(keyA));
    expect(sealed.keyId).toMatch(/^[0-9a-f]{8}$/);
    expect(Buffer.from(sealed.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(sealed.tag, 'base64')).toHaveLength(16);
    expect(JSON.stringify(sealed)).not.toContain(secret);
    expect(box.open(sealed, factorId)).toBe(secret);
    // A fresh nonce each time: sealing twice never gives the same ciphertext.
    expect(box.seal(secret, factorId).ciphertext).not.toBe(sealed.ciphertext);
  });

  it('a wrong key does not open it (even one claiming the right id)', () => {
    const sealed = new FactorSecretBox(keyA).seal(secret, factorId);
    expect(() => new FactorSecretBox(keyB).open(sealed, factorId)).toThrow(FactorSecretError);
    expect(() => new FactorSecretBox(keyB).open({ ...sealed, keyId: factorKeyId(keyB) }, factorId)).toThrow(FactorSecretError);
  });

  it('rotation: the new key seals, the old key still opens what it sealed', () => {
    const before = new FactorSecretBox(keyA).seal(secret, factorId);
    const rotated = new FactorSecretBox(keyB, [keyA]);
    expect(rotated.open(before, factorId)).toBe(secret);
    expect(rotated.isStale(before)).toBe(true);
    const after = rotated.seal(secret, factorId);
    expect(after.keyId).toBe(factorKeyId(keyB));
    expect(rotated.isStale(after)).toBe(false);
    // Once the old key is dropped from the configuration, what it sealed no longer opens.
    expect(() => new FactorSecretBox(keyB).open(before, factorId)).toThrow(/no key with id/);
  });

  it('a tampered tag, ciphertext, nonce or context fails', () => {
    const box = new FactorSecretBox(keyA);
    const sealed = box.seal(secret, factorId);
    const flip = (b64: string) => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[0] ^= 1;
      return bytes.toString('base64');
    };
    expect(() => box.open({ ...sealed, tag: flip(sealed.tag) }, factorId)).toThrow(FactorSecretError);
    expect(() => box.open({ ...sealed, ciphertext: flip(sealed.ciphertext) }, factorId)).toThrow(FactorSecretError);
    expect(() => box.open({ ...sealed, iv: flip(sealed.iv) }, factorId)).toThrow(FactorSecretError);
    expect(() => box.open(sealed, '665f1c2e9b1d8a0012345679')).toThrow(FactorSecretError);
  });

  it('keys: 32 bytes in base64; old keys as keyId:base64 with their true id', () => {
    expect(decodeFactorKey(keyA.toString('base64'))?.equals(keyA)).toBe(true);
    expect(decodeFactorKey(randomBytes(16).toString('base64'))).toBeNull();
    expect(decodeFactorKey('not base64!')).toBeNull();
    expect(() => new FactorSecretBox(randomBytes(16))).toThrow(FactorSecretError);
    const text = `${factorKeyId(keyA)}:${keyA.toString('base64')}, ${factorKeyId(keyB)}:${keyB.toString('base64')}`;
    const parsed = parseOldFactorKeys(text);
    expect('keys' in parsed && parsed.keys.map((k) => k.toString('hex'))).toEqual([keyA.toString('hex'), keyB.toString('hex')]);
    expect(parseOldFactorKeys(`deadbeef:${keyA.toString('base64')}`)).toEqual({ problem: expect.stringContaining('not deadbeef') });
    expect(parseOldFactorKeys('nocolon')).toEqual({ problem: expect.stringContaining('entry 1') });
    expect(parseOldFactorKeys('')).toEqual({ keys: [] });
  });
});
