import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Backend, StartedServer, Unavailable } from './backend';
import {
  buildFerretDb,
  ferretDbBinaryPath,
  ferretDbModuleVersion,
  ferretDbSourceDir,
  goAvailable,
} from './ferretdb-build';

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
/** Enough of stderr to explain a failed start; FerretDB logs every rejected command at warn. */
const STDERR_KEEP = 16 * 1024;

export interface FerretDbServer extends StartedServer {
  pid: number;
  sqliteDir: string;
}

/**
 * Starts the binary from tools/ferretdb on 127.0.0.1 and a free port. Without `dataDir` it
 * uses a fresh temporary directory that stop() removes.
 */
export async function startFerretDb(binary: string, opts: { dataDir?: string } = {}): Promise<FerretDbServer> {
  const ownDir = !opts.dataDir;
  const sqliteDir = opts.dataDir ? resolve(opts.dataDir) : await mkdtemp(join(tmpdir(), 'directory-ferretdb-'));
  const child = spawn(
    binary,
    // --exit-on-stdin-close: our end of stdin closes when this process dies, however it dies,
    // so FerretDB never outlives its parent even if stop() is never called.
    ['--sqlite-dir', sqliteDir, '--listen-addr', '127.0.0.1:0', '--log-level', 'error', '--exit-on-stdin-close'],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  // Keep draining stderr for the whole life of the process: a full pipe would block FerretDB.
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEEP);
  });

  const cleanUp = async () => {
    // pid is undefined when spawn itself failed; then there is nothing to wait for.
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    if (ownDir) await rm(sqliteDir, { recursive: true, force: true });
  };

  let uri: string;
  try {
    uri = await waitForReady(child, exited, () => stderr);
  } catch (error) {
    await cleanUp();
    throw error;
  }

  // Nothing of ours should keep the parent alive; if it exits without stop(), stdin closes
  // and FerretDB follows.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as { unref?: () => void }).unref?.();

  let stopping: Promise<void> | undefined;
  return {
    uri,
    pid: child.pid as number,
    sqliteDir,
    stop: () => (stopping ??= cleanUp()),
  };
}

function waitForReady(child: ReturnType<typeof spawn>, exited: Promise<void>, stderr: () => string): Promise<string> {
  return new Promise<string>((resolveUri, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`FerretDB did not start: ${why}\n--- stderr ---\n${stderr().trim() || '(empty)'}`));
    };
    const timer = setTimeout(() => fail(`no "ready" line within ${READY_TIMEOUT_MS / 1000}s`), READY_TIMEOUT_MS);
    child.once('error', (error) => fail(error.message));
    void exited.then(() => fail(`it exited (code ${child.exitCode}, signal ${child.signalCode})`));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const match = /^ready (mongodb:\/\/\S+)$/.exec(line.trim());
      if (match) {
        clearTimeout(timer);
        resolveUri(match[1]);
      }
    });
  });
}

/** Can FerretDB run here: already built for this source, or buildable with `go`? */
export async function ferretDbRunnable(env: NodeJS.ProcessEnv): Promise<true | Unavailable> {
  const sourceDir = ferretDbSourceDir();
  if (!sourceDir) return { unavailable: 'tools/ferretdb was not found' };
  if (existsSync(ferretDbBinaryPath(sourceDir, env))) return true;
  return (await goAvailable(env)) ? true : { unavailable: '`go` is not on PATH to build tools/ferretdb' };
}

export const ferretDbBackend: Backend = {
  name: 'ferretdb',
  howToEnable: 'install Go >= 1.24 and put `go` on PATH; the first run builds tools/ferretdb (1-3 min, cached)',
  check: (ctx) => ctx.probes.ferretDb(ctx.env),
  async start(ctx) {
    const build = await buildFerretDb({ env: ctx.env, log: ctx.log });
    const server = await startFerretDb(build.binary, { dataDir: ctx.dataDir });
    // The embedded build reports ferretdbVersion "unknown"; go.mod knows what we pinned.
    const sourceDir = ferretDbSourceDir();
    const version = sourceDir && ferretDbModuleVersion(sourceDir);
    return { ...server, productHint: version ? `FerretDB ${version}` : 'FerretDB' };
  },
};
