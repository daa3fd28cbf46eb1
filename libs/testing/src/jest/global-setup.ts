// Relative imports only: Jest loads this file outside the project's path-alias mapping.
import { DATABASE_ENV, databaseEnv } from '../database/database-env';
import { resolveDatabase } from '../database/resolve-database';
import { keepStop } from './stop-handle';

/**
 * One database for the whole Jest run. Workers start after this and inherit process.env, so
 * they all see the same MONGODB_URI; each test file then uses its own database name.
 */
export default async function globalSetup(): Promise<void> {
  // Already resolved: by tools/with-database.ts, or by another project's setup in this run.
  if (process.env[DATABASE_ENV.uri] && process.env[DATABASE_ENV.backend]) return;
  // A bare MONGODB_URI still goes through the resolver, which finds out what the server is.
  const db = await resolveDatabase();
  Object.assign(process.env, databaseEnv(db));
  keepStop(db.stop);
}
