import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** go.mod, go.sum and every Go file: the binary is rebuilt when any of them changes. */
function sourceFiles(sourceDir: string): string[] {
  const goFiles = readdirSync(sourceDir).filter((name) => name.endsWith('.go') && !name.endsWith('_test.go'));
  return ['go.mod', 'go.sum', ...goFiles.sort()];
}
const BINARY_NAME = 'directory-ferretdb';
/** A first build downloads Go modules; anything past this is a hung build, not a slow one. */
const BUILD_TIMEOUT_MS = 15 * 60_000;

export interface FerretDbBuild {
  binary: string;
  /** False when an earlier run (or a parallel one) had already built this exact source. */
  built: boolean;
  ms: number;
}

/**
 * tools/ferretdb of this workspace. Searched upwards from this file and from the working
 * directory, so it is found whether the code runs from source (ts-jest, tsx) or bundled.
 */
export function ferretDbSourceDir(): string | undefined {
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = start; ; dir = dirname(dir)) {
      const candidate = join(dir, 'tools', 'ferretdb');
      if (existsSync(join(candidate, 'go.mod'))) return candidate;
      if (dirname(dir) === dir) break;
    }
  }
  return undefined;
}

/** FerretDB's module version as pinned in go.mod, e.g. `v1.24.2`. */
export function ferretDbModuleVersion(sourceDir: string): string | undefined {
  const goMod = readFileSync(join(sourceDir, 'go.mod'), 'utf8');
  return /github\.com\/FerretDB\/FerretDB\s+(v\S+)/.exec(goMod)?.[1];
}

/**
 * Outside the repository (a clean checkout must not rebuild, and `git clean` must not wipe
 * it), keyed by the source so an edit to main.go or a dependency bump builds anew.
 */
export function ferretDbBinaryPath(sourceDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const hash = createHash('sha256');
  // Platform too: a home directory can be shared by machines of different architectures.
  hash.update(`${process.platform}-${process.arch}\0`);
  for (const file of sourceFiles(sourceDir))
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(sourceDir, file)))
      .update('\0');
  const cacheRoot = env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  return join(cacheRoot, 'directory', `ferretdb-${hash.digest('hex').slice(0, 16)}`, BINARY_NAME);
}

export async function goAvailable(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  try {
    await run('go', ['version'], { env, timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds tools/ferretdb once per source hash. Parallel Jest projects may call this at the
 * same moment: a lock file lets one build while the others wait, and the binary appears
 * under its final name only by an atomic rename, so nobody ever runs a half-written file.
 */
export async function buildFerretDb(
  opts: { env?: NodeJS.ProcessEnv; log?: (line: string) => void; sourceDir?: string } = {},
): Promise<FerretDbBuild> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? (() => undefined);
  const sourceDir = opts.sourceDir ?? ferretDbSourceDir();
  if (!sourceDir) throw new Error('tools/ferretdb not found above ' + __dirname);
  const binary = ferretDbBinaryPath(sourceDir, env);
  const started = Date.now();
  if (existsSync(binary)) return { binary, built: false, ms: 0 };

  await mkdir(dirname(binary), { recursive: true });
  const release = await acquireLock(`${binary}.lock`, binary, log);
  try {
    // Whoever held the lock before us may have finished the job.
    if (existsSync(binary)) return { binary, built: false, ms: Date.now() - started };
    log(`[directory-db] building FerretDB into ${binary} (first run only; may download Go modules)`);
    const partial = `${binary}.partial-${process.pid}`;
    try {
      // -buildvcs=false: the workspace may be a repository without commits, where stamping fails.
      await run('go', ['build', '-buildvcs=false', '-o', partial, '.'], {
        cwd: sourceDir,
        env,
        timeout: BUILD_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
      });
    } catch (error) {
      await rm(partial, { force: true });
      const detail = (error as { stderr?: string }).stderr || String(error);
      throw new Error(`building FerretDB (go build in ${sourceDir}) failed:\n${detail}`);
    }
    await chmod(partial, 0o755);
    await rename(partial, binary);
    const ms = Date.now() - started;
    log(`[directory-db] built FerretDB in ${(ms / 1000).toFixed(1)}s`);
    return { binary, built: true, ms };
  } finally {
    await release();
  }
}

const LOCK_POLL_MS = 500;

/** An exclusive-create lock file holding the builder's pid, so a crashed builder's lock is recognised. */
async function acquireLock(lockPath: string, binary: string, log: (line: string) => void): Promise<() => Promise<void>> {
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  let announced = false;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (existsSync(binary)) return async () => undefined;
    if (await lockIsStale(lockPath)) {
      await rm(lockPath, { force: true });
      continue;
    }
    if (!announced) {
      log(`[directory-db] waiting for another process that is building FerretDB (${lockPath})`);
      announced = true;
    }
    if (Date.now() > deadline) throw new Error(`gave up waiting for the FerretDB build lock ${lockPath}`);
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}

async function lockIsStale(lockPath: string): Promise<boolean> {
  try {
    const [content, info] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    if (Date.now() - info.mtimeMs > BUILD_TIMEOUT_MS) return true;
    const pid = Number(content);
    // Empty: being written right now, unless the writer died between create and write.
    if (!pid) return Date.now() - info.mtimeMs > 10_000;
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // ESRCH: the builder died. ENOENT: the lock just went away; retry at once.
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ESRCH' || code === 'ENOENT';
  }
}
