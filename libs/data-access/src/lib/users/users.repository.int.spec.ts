import { ConnectionRole, createConnection } from '@directory/connections';
import { UserStatus } from '@directory/schemas';
import mongoose, { Types, type Connection } from 'mongoose';
import { accessTokenCutoff, REVOCATION_READ_PREFERENCE, UsersRepository } from './users.repository';

// The database comes from the Jest global setup (MONGODB_URI); this file uses its own name.
const uri = process.env['MONGODB_URI'] as string;
const dbName = `t_data_access_${process.env['JEST_WORKER_ID']}_${Date.now().toString(36)}`;

describe('UsersRepository on a real database', () => {
  let connection: Connection;
  let users: UsersRepository;

  beforeAll(async () => {
    connection = await createConnection(ConnectionRole.Fast, { uri, dbName, autoIndex: true }, UsersRepository.schemas);
    users = new UsersRepository(connection);
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  const newUser = (email: string) => users.create({ email, name: { first: 'Rev', last: 'Ocation' } });

  it('never moves the revocation cutoff backwards, whatever order revocations arrive in', async () => {
    const user = await newUser('cutoff@example.com');
    const late = new Date('2026-05-01T10:00:30.500Z');
    await users.revokeAccessTokens(user._id, late);
    // A revocation whose clock is behind (another replica, a slow request) arrives second.
    await users.revokeAccessTokens(user._id, new Date('2026-05-01T10:00:00.000Z'));
    const cutoff = (await users.tokenState(user._id.toHexString()))?.tokensValidAfter as Date;
    expect(cutoff.getTime()).toBeGreaterThanOrEqual(accessTokenCutoff(late).getTime());
    // An admin change based on an old read of the cutoff cannot lower it either.
    const target = await users.adminTarget(user._id);
    await users.compareAndSet(user._id, target?.__v ?? 0, {
      $set: { status: UserStatus.Suspended },
      revokeTokens: { now: new Date('2026-01-01T00:00:00Z'), previous: null },
    });
    expect(await users.tokenState(user._id.toHexString())).toEqual({
      _id: user._id,
      status: UserStatus.Suspended,
      tokensValidAfter: cutoff,
    });
  });

  it('a second revocation within the cutoff second lies beyond the first (tokens issued between are caught)', async () => {
    const user = await newUser('twice@example.com');
    const now = new Date('2026-05-01T10:00:00.100Z');
    await users.revokeAccessTokens(user._id, now);
    await users.revokeAccessTokens(user._id, new Date('2026-05-01T10:00:00.200Z'));
    expect((await users.tokenState(user._id.toHexString()))?.tokensValidAfter).toEqual(new Date('2026-05-01T10:00:02.000Z'));
  });

  it('compare-and-set: a stale version changes nothing', async () => {
    const user = await newUser('cas@example.com');
    expect(await users.compareAndSet(user._id, 0, { $set: { title: 'First' } })).toMatchObject({ title: 'First', __v: 1 });
    expect(await users.compareAndSet(user._id, 0, { $set: { title: 'Second' } })).toBeNull();
    expect(await users.findForAdmin(user._id)).toMatchObject({ title: 'First' });
  });

  it('reads the revocation state from the primary, with a two-field projection', async () => {
    const spy = jest.spyOn(mongoose.Query.prototype, 'exec');
    try {
      await users.tokenState(new Types.ObjectId().toHexString());
      const query = spy.mock.contexts[0] as mongoose.Query<unknown, unknown>;
      expect(query.getOptions().readPreference).toMatchObject({ mode: REVOCATION_READ_PREFERENCE });
      expect(query.projection()).toEqual({ status: 1, tokensValidAfter: 1 });
    } finally {
      spy.mockRestore();
    }
  });
});
