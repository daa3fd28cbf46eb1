import { createHash, randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { MongoClient } from 'mongodb';
import { DATABASE_ENV } from './database-env';

/** Every database a test creates starts with this, and only such names may be dropped. */
export const TEST_DB_PREFIX = 't_';
/** Short enough for any MongoDB-compatible server (MongoDB allows 64 bytes, FerretDB v1 63). */
export const TEST_DB_NAME_MAX = 38;

export interface TestDatabase {
  /** The server shared by the whole run; pass `dbName` separately (mongoose `{ dbName }`). */
  uri: string;
  dbName: string;
}

/**
 * A database of its own for the calling test file, so files can run in parallel against one
 * server. Call it once per file (e.g. in beforeAll) and drop the database in afterAll.
 */
export function testDatabase(): TestDatabase {
  const uri = process.env[DATABASE_ENV.uri];
  if (!uri) {
    throw new Error(
      'MONGODB_URI is not set: add libs/testing/src/jest/global-setup.ts as globalSetup in this ' +
        "project's jest config, or run the tests through tools/with-database.ts",
    );
  }
  return { uri, dbName: testDbName(currentTestPath() ?? 'unknown') };
}

/** `t_<file>_<path hash>_w<worker>_<random>`, only [a-z0-9_], at most TEST_DB_NAME_MAX chars. */
export function testDbName(testPath: string, workerId = process.env['JEST_WORKER_ID'] ?? '0'): string {
  // The path hash separates equally named files in different projects; the random part
  // separates calls from the same file (and reruns against a server that kept old data).
  const pathHash = createHash('sha256').update(testPath).digest('hex').slice(0, 6);
  const worker = workerId.replace(/\D/g, '').slice(0, 4) || '0';
  const tail = `_${pathHash}_w${worker}_${randomBytes(3).toString('hex')}`;
  const file = basename(testPath)
    .replace(/(\.(spec|test|e2e-spec))?\.[cm]?[jt]sx?$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const room = TEST_DB_NAME_MAX - TEST_DB_PREFIX.length - tail.length;
  return `${TEST_DB_PREFIX}${(file || 'test').slice(0, room)}${tail}`;
}

interface DriverClient {
  db(name: string): { dropDatabase(): Promise<unknown> };
}
/** A mongoose Connection, a MongoClient, or a URI. Structural, so mongoose stays optional here. */
export type DropTarget = string | DriverClient | { getClient(): DriverClient };

/**
 * Drops a test database. Refuses names without TEST_DB_PREFIX, so a MONGODB_URI pointing at a
 * real deployment cannot lose real data to a test; `allowAnyName` lifts that only when
 * NODE_ENV=test, for tests that deliberately use a fixed name.
 */
export async function dropTestDatabase(target: DropTarget, dbName: string, opts: { allowAnyName?: boolean } = {}): Promise<void> {
  const named = dbName.startsWith(TEST_DB_PREFIX);
  if (!named && !(opts.allowAnyName && process.env['NODE_ENV'] === 'test')) {
    throw new Error(`refusing to drop database "${dbName}": test databases start with "${TEST_DB_PREFIX}"`);
  }
  if (typeof target !== 'string') {
    const client = 'getClient' in target ? target.getClient() : target;
    await client.db(dbName).dropDatabase();
    return;
  }
  const client = new MongoClient(target, { serverSelectionTimeoutMS: 10_000 });
  try {
    await client.db(dbName).dropDatabase();
  } finally {
    await client.close();
  }
}

/** Jest's current test file, read without depending on Jest's types. */
export function currentTestPath(): string | undefined {
  const jestExpect = (globalThis as { expect?: { getState?: () => { testPath?: string } } }).expect;
  return jestExpect?.getState?.().testPath ?? undefined;
}
