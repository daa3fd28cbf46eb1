/**
 * Jest runs globalSetup and globalTeardown in the same process, and globalThis is the only
 * thing they share; this key carries the stop function from one to the other.
 */
export const STOP_KEY = Symbol.for('directory.testing.stopDatabase');

type Holder = { [STOP_KEY]?: () => Promise<void> };

export function keepStop(stop: () => Promise<void>): void {
  (globalThis as Holder)[STOP_KEY] = stop;
}

export function takeStop(): (() => Promise<void>) | undefined {
  const stop = (globalThis as Holder)[STOP_KEY];
  delete (globalThis as Holder)[STOP_KEY];
  return stop;
}
