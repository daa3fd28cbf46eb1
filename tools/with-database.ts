/**
 * Runs a command against one database resolved for the whole run:
 *
 *   npx tsx tools/with-database.ts -- npx nx run-many -t test
 *
 * Every Jest project then finds MONGODB_URI (and DIRECTORY_DB_*) already set, so they share
 * one server instead of each starting its own. The database is stopped when the command ends
 * or this process is interrupted, and the command's exit code becomes ours.
 *
 * Log hygiene: the run gets its own log directory (DIRECTORY_LOG_DIR=reports/logs/<run>), where
 * every service under test appends its JSON log lines (see libs/testing/src/app/log-file.ts).
 * When the command ends, tools/jest/log-hygiene.cjs scans them; a password, hash or token in
 * any line fails the run even if every test passed.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { databaseEnv } from '@directory/testing/database-env';
import { resolveDatabase } from '@directory/testing/resolve-database';
import { LOG_ENV } from '@directory/testing/log-file';
import * as logHygiene from './jest/log-hygiene.cjs';

const LOGS_ROOT = resolve(__dirname, '..', 'reports', 'logs');
/** Older run directories are deleted at the start of a run; recent ones may belong to a parallel run. */
const KEEP_LOGS_MS = 24 * 3600_000;

const SIGNAL_NUMBERS: Record<string, number> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };

async function main(): Promise<number> {
  const separator = process.argv.indexOf('--');
  const command = separator === -1 ? process.argv.slice(2) : process.argv.slice(separator + 1);
  if (command.length === 0) {
    process.stderr.write('usage: tsx tools/with-database.ts -- <command> [args...]\n');
    return 2;
  }

  const logDir = newLogDir();
  const db = await resolveDatabase({ log: (line) => process.stderr.write(`${line}\n`) });
  const child = spawn(command[0], command.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, ...databaseEnv(db), [LOG_ENV.dir]: logDir },
  });

  // A terminal's Ctrl-C reaches the child too (same process group); we pass signals on for
  // the cases where only we receive them (kill <pid>, CI cancel), then wait for the child.
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of Object.keys(SIGNAL_NUMBERS) as NodeJS.Signals[]) process.on(signal, forward);

  const code = await new Promise<number>((resolve) => {
    child.once('error', (error) => {
      process.stderr.write(`with-database: cannot run ${command[0]}: ${error.message}\n`);
      resolve(127);
    });
    child.once('exit', (exitCode, signal) => resolve(exitCode ?? 128 + (SIGNAL_NUMBERS[signal ?? ''] ?? 1)));
  });
  await db.stop();
  return checkLogs(logDir, code);
}

function newLogDir(): string {
  mkdirSync(LOGS_ROOT, { recursive: true });
  for (const entry of readdirSync(LOGS_ROOT)) {
    const path = join(LOGS_ROOT, entry);
    if (Date.now() - statSync(path).mtimeMs > KEEP_LOGS_MS) rmSync(path, { recursive: true, force: true });
  }
  const dir = join(LOGS_ROOT, `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The command's exit code, or 1 when it succeeded but its logs hold a secret. */
function checkLogs(logDir: string, code: number): number {
  const result = logHygiene.scanPaths([logDir]);
  // A command that starts no service (or failed before any did) writes no logs: nothing to judge.
  if (result.files === 0) {
    process.stderr.write(`log hygiene: no logs in ${relative(process.cwd(), logDir)}; nothing scanned\n`);
    return code;
  }
  const { ok, text } = logHygiene.report(result);
  process.stderr.write(`${text}\n`);
  return ok ? code : code || 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`with-database: ${error.message}\n`);
    process.exit(1);
  },
);
