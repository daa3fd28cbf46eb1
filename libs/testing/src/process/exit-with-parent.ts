import { join } from 'node:path';

/**
 * Makes a server process stop (SIGTERM to itself, so it drains) once the process that started
 * it is gone, kill -9 included:
 * `spawn(process.execPath, [...launch.args, entry], { env: { ...env, ...launch.env } })`.
 */
export function exitWithParent(): { args: string[]; env: Record<string, string> } {
  return {
    args: ['--require', join(__dirname, 'exit-with-parent.cjs')],
    env: { DIRECTORY_LAUNCHER_PID: String(process.pid) },
  };
}
