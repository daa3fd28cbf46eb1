import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { MongoClient } from 'mongodb';
import { buildFerretDb, freePort } from '@directory/testing';

/**
 * A database server this suite owns, so it may kill it: FerretDB (the binary the resolver
 * builds from tools/ferretdb) or mongod, on a persistent data directory and a fixed port, so a
 * restart comes back with the same data at the same address the services already point at.
 */
export interface OwnDatabase {
  kind: 'ferretdb' | 'mongod';
  uri: string;
  /** Stops the server process (FerretDB: SIGKILL, a crash; mongod: SIGTERM, see below). */
  kill(): Promise<void>;
  /** Starts it again on the same data directory and port. */
  restart(): Promise<void>;
  /** Stops it and removes the data. */
  destroy(): Promise<void>;
}

/** Which own server fits the run's backend; a reason when none does. */
export async function ownDatabaseFor(backend: string | undefined): Promise<{ start: () => Promise<OwnDatabase> } | { skip: string }> {
  if (backend === 'ferretdb') return { start: async () => startOwn('ferretdb', (await buildFerretDb()).binary) };
  if (backend === 'mongodb-memory-server') {
    const mongod = await locateMongod();
    return mongod ? { start: () => startOwn('mongod', mongod) } : { skip: 'no cached mongod binary to start a server of our own' };
  }
  return {
    skip: `the run's database (backend ${backend ?? 'unknown'}) is a server this suite did not start and must not stop; run with the FerretDB or mongodb-memory-server backend`,
  };
}

async function locateMongod(): Promise<string | undefined> {
  if (process.env['MONGOMS_SYSTEM_BINARY']) return process.env['MONGOMS_SYSTEM_BINARY'];
  const { DryMongoBinary } = await import('mongodb-memory-server-core');
  return DryMongoBinary.locateBinary(DryMongoBinary.getEnsuredOptions());
}

async function startOwn(kind: OwnDatabase['kind'], binary: string): Promise<OwnDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), `directory-outage-${kind}-`));
  const port = await freePort();
  const uri = `mongodb://127.0.0.1:${port}/`;
  let child: ChildProcess | undefined;

  const start = async () => {
    const args =
      kind === 'ferretdb'
        ? ['--sqlite-dir', dataDir, '--listen-addr', `127.0.0.1:${port}`, '--log-level', 'error', '--exit-on-stdin-close']
        : ['--dbpath', dataDir, '--port', String(port), '--bind_ip', '127.0.0.1'];
    const proc = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    child = proc;
    let output = '';
    proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output = (output + chunk).slice(-8192)));
    if (kind === 'ferretdb') {
      await new Promise<void>((resolve, reject) => {
        proc.once('exit', (code) => reject(new Error(`FerretDB exited (code ${code}): ${output}`)));
        createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on('line', (line) => line.startsWith('ready ') && resolve());
      });
    } else {
      proc.stdout?.resume();
      await waitForPing(uri);
    }
  };

  const kill = async () => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    // FerretDB/SQLite commits each acknowledged write to its file, so a crash loses nothing
    // acknowledged. A standalone mongod acknowledges w:1 writes before its journal flush, so
    // it gets a clean stop instead; either way the process and every connection are gone.
    proc.kill(kind === 'ferretdb' ? 'SIGKILL' : 'SIGTERM');
    await exited;
  };

  await start();
  return {
    kind,
    uri,
    kill,
    restart: start,
    destroy: async () => {
      await kill();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
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
  }
}
