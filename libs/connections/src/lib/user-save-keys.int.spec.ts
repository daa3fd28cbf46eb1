import type { Connection } from 'mongoose';
import { ModelName, userSearchPrefixes, type UserFields } from '@directory/schemas';
import { createConnection } from './create-connection';

// The database comes from the Jest global setup (MONGODB_URI), as in connections.int.spec.ts.
const uri = process.env['MONGODB_URI'] as string;
const dbName = `t_user_save_${process.env['JEST_WORKER_ID']}_${Date.now().toString(36)}`;

describe('derived user keys on save, with and without validation', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await createConnection('fast', { uri, dbName, autoIndex: true });
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
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
