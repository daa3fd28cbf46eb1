import { ConnectionRole } from './connection-roles';
import type { Connection } from 'mongoose';
import { ModelName, userSearchFilter, userSearchPrefixes, type UserFields } from '@directory/schemas';
import { createConnection } from './create-connection';
import { syncDerivedUserKeys } from './sync-derived-keys';

// The database comes from the Jest global setup (MONGODB_URI), as in connections.int.spec.ts.
const uri = process.env['MONGODB_URI'] as string;
const dbName = `t_user_keys_${process.env['JEST_WORKER_ID']}_${Date.now().toString(36)}`;

describe('derived user keys on a real database', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await createConnection(ConnectionRole.Fast, { uri, dbName, autoIndex: true });
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  it('gives users stored before searchPrefixes existed their keys, so search finds them; a second run writes nothing', async () => {
    const User = connection.model<UserFields>(ModelName.User);
    // Written the way an older version left them: searchKeys and sortName, no searchPrefixes.
    const createdAt = new Date('2027-01-01T10:00:00Z');
    const old = Array.from({ length: 60 }, (_, i) => ({
      email: `old-${i}@example.com`,
      name: { first: 'José', last: `Ñúñez ${i}` },
      roles: ['member'],
      status: 'active',
      createdAt,
      updatedAt: createdAt,
      searchKeys: [`jose`, `nunez ${i}`],
      sortName: `nunez ${i} jose`,
    }));
    await User.collection.insertMany(old);
    const current = await User.create({ email: 'new@example.com', name: { first: 'José', last: 'Nuevo' } });
    const currentBefore = await User.findById(current._id).lean();
    const before = await User.countDocuments(userSearchFilter('nu') ?? {});
    expect(before).toBe(1); // only the user written through the middleware

    expect(await syncDerivedUserKeys(connection)).toBe(60); // more than one bulkWrite batch

    const found = await User.find(userSearchFilter('nú') ?? {})
      .sort({ sortName: 1, _id: 1 })
      .lean();
    expect(found).toHaveLength(61);
    expect(found.slice(0, 3).map((u) => u.email)).toEqual(['new@example.com', 'old-0@example.com', 'old-1@example.com']);
    const healed = await User.findOne({ email: 'old-0@example.com' }).lean();
    const reference = new User({ email: 'old-0@example.com', name: { first: 'José', last: 'Ñúñez 0' }, createdAt });
    await reference.validate();
    expect(healed).toMatchObject({
      searchPrefixes: reference.get('searchPrefixes'),
      searchKeys: reference.get('searchKeys'),
      sortName: reference.get('sortName'),
      signupWeek: '2026-W53',
    });
    // The user the middleware wrote is untouched, and a second run finds nothing to do.
    expect(await User.findById(current._id).lean()).toEqual(currentBefore);
    expect(await syncDerivedUserKeys(connection)).toBe(0);
  });

  it.each([true, false])('save({ validateBeforeSave: %s }) stores keys of the new name', async (validateBeforeSave) => {
    const User = connection.model<UserFields>(ModelName.User);
    const user = await User.create({ email: `save-${String(validateBeforeSave)}@example.com`, name: { first: 'Ana', last: 'Silva' } });
    user.set('name.last', 'Łukasiewicz');
    await user.save({ validateBeforeSave });
    const stored = await User.findById(user._id).lean();
    expect(stored?.sortName).toMatch(/^lukasiewicz/);
    expect(stored?.searchPrefixes).toEqual(userSearchPrefixes(stored?.searchKeys ?? []));
    expect(stored?.searchPrefixes).toContain('luk');
  });
});
