import type * as Jose from 'jose';

/**
 * jose 6 is published as ES modules only. Node (>= 22.12) loads it with `require()`, but the
 * CommonJS module runtime of Jest, which runs every app's suites and loads this library with
 * them, cannot. So jose is required through Node's own loader rather than the caller's.
 */
const nodeRequire = process.getBuiltinModule('node:module').createRequire(__filename);

export const jose = nodeRequire('jose') as typeof Jose;
