import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Log files of a test run. Every service under test (in-process or a child process) appends
 * its JSON log lines to DIRECTORY_LOG_FILE (libs/platform logging); tools/with-database.ts
 * gives each run its own DIRECTORY_LOG_DIR under reports/logs/ and scans it for secrets when
 * the tests end (tools/jest/log-hygiene.cjs).
 */
export const LOG_ENV = { file: 'DIRECTORY_LOG_FILE', dir: 'DIRECTORY_LOG_DIR' } as const;

/** Where this run's logs go: DIRECTORY_LOG_DIR, or reports/logs/standalone for a bare `nx test`. */
export function runLogDir(env: NodeJS.ProcessEnv = process.env): string {
  return env[LOG_ENV.dir] || join(workspaceRoot(), 'reports', 'logs', 'standalone');
}

/** `<run dir>/<name>-<pid>.ndjson`: one file per Jest project (its workers share it, appending). */
export function logFileFor(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(runLogDir(env), `${safeName(name)}-${process.pid}.ndjson`);
}

/**
 * The log file of a child process: a sibling of this process's own (`<project>-<pid>.users-api.ndjson`),
 * or `<run dir>/<child>-<our pid>.ndjson` outside Jest; undefined when no run collects logs.
 */
export function childLogFile(child: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = env[LOG_ENV.file];
  if (file) return file.replace(/(\.ndjson)?$/, `.${safeName(child)}.ndjson`);
  return env[LOG_ENV.dir] ? join(env[LOG_ENV.dir] as string, `${safeName(child)}-${process.pid}.ndjson`) : undefined;
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_') || 'tests';
}

/** The Nx workspace (the folder with nx.json) above the working directory or this file. */
export function workspaceRoot(): string {
  for (const start of [process.cwd(), __dirname]) {
    for (let dir = start; ; dir = dirname(dir)) {
      if (existsSync(join(dir, 'nx.json'))) return dir;
      if (dirname(dir) === dir) break;
    }
  }
  return process.cwd();
}
