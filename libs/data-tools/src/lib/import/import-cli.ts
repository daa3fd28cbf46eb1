import { existsSync } from 'node:fs';
import { formatCount, formatDuration, perSecond } from '../shared/format';
import { createProgress } from '../shared/progress';
import { parseCli, positiveInt, UsageError } from '../shared/cli-args';
import { openTargetDatabase } from '../shared/target-database';
import type { CliContext } from '../seed/seed-cli';
import { DEFAULT_IMPORT_BATCH_SIZE, importUsers, resolveInviter, type ImportResult, type Inviter } from './import-users';
import { formatOf, type InputFormat } from './row-source';

export const IMPORT_USAGE = `Usage: npm run import -- <users.csv | users.ndjson> [--report rejected.ndjson]
                         [--format csv|ndjson] [--uri URI] [--db NAME] [--batch-size B]
                         [--invite [--invited-by ADMIN_EMAIL]]

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
  --invite      create the new users as "invited" (no password; rows with status suspended or
                deleted are imported as given) and queue one invitation mail per user in the
                outbox, written before the user; auth-api sends them (link valid AUTH_INVITATION_TTL).
                A password_hash in an invited row is not stored (warning in the report)
  --invited-by  the active admin the invitations come from (default: the first active admin)

Existing emails are skipped, so importing the same file again changes nothing.
Rows without password_hash get no password: those users must reset it (or use --invite).`;

/** `npm run import`; returns the exit code (1 when rows were rejected, so scripts notice). */
export async function runImportCli(context: CliContext): Promise<number> {
  const { values, positionals } = parseCli(context.argv, {
    report: { type: 'string' },
    format: { type: 'string' },
    uri: { type: 'string' },
    db: { type: 'string' },
    'batch-size': { type: 'string' },
    invite: { type: 'boolean' },
    'invited-by': { type: 'string' },
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
  if (values['invited-by'] !== undefined && !values.invite) throw new UsageError('--invited-by goes with --invite');

  const target = await openTargetDatabase({
    uri: values.uri,
    dbName: values.db,
    env: context.env,
    startDatabase: context.startDatabase,
    appName: 'directory-import',
  });
  let result: ImportResult;
  let inviter: Inviter | undefined;
  try {
    if (values.invite) inviter = await resolveInviter(target.connection, values['invited-by']);
    context.out.write(
      `Importing ${path} (${format}) into database "${target.dbName}"` + (inviter ? `, inviting as ${inviter.email}` : '') + '…\n',
    );
    result = await importUsers(target.connection, {
      path,
      format,
      reportPath,
      batchSize,
      progress: createProgress({ stream: context.out }),
      ...(inviter && { invite: inviter }),
    });
  } finally {
    await target.close();
  }
  printSummary(context.out, result, inviter);
  return result.rejected > 0 ? 1 : 0;
}

function printSummary(out: NodeJS.WriteStream, r: ImportResult, inviter?: Inviter): void {
  const voided = r.messagesQueued - r.invited;
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
      (inviter
        ? `  invited             ${formatCount(r.invited)} by ${inviter.email}, ${formatCount(r.messagesQueued)} invitation messages queued` +
          (voided > 0 ? ` (${formatCount(voided)} for users not inserted: void at send time)` : '') +
          ' — auth-api sends them\n'
        : '') +
      (r.unknownKeys.length > 0 ? `  ignored fields      ${r.unknownKeys.join(', ')}\n` : '') +
      (r.adaptation ? `  slow server         ${r.adaptation}\n` : '') +
      `Report: ${r.reportPath}\n`,
  );
}
