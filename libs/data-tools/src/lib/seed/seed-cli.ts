import { formatCount, formatDuration, perSecond } from '../shared/format';
import { createProgress } from '../shared/progress';
import { parseCli, positiveInt, UsageError } from '../shared/cli-args';
import { openTargetDatabase, type StartedDatabase } from '../shared/target-database';
import { defaultUntil } from './seed-plan';
import {
  AUTH_API_ARGON2,
  DEFAULT_BATCH_SIZE,
  DEFAULT_PASSWORD,
  seedDatabase,
  type Argon2Parameters,
  type SeedResult,
  type WriteTally,
} from './seed-run';

export const SEED_USAGE = `Usage: npm run seed -- [--users N] [--days D] [--seed S] [--until YYYY-MM-DD]
                       [--uri URI] [--db NAME] [--password P] [--batch-size B] [--dry-run]

  --users       users to create (default 1000)
  --days        length of the seeded period in days (default 90)
  --seed        any text; the same seed, size and --until give the same data (default "directory")
  --until       last seeded day, UTC (default yesterday); part of the data's identity like --seed
  --uri, --db   target database (default MONGODB_URI / MONGODB_DB, else the embedded database of
                \`npm start\` in .data/ferretdb, database "directory")
  --password    password of every seeded user (default "${DEFAULT_PASSWORD}")
  --batch-size  users per chunk and the most documents per insert (default ${DEFAULT_BATCH_SIZE}); an insert
                slower than 2 s halves the next, fast ones let it grow back
  --dry-run     generate and count without a database (measures generation alone)

The password hash uses auth-api's argon2id parameters: AUTH_ARGON2_MEMORY_KIB, AUTH_ARGON2_TIME_COST
and AUTH_ARGON2_PARALLELISM are read like auth-api reads them (defaults ${AUTH_API_ARGON2.memoryCost}, ${AUTH_API_ARGON2.timeCost}, ${AUTH_API_ARGON2.parallelism}).

Re-running with the same arguments adds nothing (idempotent), and completes an interrupted run.`;

export interface CliContext {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  out: NodeJS.WriteStream;
  /** The fallback database when neither --uri nor MONGODB_URI is given (tools/seed.ts wires libs/testing's resolver). */
  startDatabase?: () => Promise<StartedDatabase>;
}

/** `npm run seed`; returns the exit code. */
export async function runSeedCli(context: CliContext): Promise<number> {
  const { values } = parseCli(context.argv, {
    users: { type: 'string' },
    days: { type: 'string' },
    seed: { type: 'string' },
    until: { type: 'string' },
    uri: { type: 'string' },
    db: { type: 'string' },
    password: { type: 'string' },
    'batch-size': { type: 'string' },
    'dry-run': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    context.out.write(`${SEED_USAGE}\n`);
    return 0;
  }
  if (context.env['NODE_ENV'] === 'production') {
    throw new UsageError('refusing to seed with NODE_ENV=production: every seeded user shares one known password');
  }
  const until = values.until ?? defaultUntil();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(until)) throw new UsageError(`--until must be YYYY-MM-DD, got "${until}"`);
  const password = values.password ?? DEFAULT_PASSWORD;
  // auth-api's policy minimum: a seeded password should be one a user could have chosen.
  if ([...password.normalize('NFKC')].length < 10) throw new UsageError('--password must have at least 10 characters');
  const options = {
    users: positiveInt('users', values.users, 1_000),
    days: positiveInt('days', values.days, 90),
    seed: values.seed ?? 'directory',
    until,
    password,
    argon2: argon2FromEnv(context.env),
    batchSize: positiveInt('batch-size', values['batch-size'], DEFAULT_BATCH_SIZE),
    progress: createProgress({ stream: context.out }),
  };

  if (values['dry-run']) {
    printSummary(context.out, await seedDatabase(null, options), false);
    return 0;
  }
  const target = await openTargetDatabase({
    uri: values.uri,
    dbName: values.db,
    env: context.env,
    startDatabase: context.startDatabase,
    appName: 'directory-seed',
  });
  try {
    context.out.write(`Seeding database "${target.dbName}"…\n`);
    printSummary(context.out, await seedDatabase(target.connection, options), true);
  } finally {
    await target.close();
  }
  return 0;
}

/** The same variables auth-api reads, so the seeded hash needs no rehash at first login. */
export function argon2FromEnv(env: NodeJS.ProcessEnv): Argon2Parameters {
  const read = (name: string, fallback: number) => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${name} must be a positive integer, got "${value}"`);
    return Number(value);
  };
  return {
    memoryCost: read('AUTH_ARGON2_MEMORY_KIB', AUTH_API_ARGON2.memoryCost),
    timeCost: read('AUTH_ARGON2_TIME_COST', AUTH_API_ARGON2.timeCost),
    parallelism: read('AUTH_ARGON2_PARALLELISM', AUTH_API_ARGON2.parallelism),
  };
}

function printSummary(out: NodeJS.WriteStream, result: SeedResult, written: boolean): void {
  const { plan } = result;
  const verb = written ? 'written' : 'generated (dry run, nothing written)';
  const line = (label: string, tally: WriteTally) =>
    `  ${label.padEnd(24)}${formatCount(tally.generated).padStart(11)}   new ${formatCount(tally.inserted)}, already there ${formatCount(tally.existing)}` +
    (written ? `, ${formatCount(perSecond(tally.generated, tally.writeMs))}/s while writing` : '') +
    '\n';
  const events = result.events.generated;
  const byStatus = Object.entries(result.usersByStatus).map(([status, n]) => `${status} ${formatCount(n)}`);
  const byKind = Object.entries(result.eventsByKind)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${kind} ${formatCount(n)}`);
  out.write(
    `\nSeed "${plan.seed}": ${formatCount(plan.users)} users over ${plan.days} days (${plan.firstDay} … ${plan.until}), ` +
      `org chart ${plan.depth} levels deep; ${verb}:\n` +
      line('users', result.users) +
      line('authentication methods', result.authenticationMethods) +
      line('events', result.events) +
      line('activities', result.activities) +
      result.adaptations.map((line) => `  inserts shrank for a slow server: ${line}\n`).join('') +
      `  users by status: ${byStatus.join(' · ')}\n` +
      `  accounts: ${formatCount(result.accounts.registered)} registered, ${formatCount(result.accounts.verified)} verified · ` +
      `${formatCount(result.accounts.invited)} invited, ${formatCount(result.accounts.accepted)} accepted · ` +
      `${formatCount(result.accounts.mailsFailed)} first mails failed\n` +
      `  events by kind: ${byKind.join(' · ')}\n` +
      `Time ${formatDuration(result.totalMs)} (one argon2id hash: ${formatDuration(result.hashMs)}): ` +
      `${formatCount(perSecond(plan.users, result.totalMs))} users/s, ${formatCount(perSecond(events, result.totalMs))} events/s, ` +
      `${formatCount(perSecond(events + result.activities.generated, result.totalMs))} events+activities/s overall\n` +
      `Admin login: ${result.admin.email} / ${result.admin.password}\n` +
      `Every seeded user's password is "${result.admin.password}" (demo data only), but for invitations still pending: those have none.\n` +
      `Same data again: --seed ${JSON.stringify(plan.seed)} --users ${plan.users} --days ${plan.days} --until ${plan.until}\n`,
  );
}
