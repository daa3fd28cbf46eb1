import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import type { PostgresFound, Unavailable } from './backend';

const run = promisify(execFile);

/** Debian and Ubuntu keep each major version's server binaries here, off PATH. */
const DEBIAN_ROOT = '/usr/lib/postgresql';
/** PostgreSQL refuses to run as root; root runs it as this user (Debian's package creates it). */
export const POSTGRES_RUN_AS = 'postgres';

/**
 * PostgreSQL for FerretDB without touching the network: DIRECTORY_POSTGRES_URL (an existing
 * server), or initdb + postgres on PATH or under /usr/lib/postgresql/<newest>/bin.
 */
export async function findPostgres(env: NodeJS.ProcessEnv): Promise<PostgresFound | Unavailable> {
  const url = env['DIRECTORY_POSTGRES_URL'];
  if (url) return { url };
  const binDir = postgresBinDir(env);
  if (!binDir) return { unavailable: 'no initdb and postgres on PATH or under /usr/lib/postgresql/*/bin' };
  if (process.getuid?.() === 0 && !(await userExists(POSTGRES_RUN_AS, env))) {
    return { unavailable: `running as root, and there is no user "${POSTGRES_RUN_AS}" to run PostgreSQL as` };
  }
  return { binDir };
}

export function postgresBinDir(env: NodeJS.ProcessEnv): string | undefined {
  const hasServer = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'));
  const onPath = (env['PATH'] ?? '').split(delimiter).find((dir) => dir && hasServer(dir));
  if (onPath) return onPath;
  if (!existsSync(DEBIAN_ROOT)) return undefined;
  const newestFirst = readdirSync(DEBIAN_ROOT)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  return newestFirst.map((version) => join(DEBIAN_ROOT, version, 'bin')).find(hasServer);
}

async function userExists(name: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  try {
    await run('id', ['-u', name], { env, timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}
