/**
 * `--backend sqlite|postgres|uri[,…]`: which database each pass of a bench run uses. Each maps to
 * one of the resolver's backends (libs/testing, DIRECTORY_DB_ALLOW), so a run can put the same
 * benchmarks on several databases and docs/benchmarks.md can show them side by side: what changes
 * between the columns is the database's share of a figure.
 */
import * as resolver from '../../libs/testing/src/database/resolve-database';

export const BACKEND_FLAGS = {
  sqlite: 'ferretdb-sqlite',
  postgres: 'ferretdb-postgres',
  uri: 'uri',
} as const;
export type BackendFlag = keyof typeof BACKEND_FLAGS;

/** One pass of a run: a backend asked for by flag, or (no --backend) whatever the resolver picks. */
export interface BackendChoice {
  flag?: BackendFlag;
  /** The resolver's name the pass must end up on; undefined = any. */
  expected?: string;
  /** DIRECTORY_DB_ALLOW for the resolver; undefined = the environment's own. */
  allow?: string;
}

/**
 * Before the resolver knew FerretDB on PostgreSQL, its one FerretDB backend (SQLite) was called
 * `ferretdb`; results from then say so. The new resolver also exports `isFerretDb`.
 */
const LEGACY_RESOLVER = !('isFerretDb' in resolver);

export class BackendUsageError extends Error {}

/** Parses `--backend`; throws BackendUsageError for an unknown name or `uri` without MONGODB_URI. */
export function parseBackends(value: string | undefined, env: NodeJS.ProcessEnv): BackendChoice[] {
  if (value === undefined) return [{}];
  const flags = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (flags.length === 0) throw new BackendUsageError('--backend needs at least one of sqlite, postgres, uri');
  const unknown = flags.filter((flag) => !(flag in BACKEND_FLAGS));
  if (unknown.length > 0) throw new BackendUsageError(`unknown --backend ${unknown.join(', ')}: use sqlite, postgres or uri (comma-separated)`);
  if (flags.includes('uri') && !env['MONGODB_URI']) throw new BackendUsageError('--backend uri needs MONGODB_URI (the server to measure)');
  return [...new Set(flags as BackendFlag[])].map((flag) => {
    const expected = BACKEND_FLAGS[flag];
    const allow = LEGACY_RESOLVER && flag === 'sqlite' ? 'ferretdb' : expected;
    return { flag, expected, allow };
  });
}

/** A resolver name as results store it: the legacy `ferretdb` was FerretDB on SQLite. */
export function normalizeBackend(name: string): string {
  return name === 'ferretdb' ? 'ferretdb-sqlite' : name;
}

/** The resolver's order (ARCHITECTURE.md): columns of the side-by-side tables follow it. */
export const BACKEND_ORDER = ['uri', 'testcontainers', 'mongodb-memory-server', 'ferretdb-postgres', 'ferretdb-sqlite'];

export function compareBackends(a: string, b: string): number {
  const rank = (name: string) => {
    const index = BACKEND_ORDER.indexOf(normalizeBackend(name));
    return index < 0 ? BACKEND_ORDER.length : index;
  };
  return rank(a) - rank(b) || a.localeCompare(b);
}

/** Short column heading: `sqlite`, `postgres`, `uri`, … */
export function backendLabel(name: string): string {
  const normalized = normalizeBackend(name);
  const flag = (Object.keys(BACKEND_FLAGS) as BackendFlag[]).find((key) => BACKEND_FLAGS[key] === normalized);
  return flag ?? normalized;
}

/** True for FerretDB on either storage (the legacy name included). */
export function isFerretDbBackend(name: string): boolean {
  return normalizeBackend(name).startsWith('ferretdb-');
}
