import type { Connection } from 'mongoose';
import { SCHEMA_REGISTRY, type SchemaRegistration } from '@directory/schemas';

export interface IndexSyncResult {
  model: string;
  dropped: string[];
}

/**
 * Production runs with `autoIndex: false`; this is the explicit step that builds the
 * declared indexes of `schemas` (compiled on the connection) and drops ones no schema declares any more.
 */
export async function syncAllIndexes(
  connection: Connection,
  schemas: readonly SchemaRegistration[] = SCHEMA_REGISTRY,
): Promise<IndexSyncResult[]> {
  const results: IndexSyncResult[] = [];
  for (const entry of schemas) {
    // Discriminators share their base collection and indexes, so base models suffice.
    const dropped = await connection.model(entry.name).syncIndexes();
    results.push({ model: entry.name, dropped: dropped ?? [] });
  }
  return results;
}
