import { basename } from 'node:path';
import { DATABASE_ENV } from './database-env';
import { currentTestPath } from './test-database';

/**
 * ARCHITECTURE.md: a test that truly needs MongoDB (a feature FerretDB v1 lacks) says so by
 * name and is skipped with a printed reason elsewhere, never silently.
 *
 *   const it_ = requireRealMongo('uses $lookup', 'joins managers') ? it : it.skip;
 */
export function requireRealMongo(reason: string, testName?: string): boolean {
  if (process.env[DATABASE_ENV.realMongo] === '1') return true;
  const name = testName ?? basename(currentTestPath() ?? 'unknown test');
  console.warn(`[skip] ${name}: requires MongoDB (${reason}); backend is ${backendLabel()}`);
  return false;
}

type TestFn = () => unknown;
interface JestIt {
  (name: string, fn: TestFn, timeout?: number): void;
  skip(name: string, fn: TestFn): void;
}

/** `it(name, fn)` on MongoDB; on any other backend a skipped test plus a printed reason. */
export function itRequiresMongo(name: string, reason: string, fn: TestFn, timeout?: number): void {
  // Jest's global, looked up at call time so this module does not need Jest's types.
  const jestIt = (globalThis as { it?: JestIt }).it;
  if (!jestIt) throw new Error('itRequiresMongo must be called inside a Jest test file');
  if (requireRealMongo(reason, name)) jestIt(name, fn, timeout);
  else jestIt.skip(name, fn);
}

function backendLabel(): string {
  const backend = process.env[DATABASE_ENV.backend];
  if (!backend) return 'unknown (no globalSetup resolved a database)';
  // Through MONGODB_URI the backend name alone would hide that the server is FerretDB.
  const version = process.env[DATABASE_ENV.version];
  return backend === 'uri' && version ? `uri, ${version}` : backend;
}
