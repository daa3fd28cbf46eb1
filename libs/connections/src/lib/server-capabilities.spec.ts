import { Schema } from 'mongoose';
import { withoutTtlIndexes } from './server-capabilities';

describe('withoutTtlIndexes', () => {
  const schema = new Schema({ expiresAt: Date, token: String });
  schema.index({ token: 1 }, { unique: true });
  schema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

  it('keeps the TTL index as a plain index on a clone', () => {
    const portable = withoutTtlIndexes(schema);
    expect(portable).not.toBe(schema);
    expect(portable.indexes()).toEqual(
      expect.arrayContaining([
        [{ token: 1 }, expect.objectContaining({ unique: true })],
        [{ expiresAt: 1 }, expect.not.objectContaining({ expireAfterSeconds: expect.anything() })],
      ]),
    );
  });

  it('leaves the shared schema untouched', () => {
    withoutTtlIndexes(schema);
    expect(schema.indexes()).toContainEqual([{ expiresAt: 1 }, expect.objectContaining({ expireAfterSeconds: 0 })]);
  });

  it('returns schemas without TTL indexes as they are', () => {
    const plain = new Schema({ a: String });
    expect(withoutTtlIndexes(plain)).toBe(plain);
  });
});
