import { randomBytes } from 'node:crypto';
import { ConnectionRole, createConnection } from '@directory/connections';
import { ModelName } from '@directory/schemas';
import mongoose, { Types, type Connection } from 'mongoose';
import { SessionsRepository } from './sessions.repository';

// The database comes from the Jest global setup (MONGODB_URI); this file uses its own name.
const uri = process.env['MONGODB_URI'] as string;
const dbName = `t_data_access_sessions_${process.env['JEST_WORKER_ID']}_${Date.now().toString(36)}`;

const hash = () => randomBytes(32).toString('hex');
const family = () => randomBytes(16).toString('base64url');

describe('SessionsRepository.liveOfUser on a real database', () => {
  let connection: Connection;
  let sessions: SessionsRepository;
  const now = new Date('2026-06-01T12:00:00.000Z');
  const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

  beforeAll(async () => {
    connection = await createConnection(ConnectionRole.Fast, { uri, dbName, autoIndex: true }, SessionsRepository.schemas);
    sessions = new SessionsRepository(connection);
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  /** A session as auth-api writes it, with `updatedAt` set as a refresh (swapToken) sets it. */
  async function session(userId: Types.ObjectId, fields: { usedAt: Date; expiresAt?: Date; revokedAt?: Date; userAgent?: string }) {
    const id = family();
    await sessions.create({
      userId,
      family: id,
      tokenHash: hash(),
      expiresAt: fields.expiresAt ?? at(60 * 24),
      amr: ['pwd'],
      authTime: at(-120),
      ...(fields.userAgent && { userAgent: fields.userAgent }),
    });
    const model = connection.model(ModelName.Session);
    await model.updateOne(
      { family: id },
      { $set: { updatedAt: fields.usedAt, ...(fields.revokedAt && { revokedAt: fields.revokedAt }) } },
      { timestamps: false },
    );
    return id;
  }

  it('counts and lists only live sessions of the user, most recently used first, within the limit', async () => {
    const user = new Types.ObjectId();
    const older = await session(user, { usedAt: at(-30), userAgent: 'Older' });
    const newest = await session(user, { usedAt: at(-1) });
    const middle = await session(user, { usedAt: at(-10) });
    await session(user, { usedAt: at(-2), revokedAt: at(-1) });
    await session(user, { usedAt: at(-3), expiresAt: at(-1) });
    await session(new Types.ObjectId(), { usedAt: at(0) });

    const all = await sessions.liveOfUser(user, now, 50);
    expect(all.count).toBe(3);
    expect(all.items.map((item) => item.family)).toEqual([newest, middle, older]);
    expect(all.items[0].updatedAt).toEqual(at(-1));
    expect(all.items[2]).toMatchObject({ userAgent: 'Older', amr: ['pwd'] });

    const two = await sessions.liveOfUser(user, now, 2);
    expect(two.count).toBe(3);
    expect(two.items.map((item) => item.family)).toEqual([newest, middle]);

    expect(await sessions.liveOfUser(new Types.ObjectId(), now, 50)).toEqual({ count: 0, items: [] });
  });

  it('never reads a token hash: the projection names only the listed fields', async () => {
    const user = new Types.ObjectId();
    await session(user, { usedAt: at(-5) });
    const spy = jest.spyOn(mongoose.Query.prototype, 'exec');
    try {
      const { items } = await sessions.liveOfUser(user, now, 50);
      const find = spy.mock.contexts
        .map((query) => query as mongoose.Query<unknown, unknown>)
        .find((query) => query.getOptions().limit !== undefined);
      expect(find?.projection()).toEqual({ _id: 0, family: 1, createdAt: 1, updatedAt: 1, expiresAt: 1, amr: 1, ip: 1, userAgent: 1 });
      expect(Object.keys(items[0]).sort()).toEqual(['amr', 'createdAt', 'expiresAt', 'family', 'updatedAt']);
    } finally {
      spy.mockRestore();
    }
  });
});
