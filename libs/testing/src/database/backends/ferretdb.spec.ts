import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { buildFerretDb, ferretDbBinaryPath, ferretDbSourceDir, goAvailable } from './ferretdb-build';
import { startFerretDb } from './ferretdb';
import { processRunning } from '../../process/process-running';

function portRefuses(uri: string): Promise<boolean> {
  const { hostname, port } = new URL(uri);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

async function withClient<T>(uri: string, fn: (client: MongoClient) => Promise<T>): Promise<T> {
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

describe('FerretDB backend', () => {
  it('builds once: a second call finds the cached binary', async () => {
    await buildFerretDb();
    const again = await buildFerretDb({ log: (line) => expect(line).not.toMatch(/building|built/) });
    expect(again).toMatchObject({ built: false, binary: ferretDbBinaryPath(ferretDbSourceDir() as string) });
    expect(existsSync(again.binary)).toBe(true);
  });

  it('serves inserts and finds, and stop() ends the process, frees the port and removes its temp dir', async () => {
    const { binary } = await buildFerretDb();
    const server = await startFerretDb(binary);
    expect(server.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
    const found = await withClient(server.uri, async (client) => {
      const people = client.db('t_ferretdb_spec').collection('people');
      await people.insertOne({ name: 'Ada', team: 'core' });
      return people.find({ team: 'core' }, { projection: { _id: 0 } }).toArray();
    });
    expect(found).toEqual([{ name: 'Ada', team: 'core' }]);

    await server.stop();
    expect(processRunning(server.pid)).toBe(false);
    expect(await portRefuses(server.uri)).toBe(true);
    expect(existsSync(server.dataDir)).toBe(false);
  });

  it('keeps data in a given dataDir across restarts', async () => {
    const { binary } = await buildFerretDb();
    const dataDir = await mkdtemp(join(tmpdir(), 'ferretdb-spec-'));
    try {
      const first = await startFerretDb(binary, { dataDir });
      await withClient(first.uri, (c) => c.db('t_keep').collection('things').insertOne({ kept: true }));
      await first.stop();
      expect(existsSync(dataDir)).toBe(true);

      const second = await startFerretDb(binary, { dataDir });
      const count = await withClient(second.uri, (c) => c.db('t_keep').collection('things').countDocuments({ kept: true }));
      await second.stop();
      expect(count).toBe(1);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('reports a process that exits before it is ready, with its exit code', async () => {
    await expect(startFerretDb('/bin/false')).rejects.toThrow(/FerretDB did not start: it exited \(code 1/);
  });

  it('reports a binary that cannot be started', async () => {
    await expect(startFerretDb('/nonexistent/directory-ferretdb')).rejects.toThrow(/FerretDB did not start: .*ENOENT/);
  });

  it('builds only once when two builds race for an empty cache', async () => {
    if (!(await goAvailable())) {
      console.warn('[skip] build race: `go` is not on PATH (the cached binary served the other tests)');
      return;
    }
    const cache = await mkdtemp(join(tmpdir(), 'ferretdb-cache-'));
    // A fresh binary cache but the usual Go build cache, so this compiles in seconds.
    const goCache = execFileSync('go', ['env', 'GOCACHE'], { encoding: 'utf8' }).trim();
    const env = { ...process.env, XDG_CACHE_HOME: cache, GOCACHE: goCache };
    try {
      const lines: string[] = [];
      const builds = await Promise.all([1, 2].map(() => buildFerretDb({ env, log: (l) => lines.push(l) })));
      expect(builds.map((b) => b.built).sort()).toEqual([false, true]);
      expect(builds[0].binary).toBe(builds[1].binary);
      expect(builds[0].binary.startsWith(cache)).toBe(true);
      expect(lines.filter((l) => l.startsWith('[directory-db] built FerretDB in'))).toHaveLength(1);
      expect(existsSync(`${builds[0].binary}.lock`)).toBe(false);
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });
});
