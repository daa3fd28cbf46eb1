import type { Connection, Schema } from 'mongoose';

export interface ServerCapabilities {
  /** FerretDB v1 refuses `expireAfterSeconds` ("not implemented yet"); MongoDB builds TTL indexes. */
  ttlIndexes: boolean;
}

/** Asks the server what it is; FerretDB answers `buildInfo` with a `ferretdbVersion` field. */
export async function serverCapabilities(connection: Connection): Promise<ServerCapabilities> {
  const db = connection.db;
  if (!db) throw new Error('connection is not open');
  const info = await db.admin().command({ buildInfo: 1 });
  return { ttlIndexes: !('ferretdbVersion' in info) };
}

/**
 * The same schema with TTL indexes kept as plain indexes. Correctness never depends on TTL
 * (every read checks `expiresAt` itself), so on a server without TTL the index still serves
 * queries and only the clean-up is lost. A clone, because the exported schema is shared.
 */
export function withoutTtlIndexes(schema: Schema): Schema {
  const ttl = schema.indexes().filter(([, options]) => options?.['expireAfterSeconds'] !== undefined);
  if (ttl.length === 0) return schema;
  const clone = schema.clone();
  for (const [fields, options] of ttl) {
    const plain: Record<string, unknown> = { ...options };
    delete plain['expireAfterSeconds'];
    clone.removeIndex(fields);
    clone.index(fields, plain);
  }
  return clone;
}
