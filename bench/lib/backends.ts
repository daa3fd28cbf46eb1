/**
 * `--backend sqlite|postgres|uri[,…]`: which database each pass of a bench run uses. Each maps to
 * one of the resolver's backends (libs/testing, DIRECTORY_DB_ALLOW), so a run can put the same
 * benchmarks on several databases and docs/benchmarks.md can show them side by side: what changes
 * between the columns is the database's share of a figure.
 */
import { BACKEND_NAMES, isFerretDb } from '@directory/testing/resolve-database';

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
  if (unknown.length > 0)
    throw new BackendUsageError(`unknown --backend ${unknown.join(', ')}: use sqlite, postgres or uri (comma-separated)`);
  if (flags.includes('uri') && !env['MONGODB_URI']) throw new BackendUsageError('--backend uri needs MONGODB_URI (the server to measure)');
  return [...new Set(flags as BackendFlag[])].map((flag) => {
    const expected = BACKEND_FLAGS[flag];
    return { flag, expected, allow: expected };
  });
}

/** A resolver name as results store it: `ferretdb` (results from before PostgreSQL) was FerretDB on SQLite. */
export function normalizeBackend(name: string): string {
  return name === 'ferretdb' ? 'ferretdb-sqlite' : name;
}

/** Columns of the side-by-side tables follow the resolver's order (ARCHITECTURE.md). */
export function compareBackends(a: string, b: string): number {
  const order: readonly string[] = BACKEND_NAMES;
  const rank = (name: string) => {
    const index = order.indexOf(normalizeBackend(name));
    return index < 0 ? order.length : index;
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
  return isFerretDb(normalizeBackend(name));
}
