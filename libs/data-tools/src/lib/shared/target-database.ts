import type { Connection } from 'mongoose';
import { ConnectionRole, createConnection } from '@directory/connections';
import { CredentialModelName, EVERY_SCHEMA } from '@directory/credentials';
import { ModelName } from '@directory/schemas';

export const DEFAULT_DB_NAME = 'directory';

/** A database started on demand (the resolver of libs/testing), stopped when the tool ends. */
export interface StartedDatabase {
  uri: string;
  stop(): Promise<void>;
}

export interface TargetDatabaseOptions {
  /** `--uri`; falls back to MONGODB_URI, then to `startDatabase`. */
  uri?: string;
  /** `--db`; falls back to MONGODB_DB, then `directory` (what `npm start` uses). */
  dbName?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * Called only when no URI is given. The CLI wrappers in tools/ pass the libs/testing
   * resolver with `.data/ferretdb`, the database `npm start` uses; it is injected rather than
   * imported so the library does not load libs/testing's Nest test helpers at run time.
   */
  startDatabase?: () => Promise<StartedDatabase>;
  appName: string;
  /**
   * See RoleConnectionOptions.socketTimeoutMS. Default 0, no socket timeout: bulk work never runs
   * on the fast role's 10 s. Index maintenance on a large collection can make one batch take
   * longer than that on some servers, and a timed-out insert leaves nobody knowing what it wrote;
   * the batches adapt to a slow server instead (adaptive-batch.ts). Server selection and connect
   * timeouts stay short, so a database that is not there still fails at once.
   */
  socketTimeoutMS?: number;
}

export interface TargetDatabase {
  connection: Connection;
  dbName: string;
  close(): Promise<void>;
}

/** The models the data tools write; their indexes must exist before the first insert. */
export const WRITTEN_MODELS = [ModelName.User, CredentialModelName.AuthenticationMethod, ModelName.Event, ModelName.Activity] as const;

/**
 * Opens a `fast` connection with a small pool and no socket timeout (see `socketTimeoutMS`): the
 * tools run one batch at a time, and a small pool keeps a bulk load from occupying the server's
 * connections (PRINCIPLES.md #2, slow trains). Seed, import, the bench's seeding and the demo
 * directory of `npm start` all open their database here.
 */
export async function openTargetDatabase(options: TargetDatabaseOptions): Promise<TargetDatabase> {
  const env = options.env ?? process.env;
  const dbName = options.dbName ?? env['MONGODB_DB'] ?? DEFAULT_DB_NAME;
  let uri = options.uri ?? env['MONGODB_URI'];
  let started: StartedDatabase | undefined;
  if (!uri) {
    if (!options.startDatabase) throw new Error('No database: pass --uri or set MONGODB_URI');
    started = await options.startDatabase();
    uri = started.uri;
  }
  let connection: Connection;
  try {
    connection = await createConnection(
      ConnectionRole.Fast,
      {
        uri,
        dbName,
        autoIndex: false,
        maxPoolSize: 4,
        appName: options.appName,
        socketTimeoutMS: options.socketTimeoutMS ?? 0,
      },
      EVERY_SCHEMA,
    );
  } catch (error) {
    await started?.stop();
    throw error;
  }
  try {
    await ensureIndexes(connection);
  } catch (error) {
    await connection.close();
    await started?.stop();
    throw error;
  }
  return {
    connection,
    dbName,
    close: async () => {
      await connection.close();
      await started?.stop();
    },
  };
}

/**
 * Builds the declared indexes of the collections the tools write, before writing: the unique
 * indexes (email, one activity per user-day, one method per user and type) are what keeps a
 * re-run or a re-import from duplicating anything. `autoIndex` stays off because it would
 * also build the Session TTL index, which FerretDB v1 refuses ("expireAfterSeconds is not
 * implemented"), and because it runs in the background, racing the first insert.
 */
export async function ensureIndexes(connection: Connection): Promise<void> {
  for (const name of WRITTEN_MODELS) await connection.model(name).createIndexes();
}
