import { Types, type Connection, type Model } from 'mongoose';
import { compileRegistry } from '../../../test/compile-registry';
import { ModelName } from '../registry';
import { MAX_ROTATED_HASHES, type SessionFields } from './session.schema';

const hash = (n: number) => n.toString(16).padStart(64, '0');

describe('Session schema (no database)', () => {
  let connection: Connection;
  let Session: Model<SessionFields>;

  beforeAll(() => {
    connection = compileRegistry();
    Session = connection.model<SessionFields>(ModelName.Session);
  });

  afterAll(() => connection.close());

  it('keeps token hashes out of queries unless asked for', () => {
    expect(Session.schema.path('tokenHash').options.select).toBe(false);
  });

  it('stores a session with hashed tokens and hides them from JSON', async () => {
    const session = new Session({
      userId: new Types.ObjectId(),
      family: 'f'.repeat(22),
      tokenHash: hash(1),
      rotatedHashes: [hash(0)],
      expiresAt: new Date(Date.now() + 60_000),
      userAgent: 'jest',
      ip: '127.0.0.1',
    });
    await session.validate();
    expect(session.rotation).toBe(0);
    const json = session.toJSON() as unknown as Record<string, unknown>;
    expect(json).not.toHaveProperty('tokenHash');
    expect(json).not.toHaveProperty('rotatedHashes');
    expect(json).toMatchObject({ family: 'f'.repeat(22), userAgent: 'jest' });
  });

  it('refuses a raw token where a hash belongs, and an unbounded rotation history', async () => {
    const base = {
      userId: new Types.ObjectId(),
      family: 'f'.repeat(22),
      expiresAt: new Date(),
    };
    await expect(new Session({ ...base, tokenHash: 'eyJhbGciOi.raw.token' }).validate()).rejects.toMatchObject({
      errors: { tokenHash: expect.anything() },
    });
    const history = Array.from({ length: MAX_ROTATED_HASHES + 1 }, (_, i) => hash(i));
    await expect(
      new Session({
        ...base,
        tokenHash: hash(999),
        rotatedHashes: history,
      }).validate(),
    ).rejects.toMatchObject({
      errors: { rotatedHashes: expect.anything() },
    });
  });
});
