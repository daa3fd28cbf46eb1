import { Types } from 'mongoose';
import { hashRecoveryCode, newRecoveryCode, normalizeRecoveryCode, RECOVERY_CODE_PATTERN } from './recovery-codes';

describe('recovery codes', () => {
  it('are xxxx-xxxx-xxxx lowercase base32, and distinct', () => {
    const codes = Array.from({ length: 1000 }, () => newRecoveryCode());
    for (const code of codes) expect(code).toMatch(RECOVERY_CODE_PATTERN);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('normalize what people type: case, spaces and dashes; refuse anything else', () => {
    expect(normalizeRecoveryCode('ABCD-EFGH-2345')).toBe('abcd-efgh-2345');
    expect(normalizeRecoveryCode(' abcd efgh2345 ')).toBe('abcd-efgh-2345');
    expect(normalizeRecoveryCode('abcd-efgh-234')).toBeNull();
    expect(normalizeRecoveryCode('abcd-efgh-2341')).toBeNull(); // 1 is not base32
    expect(normalizeRecoveryCode('{"$ne":null}')).toBeNull();
  });

  it('hash per account: the same code of two users hashes differently; never the code itself', () => {
    const code = newRecoveryCode();
    const a = hashRecoveryCode(new Types.ObjectId(), code);
    const b = hashRecoveryCode(new Types.ObjectId(), code);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(code);
  });
});
