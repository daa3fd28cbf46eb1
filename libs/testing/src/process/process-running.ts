import { readFileSync } from 'node:fs';

/**
 * Is `pid` a running process: signal 0 reaches it and it is not a zombie (an orphan's exit may
 * never be reaped where pid 1 does not reap, and `kill(pid, 0)` still succeeds for a zombie).
 */
export function processRunning(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z';
  } catch {
    return process.platform !== 'linux'; // no /proc to ask: signal 0 answered
  }
}

/** Waits up to `ms` for `pid` to stop running; true once it has. */
export async function stoppedWithin(pid: number | undefined, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (processRunning(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  return !processRunning(pid);
}
