import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { resolveDatabase, type ResolvedDatabase } from '@directory/testing/resolve-database';

/**
 * Where `npm start` keeps its embedded database: .data/postgres (FerretDB on a private
 * PostgreSQL cluster) or .data/ferretdb (FerretDB on SQLite). Seed and import use the same.
 */
export const DEV_DATA_DIR = join(resolve(__dirname, '..'), '.data');

/** The database `npm start` uses (MONGODB_URI, Docker, mongod, or FerretDB on PostgreSQL or SQLite). */
export function startDevDatabase(): Promise<ResolvedDatabase> {
  mkdirSync(DEV_DATA_DIR, { recursive: true });
  return resolveDatabase({ dataDir: DEV_DATA_DIR, log: (line) => console.log(line) });
}
