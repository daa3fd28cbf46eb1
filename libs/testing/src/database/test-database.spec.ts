import { MongoClient } from 'mongodb';
import { dropTestDatabase, testDatabase, testDbName, TEST_DB_NAME_MAX, TEST_DB_PREFIX } from './test-database';

const VALID = /^[a-z0-9_]+$/;

describe('testDbName', () => {
  it('gives unique, valid, short names derived from the test file', () => {
    const names = Array.from({ length: 200 }, () => testDbName('/repo/apps/users-api/src/users.service.spec.ts', '3'));
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(name).toMatch(VALID);
      expect(name.length).toBeLessThanOrEqual(TEST_DB_NAME_MAX);
      expect(name).toMatch(/^t_users_service_[0-9a-f]{6}_w3_[0-9a-f]{6}$/);
    }
  });

  it('keeps the limit for long, odd file names and worker ids', () => {
    const name = testDbName('/x/Ünïcode Very-Long.Name.With.Many.Parts.And.More.e2e-spec.ts', '12345678');
    expect(name).toMatch(VALID);
    expect(name.length).toBeLessThanOrEqual(TEST_DB_NAME_MAX);
    expect(name.startsWith(TEST_DB_PREFIX)).toBe(true);
  });

  it('separates equally named files in different folders', () => {
    const a = testDbName('/repo/apps/a/src/health.spec.ts', '1');
    const b = testDbName('/repo/apps/b/src/health.spec.ts', '1');
    expect(a.split('_')[2]).not.toBe(b.split('_')[2]);
  });
});

describe('testDatabase', () => {
  it('uses the run database that globalSetup exported, and this file for the name', () => {
    expect(process.env['DIRECTORY_DB_BACKEND']).toBeTruthy();
    expect(process.env['DIRECTORY_DB_REAL_MONGO']).toMatch(/^[01]$/);
    const first = testDatabase();
    expect(first.uri).toBe(process.env['MONGODB_URI']);
    expect(first.dbName).toMatch(/^t_test_database_[0-9a-f]{6}_w\d+_[0-9a-f]{6}$/);
    expect(testDatabase().dbName).not.toBe(first.dbName);
  });
});

describe('dropTestDatabase', () => {
  const { uri, dbName } = testDatabase();
  let client: MongoClient;
  beforeAll(async () => {
    client = await MongoClient.connect(uri);
  });
  afterAll(() => client.close());

  async function databaseNames(): Promise<string[]> {
    const { databases } = await client.db().admin().listDatabases();
    return databases.map((d) => d.name);
  }

  it('refuses a name without the test prefix, even under NODE_ENV=test', async () => {
    expect(process.env['NODE_ENV']).toBe('test');
    await expect(dropTestDatabase(uri, 'directory')).rejects.toThrow(
      'refusing to drop database "directory": test databases start with "t_"',
    );
  });

  it('lets allowAnyName through only under NODE_ENV=test', async () => {
    const saved = process.env['NODE_ENV'];
    process.env['NODE_ENV'] = 'development';
    try {
      await expect(dropTestDatabase(uri, 'fixed_name', { allowAnyName: true })).rejects.toThrow(/refusing/);
    } finally {
      process.env['NODE_ENV'] = saved;
    }
    await expect(dropTestDatabase(uri, 'fixed_name_never_created', { allowAnyName: true })).resolves.toBeUndefined();
  });

  it('drops a test database through a URI or a client', async () => {
    await client.db(dbName).collection('c').insertOne({ a: 1 });
    expect(await databaseNames()).toContain(dbName);
    await dropTestDatabase(uri, dbName);
    expect(await databaseNames()).not.toContain(dbName);

    await client.db(dbName).collection('c').insertOne({ a: 2 });
    await dropTestDatabase(client, dbName);
    expect(await databaseNames()).not.toContain(dbName);
  });
});
