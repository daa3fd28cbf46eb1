import type { ResolvedDatabase } from './resolve-database';

/**
 * Environment variables through which a resolved database reaches other processes (Jest
 * workers, the command run by tools/with-database.ts). Read them only through this module.
 */
export const DATABASE_ENV = {
  uri: 'MONGODB_URI',
  backend: 'DIRECTORY_DB_BACKEND',
  realMongo: 'DIRECTORY_DB_REAL_MONGO',
  version: 'DIRECTORY_DB_VERSION',
} as const;

export function databaseEnv(db: ResolvedDatabase): Record<string, string> {
  return {
    [DATABASE_ENV.uri]: db.uri,
    [DATABASE_ENV.backend]: db.backend,
    [DATABASE_ENV.realMongo]: db.isRealMongo ? '1' : '0',
    [DATABASE_ENV.version]: db.serverVersion,
  };
}
