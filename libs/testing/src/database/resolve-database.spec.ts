import { buildFerretDb } from './backends/ferretdb-build';
import { startFerretDb } from './backends/ferretdb';
import { postgresBinDir } from './backends/postgres-probe';
import { resolveDatabase, type Probes } from './resolve-database';

/** process.env without the run's database, so the resolver has to choose by itself. */
function envWithoutDatabase(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env['MONGODB_URI'];
  return env;
}

describe('resolveDatabase', () => {
  it('uses MONGODB_URI when it is set, finds out it is FerretDB, and leaves the server running', async () => {
    const { binary } = await buildFerretDb();
    const server = await startFerretDb(binary);
    try {
      const lines: string[] = [];
      const db = await resolveDatabase({ env: { MONGODB_URI: server.uri }, log: (l) => lines.push(l) });
      expect(db).toMatchObject({ uri: server.uri, backend: 'uri', isRealMongo: false });
      expect(db.serverVersion).toMatch(/^\d+\.\d+\.\d+ \(FerretDB.*\)$/);
      expect(lines).toEqual([`[directory-db] backend=uri version=${db.serverVersion} uri=${server.uri}`]);
      await db.stop();
      // stop() of a "uri" database must not touch a server someone else runs.
      const again = await resolveDatabase({ env: { MONGODB_URI: server.uri }, log: () => undefined });
      expect(again.backend).toBe('uri');
    } finally {
      await server.stop();
    }
  });

  it('fails clearly when MONGODB_URI points at nothing', async () => {
    const closed = await startFerretDb((await buildFerretDb()).binary);
    await closed.stop();
    await expect(
      resolveDatabase({ env: { MONGODB_URI: `${closed.uri}?serverSelectionTimeoutMS=500` }, log: () => undefined }),
    ).rejects.toThrow(/MONGODB_URI at mongodb:\/\/127\.0\.0\.1:\d+\/.* did not answer buildInfo/);
  });

  it('starts FerretDB on SQLite when it is the only backend allowed, without rebuilding it', async () => {
    await buildFerretDb(); // built by globalSetup already; this makes the test independent of it
    const lines: string[] = [];
    const db = await resolveDatabase({
      env: envWithoutDatabase({ DIRECTORY_DB_ALLOW: 'ferretdb-sqlite' }),
      log: (l) => lines.push(l),
    });
    try {
      expect(db).toMatchObject({ backend: 'ferretdb-sqlite', isRealMongo: false });
      expect(db.serverVersion).toMatch(/^\d+\.\d+\.\d+ \(FerretDB v1\.24\.2 on SQLite\)$/);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^\[directory-db\] backend=ferretdb-sqlite version=.+ \(FerretDB v1\.24\.2 on SQLite\) uri=mongodb:\/\/127\.0\.0\.1:\d+\/$/,
      );
    } finally {
      await db.stop();
      await db.stop(); // idempotent
    }
  });

  it('falls through to FerretDB when Docker and mongod are unavailable: PostgreSQL first, then SQLite', async () => {
    /** The backend chosen when Docker and mongod are off and the PostgreSQL probe answers `found`. */
    const chosenWith = async (found: Awaited<ReturnType<Probes['postgres']>>) => {
      const off = async () => ({ unavailable: 'off' });
      const db = await resolveDatabase({
        env: envWithoutDatabase(),
        log: () => undefined,
        probes: { docker: off, mongod: off, postgres: async () => found },
      });
      await db.stop();
      return db.backend;
    };
    const binDir = postgresBinDir(process.env);
    if (binDir) expect(await chosenWith({ binDir })).toBe('ferretdb-postgres');
    else console.warn('[skip] the PostgreSQL half: no initdb/postgres on this machine');
    expect(await chosenWith({ unavailable: 'off' })).toBe('ferretdb-sqlite');
  });

  it('says why a probed backend failed to start and falls back to the next one', async () => {
    const lines: string[] = [];
    const db = await resolveDatabase({
      env: envWithoutDatabase({ DIRECTORY_DB_ALLOW: 'ferretdb' }),
      log: (l) => lines.push(l),
      probes: { postgres: async () => ({ binDir: '/nonexistent/postgresql/bin' }) },
    });
    await db.stop();
    expect(db.backend).toBe('ferretdb-sqlite');
    expect(lines[0]).toMatch(/^\[directory-db\] FerretDB on PostgreSQL .*: it did not start: .*initdb.*; trying the next option$/);
  });

  it('names all five options, and how to enable each, when none is available', async () => {
    const off = async () => ({ unavailable: 'disabled by the test' });
    const error: Error = await resolveDatabase({
      env: {},
      probes: { docker: off, mongod: off, ferretDb: off, postgres: off },
    }).then(
      () => {
        throw new Error('expected no database');
      },
      (e: Error) => e,
    );
    expect(error.message).toContain('1. MONGODB_URI: MONGODB_URI is not set. To use it, set MONGODB_URI=');
    expect(error.message).toContain(
      '2. Docker (testcontainers, mongo:8 replica set): disabled by the test. To use it, start a Docker daemon',
    );
    expect(error.message).toContain('3. mongodb-memory-server (replica set): disabled by the test. To use it, set MONGOMS_SYSTEM_BINARY=');
    expect(error.message).toContain('DIRECTORY_ALLOW_MONGOD_DOWNLOAD=1');
    expect(error.message).toContain(
      '4. FerretDB on PostgreSQL (tools/ferretdb, a private cluster or DIRECTORY_POSTGRES_URL): disabled by the test. To use it, install PostgreSQL',
    );
    expect(error.message).toContain('5. FerretDB on SQLite (tools/ferretdb): disabled by the test. To use it, install Go');
  });

  it('honours DIRECTORY_DB_ALLOW in the error too', async () => {
    await expect(resolveDatabase({ env: { DIRECTORY_DB_ALLOW: 'uri' } })).rejects.toThrow(
      /4\. FerretDB on PostgreSQL .*: excluded by DIRECTORY_DB_ALLOW\.[^]*5\. FerretDB on SQLite .*: excluded by DIRECTORY_DB_ALLOW/,
    );
  });
});
