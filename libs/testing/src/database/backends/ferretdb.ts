import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { isUnavailable, type Backend, type BackendContext, type PostgresFound, type StartedServer, type Unavailable } from './backend';
import { POSTGRES_RUN_AS } from './postgres-probe';
import { buildFerretDb, ferretDbBinaryPath, ferretDbModuleVersion, ferretDbSourceDir, goAvailable } from './ferretdb-build';

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
/** Enough of stderr to explain a failed start; FerretDB logs every rejected command at warn. */
const STDERR_KEEP = 16 * 1024;

export interface FerretDbServer extends StartedServer {
  pid: number;
  /** Its SQLite files, or its private PostgreSQL cluster's data directory. */
  dataDir: string;
  /** The private cluster's postmaster, when FerretDB runs on one. */
  postgresPid?: number;
}

export interface FerretDbOptions {
  /** Data that outlives the server; unset: a temporary directory that stop() removes. */
  dataDir?: string;
  /** PostgreSQL backend: an existing server (`url`) or a private cluster from `binDir`. */
  postgres?: PostgresFound;
}

/**
 * Starts the binary from tools/ferretdb on 127.0.0.1 and a free port, on SQLite files or on
 * PostgreSQL. A private cluster (initdb into the data directory, Unix socket only) belongs to
 * the launcher: it stops with it, even when the launcher is killed (tools/ferretdb/postgres.go).
 */
export async function startFerretDb(binary: string, opts: FerretDbOptions = {}): Promise<FerretDbServer> {
  const temporary = opts.dataDir ? undefined : await temporaryDataDir(opts.postgres);
  const dataDir = opts.dataDir ? resolve(opts.dataDir) : (temporary as { dataDir: string }).dataDir;
  const args = [
    ...backendArgs(dataDir, opts.postgres, !!temporary),
    '--listen-addr',
    '127.0.0.1:0',
    '--log-level',
    'error',
    // Our end of stdin closes when this process dies, however it dies, so FerretDB never
    // outlives its parent even if stop() is never called.
    '--exit-on-stdin-close',
  ];
  const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
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
    if (temporary) await rm(temporary.root, { recursive: true, force: true });
  };

  let ready: Ready;
  try {
    ready = await waitForReady(child, exited, () => stderr);
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
    uri: ready.uri,
    pid: child.pid as number,
    dataDir,
    postgresPid: ready.postgresPid,
    notes: ready.notes,
    stop: () => (stopping ??= cleanUp()),
  };
}

function backendArgs(dataDir: string, postgres: PostgresFound | undefined, throwaway: boolean): string[] {
  if (!postgres) return ['--backend', 'sqlite', '--sqlite-dir', dataDir];
  if ('url' in postgres) return ['--backend', 'postgresql', '--postgresql-url', postgres.url];
  return [
    '--backend',
    'postgresql',
    '--postgresql-data-dir',
    dataDir,
    '--postgresql-bin-dir',
    postgres.binDir,
    '--postgresql-run-as',
    POSTGRES_RUN_AS,
    // fsync off only for a cluster that stop() deletes anyway, never for data that is kept.
    ...(throwaway ? ['--postgresql-throwaway'] : []),
  ];
}

/**
 * A private cluster lives one level down (`<tmp>/pgdata`), in a folder that the unprivileged
 * user PostgreSQL runs as may enter (mkdtemp makes it 0700 for root alone).
 */
async function temporaryDataDir(postgres: PostgresFound | undefined): Promise<{ root: string; dataDir: string }> {
  const root = await mkdtemp(join(tmpdir(), postgres ? 'directory-postgres-' : 'directory-ferretdb-'));
  if (!postgres || 'url' in postgres) return { root, dataDir: root };
  await chmod(root, 0o755);
  return { root, dataDir: join(root, 'pgdata') };
}

interface Ready {
  uri: string;
  postgresPid?: number;
  /** What the launcher said worth passing on, e.g. the user PostgreSQL runs as. */
  notes: string[];
}

function waitForReady(child: ReturnType<typeof spawn>, exited: Promise<void>, stderr: () => string): Promise<Ready> {
  return new Promise<Ready>((resolveReady, reject) => {
    let postgresPid: number | undefined;
    const fail = (why: string) => {
      clearTimeout(timer);
      // The launcher's own error line says most (e.g. initdb failed, a folder PostgreSQL cannot reach).
      const said = [...stderr().matchAll(/directory-ferretdb: (.+)$/gm)].pop()?.[1];
      reject(new Error(`FerretDB did not start: ${why}${said ? ` (${said})` : ''}\n--- stderr ---\n${stderr().trim() || '(empty)'}`));
    };
    const timer = setTimeout(() => fail(`no "ready" line within ${READY_TIMEOUT_MS / 1000}s`), READY_TIMEOUT_MS);
    child.once('error', (error) => fail(error.message));
    void exited.then(() => fail(`it exited (code ${child.exitCode}, signal ${child.signalCode})`));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const pid = /^postgres (\d+)$/.exec(line.trim());
      if (pid) postgresPid = Number(pid[1]);
      const match = /^ready (mongodb:\/\/\S+)$/.exec(line.trim());
      if (match) {
        clearTimeout(timer);
        const notes = stderr()
          .split('\n')
          .map((l) => /directory-ferretdb: (running as root.*)$/.exec(l)?.[1])
          .filter((l): l is string => !!l);
        resolveReady({ uri: match[1], postgresPid, notes });
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

async function startBackend(ctx: BackendContext, postgres: PostgresFound | undefined): Promise<StartedServer> {
  const build = await buildFerretDb({ env: ctx.env, log: ctx.log });
  const dataDir = ctx.dataDir && join(ctx.dataDir, postgres ? 'postgres' : 'ferretdb');
  const server = await startFerretDb(build.binary, { dataDir, postgres });
  for (const note of server.notes ?? []) ctx.log(`[directory-db] ${note}`);
  // The embedded build reports ferretdbVersion "unknown"; go.mod knows what we pinned.
  const sourceDir = ferretDbSourceDir();
  const version = sourceDir && ferretDbModuleVersion(sourceDir);
  const where = !postgres ? 'SQLite' : 'url' in postgres ? 'PostgreSQL, DIRECTORY_POSTGRES_URL' : 'PostgreSQL';
  // An existing PostgreSQL server keeps the data itself; the folder is then unused.
  const keptIn = postgres && 'url' in postgres ? undefined : dataDir;
  return { ...server, keptIn, productHint: `${version ? `FerretDB ${version}` : 'FerretDB'} on ${where}` };
}

export const ferretDbPostgresBackend: Backend = {
  name: 'ferretdb-postgres',
  howToEnable: "install PostgreSQL's server (Debian: apt-get install postgresql) or set DIRECTORY_POSTGRES_URL, and Go as for SQLite",
  async check(ctx) {
    const [ferret, postgres] = await Promise.all([ctx.probes.ferretDb(ctx.env), ctx.probes.postgres(ctx.env)]);
    if (ferret !== true) return ferret;
    return isUnavailable(postgres) ? postgres : true;
  },
  async start(ctx) {
    const postgres = await ctx.probes.postgres(ctx.env);
    if (isUnavailable(postgres)) throw new Error(postgres.unavailable);
    return startBackend(ctx, postgres);
  },
};

export const ferretDbSqliteBackend: Backend = {
  name: 'ferretdb-sqlite',
  howToEnable: 'install Go >= 1.24 and put `go` on PATH; the first run builds tools/ferretdb (1-3 min, cached)',
  check: (ctx) => ctx.probes.ferretDb(ctx.env),
  start: (ctx) => startBackend(ctx, undefined),
};
