import { IdTag, seededObjectId } from './object-id';

describe('seededObjectId', () => {
  const at = new Date('2026-03-01T12:34:56.789Z');

  it('is a function of instant, tag, seed and counter only', () => {
    expect(seededObjectId(at, IdTag.User, 0xabcdef, 7).equals(seededObjectId(at, IdTag.User, 0xabcdef, 7))).toBe(true);
    const others = [
      seededObjectId(at, IdTag.Event, 0xabcdef, 7),
      seededObjectId(at, IdTag.User, 0xabcdee, 7),
      seededObjectId(at, IdTag.User, 0xabcdef, 8),
      seededObjectId(at.getTime() + 1000, IdTag.User, 0xabcdef, 7),
    ];
    for (const other of others) expect(other.equals(seededObjectId(at, IdTag.User, 0xabcdef, 7))).toBe(false);
  });

  it('lays out seconds | tag | 3 seed bytes | 4-byte counter, so getTimestamp() is the instant', () => {
    const id = seededObjectId(at, IdTag.Activity, 0x12345678, 0x01020304);
    expect(id.getTimestamp().toISOString()).toBe('2026-03-01T12:34:56.000Z');
    expect(id.toHexString().slice(8)).toBe('04345678' + '01020304');
  });

  it('refuses counters that do not fit in 4 bytes', () => {
    expect(() => seededObjectId(at, IdTag.User, 1, 2 ** 32)).toThrow(RangeError);
    expect(() => seededObjectId(at, IdTag.User, 1, -1)).toThrow(RangeError);
  });
});
