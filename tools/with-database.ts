/**
 * Runs a command against one database resolved for the whole run:
 *
 *   npx tsx tools/with-database.ts -- npx nx run-many -t test
 *
 * Every Jest project then finds MONGODB_URI (and DIRECTORY_DB_*) already set, so they share
 * one server instead of each starting its own. The database is stopped when the command ends
 * or this process is interrupted, and the command's exit code becomes ours.
 */
import { spawn } from 'node:child_process';
import { databaseEnv } from '../libs/testing/src/database/database-env';
import { resolveDatabase } from '../libs/testing/src/database/resolve-database';

const SIGNAL_NUMBERS: Record<string, number> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };

async function main(): Promise<number> {
  const separator = process.argv.indexOf('--');
  const command = separator === -1 ? process.argv.slice(2) : process.argv.slice(separator + 1);
  if (command.length === 0) {
    process.stderr.write('usage: tsx tools/with-database.ts -- <command> [args...]\n');
    return 2;
  }

  const db = await resolveDatabase({ log: (line) => process.stderr.write(`${line}\n`) });
  const child = spawn(command[0], command.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, ...databaseEnv(db) },
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
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`with-database: ${error.message}\n`);
    process.exit(1);
  },
);
