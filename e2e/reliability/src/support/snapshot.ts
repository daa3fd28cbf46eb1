import { createHash } from 'node:crypto';
import type { Db } from 'mongodb';

/**
 * What a rejected request must not change: the number of documents in every collection and
 * the exact content of every user. Left out on purpose, because a rejected login is recorded
 * by design: `events` (the LoginFailed audit trail) and `loginfailures` (the failure ledger
 * lockout and throttling count from). Neither is a changed document of anyone's.
 */
export const SNAPSHOT_IGNORES = ['events', 'loginfailures'];

export async function databaseSnapshot(db: Db): Promise<string> {
  const names = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter((name) => !SNAPSHOT_IGNORES.includes(name) && !name.startsWith('system.'))
    .sort();
  const counts = await Promise.all(names.map(async (name) => `${name}=${await db.collection(name).countDocuments()}`));
  const users = await db.collection('users').find().sort({ _id: 1 }).toArray();
  const usersHash = createHash('sha256').update(JSON.stringify(users)).digest('hex').slice(0, 16);
  return `${counts.join(' ')} users#${usersHash}`;
}
