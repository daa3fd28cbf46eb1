import type { Connection, mongo } from 'mongoose';
import { ModelName, userProfileKeys, userSignupKeys, type UserFields } from '@directory/schemas';

/**
 * One bulkWrite is one command under the fast role's 10 s socket timeout; FerretDB v1 takes
 * ~60 ms per conditional update here, so 50 stays well inside it.
 */
const BATCH_SIZE = 50;

/**
 * Writes the derived keys of users stored before `searchPrefixes` existed: search is an
 * equality on that array, so without it such a user can never be found. Middleware keeps the
 * keys of every later write; this is the one-off step for older data, run by `npm run
 * sync-indexes` and `npm start`. Pages by _id, and a user that somebody updated meanwhile (the
 * middleware then wrote the keys) is left alone. Returns how many users it updated.
 */
export async function syncDerivedUserKeys(connection: Connection): Promise<number> {
  const users = connection.db?.collection<UserFields & { _id: mongo.ObjectId }>(connection.model(ModelName.User).collection.collectionName);
  if (!users) throw new Error('syncDerivedUserKeys: the connection is not open');
  const missing = { searchPrefixes: { $exists: false } };
  let updated = 0;
  let after: mongo.ObjectId | undefined;
  for (;;) {
    const batch = await users
      .find(after ? { ...missing, _id: { $gt: after } } : missing, { projection: { name: 1, displayName: 1, email: 1, createdAt: 1 } })
      .sort({ _id: 1 })
      .limit(BATCH_SIZE)
      .toArray();
    const last = batch[batch.length - 1];
    if (!last) return updated;
    const result = await users.bulkWrite(
      batch.map((user) => {
        const keys = userProfileKeys({ first: user.name?.first, last: user.name?.last, displayName: user.displayName, email: user.email });
        return {
          updateOne: {
            filter: { _id: user._id, ...missing },
            update: { $set: { ...keys, ...(user.createdAt && userSignupKeys(user.createdAt)) } },
          },
        };
      }),
      { ordered: false },
    );
    updated += result.modifiedCount;
    after = last._id;
  }
}
