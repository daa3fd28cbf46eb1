// Relative imports only: Jest loads this file outside the project's path-alias mapping.
import { DATABASE_ENV, databaseEnv } from '../database/database-env';
import { resolveDatabase } from '../database/resolve-database';
import { LOG_ENV, logFileFor } from '../app/log-file';
import { keepStop } from './stop-handle';

interface ProjectConfig {
  displayName?: string | { name: string };
  rootDir?: string;
}

/**
 * One database for the whole Jest run. Workers start after this and inherit process.env, so
 * they all see the same MONGODB_URI; each test file then uses its own database name.
 */
export default async function globalSetup(_globalConfig?: unknown, project: ProjectConfig = {}): Promise<void> {
  // Every app this project's tests start logs here too; the run scans these files for secrets.
  const name = typeof project.displayName === 'string' ? project.displayName : project.displayName?.name;
  process.env[LOG_ENV.file] ||= logFileFor(name ?? project.rootDir?.split(/[\\/]/).pop() ?? 'tests');
  // Already resolved: by tools/with-database.ts, or by another project's setup in this run.
  if (process.env[DATABASE_ENV.uri] && process.env[DATABASE_ENV.backend]) return;
  // A bare MONGODB_URI still goes through the resolver, which finds out what the server is.
  const db = await resolveDatabase();
  Object.assign(process.env, databaseEnv(db));
  keepStop(db.stop);
}
