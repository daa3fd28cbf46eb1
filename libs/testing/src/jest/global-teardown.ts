import { takeStop } from './stop-handle';

/** Stops only what this run's globalSetup started; a database given from outside stays up. */
export default async function globalTeardown(): Promise<void> {
  await takeStop()?.();
}
