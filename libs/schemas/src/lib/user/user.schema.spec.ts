import { Types, type Connection, type Model } from 'mongoose';
import { compileRegistry } from '../../../test/compile-registry';
import { ModelName } from '../registry';
import type { UserFields } from './user.types';

describe('User schema (no database)', () => {
  let connection: Connection;
  let User: Model<UserFields>;

  beforeAll(() => {
    connection = compileRegistry();
    User = connection.model<UserFields>(ModelName.User);
  });

  afterAll(() => connection.close());

  const valid = () => ({
    email: '  Ann.Lee@Example.COM ',
    name: { first: ' José ', last: 'Ñúñez' },
  });

  it('casts email, trims names and applies defaults', async () => {
    const user = new User(valid());
    await user.validate();
    expect(user.email).toBe('ann.lee@example.com');
    expect(user.name).toEqual({ first: 'José', last: 'Ñúñez' });
    expect(user.roles).toEqual(['member']);
    expect(user.status).toBe('active');
  });

  it('computes the denormalized keys in pre(validate), overwriting anything a client sent', async () => {
    const user = new User({
      ...valid(),
      displayName: 'Pepe',
      sortName: 'aaa first in line',
      searchKeys: ['admin'],
      emailDomain: 'evil.example',
      signupWeek: '1999-W01',
      createdAt: new Date('2027-01-01T10:00:00Z'),
    });
    await user.validate();
    expect(user.sortName).toBe('nunez jose');
    expect(user.searchKeys).toEqual(expect.arrayContaining(['jose', 'nunez', 'pepe', 'jose nunez', 'ann.lee@example.com']));
    expect(user.searchKeys).not.toContain('admin');
    expect(user.emailDomain).toBe('example.com');
    expect({
      day: user.signupDay,
      week: user.signupWeek,
      month: user.signupMonth,
    }).toEqual({
      day: '2027-01-01',
      week: '2026-W53',
      month: '2027-01',
    });
  });

  it('recomputes the keys after a profile change on an existing document', async () => {
    const user = User.hydrate({
      _id: new Types.ObjectId(),
      ...valid(),
      roles: ['member'],
      status: 'active',
      createdAt: new Date('2026-05-05T00:00:00Z'),
      sortName: 'nunez jose',
      searchKeys: ['jose'],
      emailDomain: 'example.com',
      signupDay: '2026-05-05',
      signupWeek: '2026-W19',
      signupMonth: '2026-05',
    });
    user.set({
      name: { first: 'Zoë', last: 'Lee' },
      email: 'zoe@corp.example',
      signupDay: '2000-01-01',
    });
    await user.validate();
    expect(user.sortName).toBe('lee zoe');
    expect(user.searchKeys).toContain('zoe lee');
    expect(user.searchKeys).not.toContain('jose');
    expect(user.emailDomain).toBe('corp.example');
    expect(user.signupDay).toBe('2026-05-05');
  });

  it('gives a new user a createdAt that its signup buckets agree with', async () => {
    const before = Date.now();
    const user = new User(valid());
    await user.validate();
    expect(user.createdAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(user.signupDay).toBe(user.createdAt.toISOString().slice(0, 10));
  });

  it('keeps a createdAt that failed to cast an error instead of replacing it', async () => {
    const user = new User({ ...valid(), createdAt: 'yesterday-ish' });
    await expect(user.validate()).rejects.toMatchObject({
      errors: { createdAt: expect.anything() },
    });
  });

  it('exposes fullName and id in JSON, hides _id, __v and the internal keys', async () => {
    const user = new User({ ...valid(), managerId: new Types.ObjectId() });
    await user.validate();
    const json = user.toJSON() as unknown as Record<string, unknown>;
    expect(json['id']).toBe(user._id.toString());
    expect(json['fullName']).toBe('José Ñúñez');
    expect(typeof json['managerId']).toBe('string');
    for (const hidden of ['_id', '__v', 'searchKeys', 'sortName', 'emailDomain', 'signupDay', 'signupWeek', 'signupMonth']) {
      expect(json).not.toHaveProperty(hidden);
    }
  });

  it('refuses a user who is their own manager', async () => {
    const user = new User(valid());
    user.managerId = user._id;
    await expect(user.validate()).rejects.toMatchObject({
      errors: {
        managerId: expect.objectContaining({
          message: 'A user cannot be their own manager',
        }),
      },
    });
    user.managerId = new Types.ObjectId();
    await expect(user.validate()).resolves.toBeUndefined();
  });

  it.each([
    ['a malformed email', { email: 'not-an-email' }, 'email'],
    ['a missing last name', { name: { first: 'Ann' } }, 'name.last'],
    ['an unknown role', { roles: ['root'] }, 'roles.0'],
    ['no role at all', { roles: [] }, 'roles'],
    ['a duplicate role', { roles: ['admin', 'admin'] }, 'roles'],
    ['an unknown status', { status: 'gone' }, 'status'],
    ['an overlong first name', { name: { first: 'x'.repeat(101), last: 'Lee' } }, 'name.first'],
  ])('rejects %s', async (_label, override, path) => {
    const user = new User({ ...valid(), ...override });
    await expect(user.validate()).rejects.toMatchObject({
      errors: { [path]: expect.anything() },
    });
  });

  it('uses optimistic concurrency, so a stale save fails instead of overwriting', () => {
    expect(User.schema.get('optimisticConcurrency')).toBe(true);
  });

  it('gives plain objects of insertMany({ lean: true }) their keys too', async () => {
    const plain: Record<string, unknown> = {
      ...valid(),
      createdAt: new Date('2024-02-29T12:00:00Z'),
      sortName: 'forged',
    };
    await expect(User.insertMany([plain], { lean: true })).rejects.toThrow(); // no server; the pre hook ran first
    expect(plain).toMatchObject({
      sortName: 'nunez jose',
      emailDomain: 'example.com',
      signupDay: '2024-02-29',
      signupWeek: '2024-W09',
      signupMonth: '2024-02',
    });
  });

  it('is compiled with strictQuery "throw": an unknown filter key is an error, not a wider query', () => {
    expect(() => User.find({ emial: 'ann@example.com' }).cast()).toThrow(/strictQuery/);
    expect(() => User.find({ email: 'ann@example.com', 'name.first': 'Ann' }).cast()).not.toThrow();
  });
});
