import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { MongoClient } from 'mongodb';
import { buildFerretDb, findPostgres, freePort, isFerretDb } from '@directory/testing';

/**
 * What an outage kills:
 * - `server`: the server the services connect to (FerretDB, or mongod);
 * - `postgres`: the PostgreSQL cluster under a FerretDB that keeps running.
 */
export type OutageTarget = 'server' | 'postgres';

/**
 * A database this suite owns, so it may kill it: FerretDB (the binary the resolver builds
 * from tools/ferretdb) on SQLite files or on a PostgreSQL cluster of its own, or mongod; on a
 * persistent data directory, a fixed port and (PostgreSQL) a fixed socket directory, so a
 * restart comes back with the same data at the same address the services already point at.
 */
export interface OwnDatabase {
  /** `FerretDB on SQLite`, `FerretDB on PostgreSQL` or `mongod`. */
  label: string;
  uri: string;
  /** Why this database cannot have that outage; undefined when it can. */
  cannotKill(target: OutageTarget): string | undefined;
  /** Kills the target (a crash, except for mongod: see `mongodServer`). */
  kill(target: OutageTarget): Promise<void>;
  /** Starts the target again on the same data and address; resolves once the chain answers a ping. */
  restart(target: OutageTarget): Promise<void>;
  /** Starts whatever is down, so a scenario that failed mid-outage does not fail the next one too. */
  ensureUp(): Promise<void>;
  /** Stops everything and removes the data. */
  destroy(): Promise<void>;
}

/** Which own database fits the run's backend; a reason when none does. */
export async function ownDatabaseFor(backend: string | undefined): Promise<{ start: () => Promise<OwnDatabase> } | { skip: string }> {
  if (isFerretDb(backend)) {
    if (backend === 'ferretdb-sqlite') return { start: async () => startFerretDbOnSqlite(await ferretDbBinary()) };
    // A cluster of our own even when the run uses DIRECTORY_POSTGRES_URL: that server is not ours to kill.
    const postgres = await findPostgres({ ...process.env, DIRECTORY_POSTGRES_URL: undefined });
    if (!('binDir' in postgres)) {
      return {
        skip: `the run uses FerretDB on PostgreSQL, but this suite cannot start a cluster of its own: ${'unavailable' in postgres ? postgres.unavailable : 'no initdb/postgres'}`,
      };
    }
    return { start: async () => startFerretDbOnPostgres(await ferretDbBinary(), postgres.binDir) };
  }
  if (backend === 'mongodb-memory-server') {
    const mongod = await locateMongod();
    return mongod ? { start: () => startMongod(mongod) } : { skip: 'no cached mongod binary to start a server of our own' };
  }
  return {
    skip: `the run's database (backend ${backend ?? 'unknown'}) is a server this suite did not start and must not stop; run with a FerretDB or the mongodb-memory-server backend`,
  };
}

async function ferretDbBinary(): Promise<string> {
  return (await buildFerretDb()).binary;
}

async function locateMongod(): Promise<string | undefined> {
  if (process.env['MONGOMS_SYSTEM_BINARY']) return process.env['MONGOMS_SYSTEM_BINARY'];
  const { DryMongoBinary } = await import('mongodb-memory-server-core');
  return DryMongoBinary.locateBinary(DryMongoBinary.getEnsuredOptions());
}

/** One process of an own database: the layers are started in order and stopped in reverse. */
interface Layer {
  target: OutageTarget;
  running(): boolean;
  start(): Promise<void>;
  kill(): Promise<void>;
  /** A clean stop, for the end of the suite. */
  stop(): Promise<void>;
}

async function startFerretDbOnSqlite(binary: string): Promise<OwnDatabase> {
  const root = mkdtempSync(join(tmpdir(), 'directory-outage-sqlite-'));
  const port = await freePort();
  return assemble('FerretDB on SQLite', root, port, [ferretDbServer(binary, port, () => ['--backend', 'sqlite', '--sqlite-dir', root])]);
}

async function startFerretDbOnPostgres(binary: string, binDir: string): Promise<OwnDatabase> {
  const root = mkdtempSync(join(tmpdir(), 'directory-outage-postgres-'));
  // PostgreSQL runs as an unprivileged user under root; it must be able to enter this folder.
  chmodSync(root, 0o755);
  const port = await freePort();
  const cluster = postgresCluster(binary, binDir, join(root, 'pgdata'), join(root, 'socket'));
  return assemble('FerretDB on PostgreSQL', root, port, [
    cluster,
    ferretDbServer(binary, port, () => ['--backend', 'postgresql', '--postgresql-url', cluster.url()]),
  ]);
}

async function startMongod(binary: string): Promise<OwnDatabase> {
  const root = mkdtempSync(join(tmpdir(), 'directory-outage-mongod-'));
  const port = await freePort();
  return assemble('mongod', root, port, [mongodServer(binary, port, root)]);
}

async function assemble(label: string, root: string, port: number, layers: Layer[]): Promise<OwnDatabase> {
  const uri = `mongodb://127.0.0.1:${port}/`;
  const layer = (target: OutageTarget) => layers.find((l) => l.target === target);
  const needLayer = (target: OutageTarget) => {
    const found = layer(target);
    if (!found) throw new Error(`${label} has no ${target} layer`);
    return found;
  };
  const destroy = async () => {
    for (const l of [...layers].reverse()) await l.stop();
    rmSync(root, { recursive: true, force: true });
  };
  try {
    for (const l of layers) await l.start();
  } catch (error) {
    await destroy();
    throw error;
  }
  return {
    label,
    uri,
    cannotKill: (target) => (layer(target) ? undefined : `${label} has no ${target === 'postgres' ? 'PostgreSQL' : target} layer to kill`),
    kill: (target) => needLayer(target).kill(),
    restart: async (target) => {
      await needLayer(target).start();
      // A ping on FerretDB reaches its storage too (FerretDB's ping asks the backend for its status).
      await waitForPing(uri);
    },
    ensureUp: async () => {
      if (layers.every((l) => l.running())) return;
      for (const l of layers) if (!l.running()) await l.start();
      await waitForPing(uri);
    },
    destroy,
  };
}

/** FerretDB on a fixed port; killed with SIGKILL. */
function ferretDbServer(binary: string, port: number, storageArgs: () => string[]): Layer {
  let current: Launched | undefined;
  return {
    target: 'server',
    running: () => isRunning(current),
    start: async () => {
      current = await launch(binary, [
        ...storageArgs(),
        '--listen-addr',
        `127.0.0.1:${port}`,
        '--log-level',
        'error',
        '--exit-on-stdin-close',
      ]);
    },
    // Each acknowledged write is already committed in its storage (a SQLite file, or
    // PostgreSQL), so killing FerretDB loses nothing acknowledged.
    kill: () => signalAndWait(current, 'SIGKILL'),
    stop: () => signalAndWait(current, 'SIGTERM'),
  };
}

/**
 * A PostgreSQL cluster of its own (launcher `--postgresql-only`), with fsync on: a crash must
 * not lose acknowledged writes, so no `--postgresql-throwaway` here. The socket directory is
 * fixed, so the restarted cluster has the URL FerretDB already uses.
 */
function postgresCluster(binary: string, binDir: string, dataDir: string, socketDir: string): Layer & { url(): string } {
  let current: Launched | undefined;
  let url: string | undefined;
  const args = [
    '--backend',
    'postgresql',
    '--postgresql-only',
    '--postgresql-data-dir',
    dataDir,
    '--postgresql-bin-dir',
    binDir,
    '--postgresql-socket-dir',
    socketDir,
    '--log-level',
    'error',
    '--exit-on-stdin-close',
  ];
  return {
    target: 'postgres',
    url: () => {
      if (!url) throw new Error('the PostgreSQL cluster has not started yet');
      return url;
    },
    running: () => isRunning(current),
    start: async () => {
      current = await launchCluster(binary, args);
      if (url && current.address !== url) throw new Error(`the restarted cluster is at ${current.address}, not ${url}`);
      url = current.address;
    },
    // A crash: SIGKILL to the postmaster, nothing to its backends. The launcher notices its
    // PostgreSQL is gone and exits by itself.
    kill: async () => {
      const launched = current;
      if (!launched || !isRunning(launched)) return;
      if (!launched.postgresPid) throw new Error('the launcher did not say which pid its PostgreSQL has');
      process.kill(launched.postgresPid, 'SIGKILL');
      await launched.exited;
    },
    // SIGTERM to the launcher: a fast shutdown of its PostgreSQL.
    stop: () => signalAndWait(current, 'SIGTERM'),
  };
}

/** How long a restarted cluster may wait for the killed one's backends to exit. */
const SHARED_MEMORY_RETRY_MS = 30_000;

async function launchCluster(binary: string, args: string[]): Promise<Launched> {
  const deadline = Date.now() + SHARED_MEMORY_RETRY_MS;
  for (;;) {
    try {
      return await launch(binary, args);
    } catch (error) {
      // After a SIGKILL of the postmaster its backends exit once they notice; until then
      // PostgreSQL refuses the data directory ("pre-existing shared memory block ... is still in use").
      if (!/still in use/.test((error as Error).message) || Date.now() > deadline) throw error;
      await sleep(250);
    }
  }
}

/**
 * mongod on a fixed port. A standalone mongod acknowledges w:1 writes before its journal
 * flush, so its "kill" is a clean stop (SIGTERM); either way the process and every
 * connection are gone.
 */
function mongodServer(binary: string, port: number, dataDir: string): Layer {
  let current: ChildProcess | undefined;
  const stop = async () => {
    const proc = current;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    await exited;
  };
  return {
    target: 'server',
    running: () => !!current && current.exitCode === null && current.signalCode === null,
    start: async () => {
      current = spawn(binary, ['--dbpath', dataDir, '--port', String(port), '--bind_ip', '127.0.0.1'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      current.stdout?.resume();
      current.stderr?.resume();
      await waitForPing(`mongodb://127.0.0.1:${port}/`);
    },
    kill: stop,
    stop,
  };
}

/** A launcher process from tools/ferretdb, past its `ready` line. */
interface Launched {
  proc: ChildProcess;
  /** What its `ready` line names: a mongodb:// or (`--postgresql-only`) a postgres:// URL. */
  address: string;
  exited: Promise<void>;
  /** From its `postgres <pid>` line, when it runs a cluster of its own. */
  postgresPid?: number;
}

/** Spawns the launcher and waits for its `ready …` line; rejects with its stderr if it exits first. */
function launch(binary: string, args: string[]): Promise<Launched> {
  const proc = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  let stderr = '';
  // Drained for the process's whole life: a full pipe would block it.
  proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-8192)));
  let postgresPid: number | undefined;
  return new Promise<Launched>((resolve, reject) => {
    proc.once('error', reject);
    void exited.then(() =>
      reject(
        new Error(
          `${basename(binary)} ${args.join(' ')} exited (code ${proc.exitCode}, signal ${proc.signalCode}) before it was ready:\n${stderr}`,
        ),
      ),
    );
    createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const pid = /^postgres (\d+)$/.exec(line.trim());
      if (pid) postgresPid = Number(pid[1]);
      const ready = /^ready (\S+)$/.exec(line.trim());
      if (ready) resolve({ proc, exited, address: ready[1], postgresPid });
    });
  });
}

function isRunning(launched: Launched | undefined): boolean {
  return !!launched && launched.proc.exitCode === null && launched.proc.signalCode === null;
}

async function signalAndWait(launched: Launched | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!launched || !isRunning(launched)) return;
  launched.proc.kill(signal);
  await launched.exited;
}

async function waitForPing(uri: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 1_000, directConnection: true });
    try {
      await client.db('admin').command({ ping: 1 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    } finally {
      await client.close();
    }
    await sleep(250);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
