import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { resolveDatabase, type ResolvedDatabase } from '../libs/testing/src/database/resolve-database';

/** Where `npm start` keeps its embedded FerretDB data; seed and import use the same database. */
export const DEV_FERRETDB_DIR = join(resolve(__dirname, '..'), '.data', 'ferretdb');

/** The database `npm start` uses (MONGODB_URI, Docker, mongod, or FerretDB on .data/ferretdb). */
export function startDevDatabase(): Promise<ResolvedDatabase> {
  mkdirSync(DEV_FERRETDB_DIR, { recursive: true });
  return resolveDatabase({ dataDir: DEV_FERRETDB_DIR, log: (line) => console.log(line) });
}
