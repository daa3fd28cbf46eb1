import type { Connection } from 'mongoose';
import { mongo } from 'mongoose';
import { MongoErrorCode } from '@directory/connections';

// Through mongoose's own driver instance, so `instanceof` sees the class that threw.
const { MongoBulkWriteError } = mongo;

export interface WriteFailure {
  /** Position in the array given to insertMany. */
  index: number;
  code: number | undefined;
  message: string;
}

export interface UnorderedInsertResult {
  inserted: number;
  /** Positions refused with a duplicate-key error (E11000): already there. */
  duplicates: number[];
  /** Positions refused for any other reason. */
  failures: WriteFailure[];
}

/**
 * `insertMany({ ordered: false })` that reports each refused document instead of throwing.
 *
 * Why insert-and-ignore-duplicates rather than `bulkWrite` upserts with `$setOnInsert`: an
 * upsert is a query plus a write per document, while an unordered insert is one write and the
 * unique `_id` index is the idempotency check. Measured on FerretDB (SQLite): ~8,000-11,000
 * events/s inserted, a re-run of 2,000 existing ids in ~0.5 s, while 2,000 upserts did not
 * finish within the fast role's 10 s socket timeout.
 *
 * A failure with no per-document errors (timeout, lost connection) is rethrown: nobody knows
 * which documents made it, and the caller must decide how to recover.
 */
export async function insertUnordered<T extends mongo.Document>(
  collection: mongo.Collection<T>,
  docs: readonly T[],
): Promise<UnorderedInsertResult> {
  if (docs.length === 0) return { inserted: 0, duplicates: [], failures: [] };
  try {
    // The driver only reads the array; the cast drops the readonly and OptionalId wrappers.
    const result = await collection.insertMany(docs as never[], { ordered: false });
    return { inserted: result.insertedCount, duplicates: [], failures: [] };
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const writeErrors = ([] as { index: number; code?: number; errmsg?: string }[]).concat(error.writeErrors);
    if (writeErrors.length === 0) throw error;
    const duplicates: number[] = [];
    const failures: WriteFailure[] = [];
    for (const writeError of writeErrors) {
      if (writeError.code === MongoErrorCode.DuplicateKey) duplicates.push(writeError.index);
      else failures.push({ index: writeError.index, code: writeError.code, message: writeError.errmsg ?? 'write failed' });
    }
    return { inserted: docs.length - writeErrors.length, duplicates, failures };
  }
}

/**
 * The driver collection behind a compiled model (PRINCIPLES.md #9: bulk work without
 * hydration), named by the model so a renamed collection cannot be missed here.
 */
export function rawCollection<T extends mongo.Document>(connection: Connection, modelName: string): mongo.Collection<T> {
  const db = connection.db;
  if (!db) throw new Error('the connection is not open');
  return db.collection<T>(connection.model(modelName).collection.collectionName);
}
