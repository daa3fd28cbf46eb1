import { existsSync } from 'node:fs';
import { formatCount, formatDuration, perSecond } from '../shared/format';
import { createProgress } from '../shared/progress';
import { parseCli, positiveInt, UsageError } from '../shared/cli-args';
import { openTargetDatabase } from '../shared/target-database';
import type { CliContext } from '../seed/seed-cli';
import { DEFAULT_IMPORT_BATCH_SIZE, importUsers, type ImportResult } from './import-users';
import { formatOf, type InputFormat } from './row-source';

export const IMPORT_USAGE = `Usage: npm run import -- <users.csv | users.ndjson> [--report rejected.ndjson]
                         [--format csv|ndjson] [--uri URI] [--db NAME] [--batch-size B]

  Columns (CSV header / NDJSON keys): email, first_name, last_name (required; NDJSON may use
  "name": {"first", "last"}), display_name, title, department, location, phone, manager_email,
  roles (member|admin), status (active|suspended|deleted), password_hash (argon2 or bcrypt).

  --report      NDJSON of rejected rows and warnings with row, line and reasons
                (default: <input>.report.ndjson)
  --format      override the format the file extension implies (.csv, .ndjson, .jsonl)
  --uri, --db   target database (default MONGODB_URI / MONGODB_DB, else the embedded database
                of \`npm start\` in .data/ferretdb, database "directory")
  --batch-size  rows per insert at most (default ${DEFAULT_IMPORT_BATCH_SIZE}); a batch slower than 2 s
                halves the next, fast ones let it grow back

Existing emails are skipped, so importing the same file again changes nothing.
Rows without password_hash get no password: those users must reset it.`;

/** `npm run import`; returns the exit code (1 when rows were rejected, so scripts notice). */
export async function runImportCli(context: CliContext): Promise<number> {
  const { values, positionals } = parseCli(context.argv, {
    report: { type: 'string' },
    format: { type: 'string' },
    uri: { type: 'string' },
    db: { type: 'string' },
    'batch-size': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    context.out.write(`${IMPORT_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one input file');
  const path = positionals[0] as string;
  if (!existsSync(path)) throw new UsageError(`no such file: ${path}`);
  const format = (values.format ?? formatOf(path)) as InputFormat | undefined;
  if (format !== 'csv' && format !== 'ndjson') {
    throw new UsageError(`cannot tell the format of ${path}: name it .csv or .ndjson, or pass --format csv|ndjson`);
  }
  const reportPath = values.report ?? `${path.replace(/\.(csv|ndjson|jsonl)$/i, '')}.report.ndjson`;
  const batchSize = positiveInt('batch-size', values['batch-size'], DEFAULT_IMPORT_BATCH_SIZE);

  const target = await openTargetDatabase({
    uri: values.uri,
    dbName: values.db,
    env: context.env,
    startDatabase: context.startDatabase,
    appName: 'directory-import',
  });
  let result: ImportResult;
  try {
    context.out.write(`Importing ${path} (${format}) into database "${target.dbName}"…\n`);
    result = await importUsers(target.connection, {
      path,
      format,
      reportPath,
      batchSize,
      progress: createProgress({ stream: context.out }),
    });
  } finally {
    await target.close();
  }
  printSummary(context.out, result);
  return result.rejected > 0 ? 1 : 0;
}

function printSummary(out: NodeJS.WriteStream, r: ImportResult): void {
  const passwords = Object.entries(r.passwords)
    .filter(([, n]) => n > 0)
    .map(([scheme, n]) => `${scheme} ${formatCount(n)}`);
  out.write(
    `\n${formatCount(r.rows)} rows in ${formatDuration(r.totalMs)} (${formatCount(perSecond(r.rows, r.totalMs))} rows/s):\n` +
      `  imported            ${formatCount(r.inserted)}\n` +
      `  already there       ${formatCount(r.skippedExisting)} (skipped)\n` +
      `  rejected            ${formatCount(r.rejected)}\n` +
      `  warnings            ${formatCount(r.warnings)}\n` +
      `  passwords           ${passwords.length > 0 ? passwords.join(' · ') : 'none'} (stored as given, rehashed at next login)\n` +
      `  without password    ${formatCount(r.withoutPassword)} (must reset their password)\n` +
      `  managers linked     ${formatCount(r.managersLinked)}\n` +
      (r.unknownKeys.length > 0 ? `  ignored fields      ${r.unknownKeys.join(', ')}\n` : '') +
      (r.adaptation ? `  slow server         ${r.adaptation}\n` : '') +
      `Report: ${r.reportPath}\n`,
  );
}
