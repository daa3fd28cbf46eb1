import { Types, type Connection, type Model } from 'mongoose';
import { compileRegistry } from '../../../test/compile-registry';
import { ModelName } from '../registry';
import { UnsupportedUpdateError } from '../shared/update-document';
import { planUserUpdate } from './user-update';
import type { UserFields } from './user.types';

describe('planUserUpdate', () => {
  it('strips client-sent derived keys and lists the key inputs it assigns', () => {
    const plan = planUserUpdate({
      $set: { 'name.first': 'Zoë', sortName: 'aaa', title: 'Dr' },
      searchKeys: ['x'],
    });
    expect(plan.update).toEqual({ $set: { 'name.first': 'Zoë', title: 'Dr' } });
    expect(plan.assigned).toEqual({ 'name.first': 'Zoë' });
    expect(plan.missing).toEqual(['name.last', 'displayName', 'email']);
  });

  it('treats an unset display name as assigned to nothing', () => {
    expect(planUserUpdate({ $unset: { displayName: 1 } }).assigned).toEqual({
      displayName: null,
    });
  });
});

describe('User query middleware (no database)', () => {
  let connection: Connection;
  let User: Model<UserFields>;
  const id = new Types.ObjectId();

  beforeAll(() => {
    connection = compileRegistry();
    User = connection.model<UserFields>(ModelName.User);
  });

  afterEach(() => jest.restoreAllMocks());
  afterAll(() => connection.close());

  /** Runs the query's pre hooks; the write itself then fails because there is no server. */
  async function runHooks(query: { exec(): Promise<unknown> }): Promise<void> {
    await expect(query.exec()).rejects.toThrow(/initial connection/);
  }

  const setOf = (query: { getUpdate(): unknown }) => (query.getUpdate() as { $set?: Record<string, unknown> }).$set ?? {};

  it('findOneAndUpdate recomputes keys from the update and the stored inputs it does not change', async () => {
    const stored = {
      _id: id,
      email: 'jose@example.com',
      displayName: null,
      name: { first: 'José', last: 'Ñúñez' },
    };
    const findOne = jest.spyOn(User, 'findOne').mockImplementation(() => Promise.resolve(stored) as never);

    const query = User.findOneAndUpdate({ _id: id }, { $set: { 'name.first': 'Zoë', sortName: 'forged' } });
    await runHooks(query);

    expect(findOne).toHaveBeenCalledTimes(1);
    expect(setOf(query)).toMatchObject({
      'name.first': 'Zoë',
      sortName: 'nunez zoe',
      emailDomain: 'example.com',
    });
    expect(setOf(query)['searchKeys']).toEqual(expect.arrayContaining(['zoe', 'nunez', 'zoe nunez', 'jose@example.com']));
    // Pinned to the inputs it read: a concurrent rename makes this write match nothing.
    expect(query.getFilter()).toMatchObject({
      _id: id,
      $and: [
        {
          _id: id,
          'name.last': 'Ñúñez',
          displayName: null,
          email: 'jose@example.com',
        },
      ],
    });
  });

  it('updateOne that assigns every input needs no read', async () => {
    const findOne = jest.spyOn(User, 'findOne');
    const update = {
      name: { first: 'Ann', last: 'Lee' },
      displayName: 'Annie',
      email: 'ANN@corp.example',
    };

    const query = User.updateOne({ _id: id }, update);
    await runHooks(query);

    expect(findOne).not.toHaveBeenCalled();
    expect(setOf(query)).toMatchObject({
      sortName: 'lee ann',
      emailDomain: 'corp.example',
    });
    expect(setOf(query)['searchKeys']).toEqual(expect.arrayContaining(['annie', 'ann@corp.example']));
  });

  it('drops derived keys from an update that changes no key input, without a read', async () => {
    const findOne = jest.spyOn(User, 'findOne');

    const query = User.updateOne({ _id: id }, { $set: { department: 'R&D', signupWeek: '1999-W01', emailDomain: 'x' } });
    await runHooks(query);

    expect(findOne).not.toHaveBeenCalled();
    expect(setOf(query)).toHaveProperty('department', 'R&D');
    expect(setOf(query)).not.toHaveProperty('signupWeek');
    expect(setOf(query)).not.toHaveProperty('emailDomain');
  });

  it('makes the write match nothing when no stored user matched the read', async () => {
    jest.spyOn(User, 'findOne').mockImplementation(() => Promise.resolve(null) as never);

    const query = User.findOneAndUpdate({ email: 'ghost@example.com' }, { displayName: 'Ghost' });
    await runHooks(query);

    expect(query.getFilter()).toMatchObject({ $and: [{ _id: { $in: [] } }] });
    expect(setOf(query)).not.toHaveProperty('searchKeys');
  });

  it.each([
    ['an upsert that sets a name', () => User.updateOne({ email: 'a@b.co' }, { 'name.first': 'A' }, { upsert: true })],
    ['updateMany that changes emails', () => User.updateMany({}, { $set: { email: 'same@example.com' } })],
    ['a $rename of the display name', () => User.updateOne({ _id: id }, { $rename: { displayName: 'title' } })],
    [
      'a pipeline update',
      () =>
        User.updateOne({ _id: id }, [{ $set: { displayName: 'x' } }], {
          updatePipeline: true,
        }),
    ],
    ['replaceOne', () => User.replaceOne({ _id: id }, { email: 'a@b.co' })],
    ['findOneAndReplace', () => User.findOneAndReplace({ _id: id }, { email: 'a@b.co' })],
  ])('refuses %s', async (_label, makeQuery) => {
    await expect(makeQuery().exec()).rejects.toThrow(UnsupportedUpdateError);
  });

  it('lets updateMany change fields no key depends on, minus any derived key', async () => {
    const query = User.updateMany({ department: 'Ops' }, { $set: { status: 'suspended', sortName: 'x' } });
    await runHooks(query);
    expect(setOf(query)).toHaveProperty('status', 'suspended');
    expect(setOf(query)).not.toHaveProperty('sortName');
  });
});
