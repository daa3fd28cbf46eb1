import type { Connection, mongo } from 'mongoose';
import { ModelName, userProfileKeys, userSignupKeys, type UserFields } from '@directory/schemas';

/** Users per bulkWrite: FerretDB v1 takes ~60 ms per conditional update, so a batch stays a few seconds. */
const BATCH_SIZE = 50;

type StoredUser = Pick<UserFields, 'name' | 'displayName' | 'email' | 'createdAt'> & { _id: mongo.ObjectId };

/**
 * Writes the derived keys of users stored before `searchPrefixes` existed: search is an
 * equality on that array, so without it such a user can never be found. Middleware keeps the
 * keys of every later write; this is the one-off step for older data, run by `npm run
 * sync-indexes` and `npm start`. Returns how many users it updated.
 *
 * One cursor over the users lacking the key (no index serves "missing", so this is one
 * collection scan; give it a connection with `socketTimeoutMS: 0`). A user that somebody
 * updates meanwhile gets its keys from the middleware, and the conditional update leaves it alone.
 */
export async function syncDerivedUserKeys(connection: Connection): Promise<number> {
  const users = connection.db?.collection<StoredUser>(connection.model(ModelName.User).collection.collectionName);
  if (!users) throw new Error('syncDerivedUserKeys: the connection is not open');
  const missing = { searchPrefixes: { $exists: false } };
  const cursor = users.find(missing, { projection: { name: 1, displayName: 1, email: 1, createdAt: 1 } }).batchSize(BATCH_SIZE);
  let updated = 0;
  let batch: mongo.AnyBulkWriteOperation<StoredUser>[] = [];
  const flush = async () => {
    if (batch.length > 0) updated += (await users.bulkWrite(batch, { ordered: false })).modifiedCount;
    batch = [];
  };
  for await (const user of cursor) {
    const keys = userProfileKeys({ first: user.name?.first, last: user.name?.last, displayName: user.displayName, email: user.email });
    const signup = user.createdAt ? userSignupKeys(user.createdAt) : {};
    batch.push({ updateOne: { filter: { _id: user._id, ...missing }, update: { $set: { ...keys, ...signup } } } });
    if (batch.length === BATCH_SIZE) await flush();
  }
  await flush();
  return updated;
}
