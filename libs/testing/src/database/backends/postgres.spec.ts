import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { MongoClient } from 'mongodb';
import { buildFerretDb } from './ferretdb-build';
import { startFerretDb } from './ferretdb';
import { postgresBinDir } from './postgres-probe';
import { processRunning, stoppedWithin } from '../../process/process-running';

const binDir = postgresBinDir(process.env);
/** Skipped, with the reason printed, on a machine without PostgreSQL's server binaries. */
const describePostgres = binDir ? describe : describe.skip;
if (!binDir) console.warn('[skip] FerretDB on PostgreSQL: no initdb/postgres on PATH or under /usr/lib/postgresql/*/bin');

async function insertAndCount(uri: string, db: string, doc: object): Promise<number> {
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    const things = client.db(db).collection('things');
    await things.insertOne({ ...doc });
    return await things.countDocuments();
  } finally {
    await client.close();
  }
}

describePostgres('FerretDB on a private PostgreSQL cluster', () => {
  const postgres = { binDir: binDir as string };
  let binary: string;
  beforeAll(async () => {
    binary = (await buildFerretDb()).binary;
  });

  it('serves reads and writes, and stop() ends FerretDB and PostgreSQL and removes the temporary cluster', async () => {
    const server = await startFerretDb(binary, { postgres });
    expect(processRunning(server.postgresPid)).toBe(true);
    expect(await insertAndCount(server.uri, 't_pg_spec', { name: 'Ada' })).toBe(1);
    await server.stop();
    expect(processRunning(server.pid)).toBe(false);
    expect(await stoppedWithin(server.postgresPid, 1_000)).toBe(true);
    expect(existsSync(server.dataDir)).toBe(false);
  });

  it('keeps data in a given data directory across restarts', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pg-spec-'));
    await chmod(root, 0o755); // the unprivileged PostgreSQL user must be able to enter it
    const dataDir = join(root, 'postgres');
    try {
      const first = await startFerretDb(binary, { postgres, dataDir });
      await insertAndCount(first.uri, 't_pg_keep', { kept: true });
      await first.stop();
      const second = await startFerretDb(binary, { postgres, dataDir });
      expect(await insertAndCount(second.uri, 't_pg_keep', { kept: 'again' })).toBe(2);
      await second.stop();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('completes 120 concurrent updates (FerretDB v1 deadlocks when its pool is smaller than twice the writers)', async () => {
    const server = await startFerretDb(binary, { postgres });
    const client = await MongoClient.connect(server.uri, { maxPoolSize: 120, socketTimeoutMS: 30_000 });
    try {
      const counters = client.db('t_pg_writers').collection<{ _id: number; n: number }>('counters');
      await counters.insertMany(Array.from({ length: 120 }, (_, i) => ({ _id: i, n: 0 })));
      const results = await Promise.allSettled(Array.from({ length: 120 }, (_, i) => counters.updateOne({ _id: i }, { $inc: { n: 1 } })));
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      expect(await counters.countDocuments({ n: 1 })).toBe(120);
    } finally {
      await client.close();
      await server.stop();
    }
  });

  it('runs two clusters at once without colliding (own data, own socket, no TCP port of its own)', async () => {
    const [a, b] = await Promise.all([startFerretDb(binary, { postgres }), startFerretDb(binary, { postgres })]);
    try {
      expect(a.uri).not.toBe(b.uri);
      expect(a.postgresPid).not.toBe(b.postgresPid);
      await Promise.all([insertAndCount(a.uri, 't_pg_two', { side: 'a' }), insertAndCount(b.uri, 't_pg_two', { side: 'b' })]);
      expect(await insertAndCount(a.uri, 't_pg_two', { side: 'a' })).toBe(2);
      expect(await insertAndCount(b.uri, 't_pg_two', { side: 'b' })).toBe(2);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('stops PostgreSQL within seconds when the launcher is killed with SIGKILL', async () => {
    const held = await holdInChildProcess(binary, postgres.binDir);
    expect(processRunning(held.postgresPid)).toBe(true);
    held.child.kill('SIGKILL');
    // The launcher's death closes FerretDB's stdin; FerretDB stops PostgreSQL on its way out.
    expect(await stoppedWithin(held.ferretDbPid, 10_000)).toBe(true);
    expect(await stoppedWithin(held.postgresPid, 10_000)).toBe(true);
    await rm(resolve(held.dataDir, '..'), { recursive: true, force: true });
  });

  it('stops PostgreSQL within seconds when the FerretDB process itself is killed with SIGKILL', async () => {
    const server = await startFerretDb(binary, { postgres });
    try {
      process.kill(server.pid, 'SIGKILL');
      // Nobody runs FerretDB's shutdown now: the kernel's parent-death signal stops PostgreSQL.
      expect(await stoppedWithin(server.postgresPid, 10_000)).toBe(true);
    } finally {
      await server.stop();
    }
  });
});

/** Starts a separate Node process that owns FerretDB + PostgreSQL, like `npm start` or a test run. */
async function holdInChildProcess(
  binary: string,
  pgBinDir: string,
): Promise<{ child: ReturnType<typeof spawn>; ferretDbPid: number; postgresPid: number; dataDir: string }> {
  const root = resolve(__dirname, '../../../../..');
  const script = join(__dirname, 'fixtures', 'hold-ferretdb.ts');
  // Node itself with tsx's loader (not the tsx CLI, which would be a wrapper around the process we kill).
  const child = spawn(process.execPath, ['--import', 'tsx', script, binary, pgBinDir], {
    cwd: root,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.base.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const line = await new Promise<string>((done, fail) => {
    child.once('exit', (code) => fail(new Error(`launcher exited (${code}): ${stderr}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', done);
  });
  return { child, ...JSON.parse(line) };
}
