import { createHash } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import argon2 from 'argon2';
import type { Connection, mongo } from 'mongoose';
import { CredentialModelName } from '@directory/credentials';
import { EVENT_KINDS, ModelName, USER_STATUSES, type UserStatus } from '@directory/schemas';
import {
  AdaptiveBatchSize,
  batchPolicy,
  describeAdaptation,
  timeoutRemedy,
  writeAdaptively,
  type BatchStats,
} from '../shared/adaptive-batch';
import { insertUnordered, rawCollection } from '../shared/batch-insert';
import { silentProgress, type Progress, type ProgressTask } from '../shared/progress';
import { generateAnonymousFailures, generateUserTimeline, type ActivityDoc, type EventDoc, type IdCounters } from './seed-activity';
import { buildSeedPlan, type SeedPlan, type SeedShape } from './seed-plan';
import { UserFactory, type AuthenticationMethodDoc, type UserDoc } from './seed-users';

export const DEFAULT_PASSWORD = 'directory-demo-password';

/** argon2id cost parameters, as auth-api's PasswordHasher takes them. */
export interface Argon2Parameters {
  /** KiB. */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/**
 * auth-api's defaults (AUTH_ARGON2_MEMORY_KIB / _TIME_COST / _PARALLELISM in
 * apps/auth-api/src/config.ts: OWASP's 19 MiB, 2 iterations, 1 lane). Seeding with the same
 * parameters means a seeded user's first login verifies and is done, instead of paying a second
 * hash and a write to upgrade the parameters (auth-api rehashes whatever differs); the seed CLI
 * reads the same variables, so a changed auth-api config can be matched.
 */
export const AUTH_API_ARGON2: Argon2Parameters = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };
/**
 * Users per chunk and, at most, documents per insert. Moderate on purpose (PRINCIPLES.md #2,
 * slow trains): each insert is one operation on one socket, and a server busy with a
 * 50,000-document insert makes every other client wait; 2,000 documents take well under a
 * second on FerretDB with an empty collection. Where a server needs longer (index maintenance
 * on a large collection), the inserts shrink on their own (adaptive-batch.ts).
 */
export const DEFAULT_BATCH_SIZE = 2_000;

/** Users generated between two looks at the event loop, so an insert's answer is timed when it arrives. */
const GENERATION_SLICE = 100;

export interface SeedOptions extends SeedShape {
  password: string;
  /** Defaults to auth-api's defaults. */
  argon2?: Argon2Parameters;
  /** Users per chunk and the largest insert (see DEFAULT_BATCH_SIZE); inserts adapt below it. */
  batchSize?: number;
  progress?: Progress;
  /**
   * How to run this seed again, for the message when a batch times out even at its smallest
   * size (followed by the advice on --batch-size, which the seed CLI and the bench both take).
   */
  rerun?: string;
}

export interface WriteTally {
  /** Documents generated (what a fresh database ends up with). */
  generated: number;
  inserted: number;
  /** Already present from an earlier run with the same seed. */
  existing: number;
  /** Time spent in this collection's inserts. */
  writeMs: number;
  /** How the insert size adapted (slow batches halve it). */
  batches: BatchStats;
}

export interface SeedResult {
  plan: Pick<SeedPlan, 'users' | 'days' | 'seed' | 'until'> & { depth: number; firstDay: string };
  users: WriteTally;
  authenticationMethods: WriteTally;
  events: WriteTally;
  activities: WriteTally;
  eventsByKind: Record<string, number>;
  usersByStatus: Record<UserStatus, number>;
  /** How the accounts began (issue 13): registered and verified or not, invited and accepted or not. */
  accounts: { registered: number; verified: number; invited: number; accepted: number; mailsFailed: number };
  admin: { email: string; password: string };
  hashMs: number;
  totalMs: number;
  /** One line per collection whose inserts had to shrink (empty when none did). */
  adaptations: string[];
}

/** A database with an `_id` conflict elsewhere than on `_id`: another seed or real users are in the way. */
export class SeedConflictError extends Error {}

interface Chunk {
  users: UserDoc[];
  auths: AuthenticationMethodDoc[];
  events: EventDoc[];
  activities: ActivityDoc[];
}

/**
 * Seeds users, their password methods (not for users still invited), events and activity rollups through the raw driver
 * (PRINCIPLES.md #9: bulk work without hydration), in chunks of `batchSize` users: a chunk's
 * users first, then their authentication methods, then their events and rollups, so a crash
 * never leaves a password method without its user. While one chunk is written, the next one
 * is generated.
 *
 * Idempotent: ids are derived from the seed (see object-id.ts) and inserts skip documents that
 * already exist, so re-running the same seed, day and size adds nothing.
 *
 * Without a connection (`--dry-run`) it only generates and counts: generation speed alone.
 */
export async function seedDatabase(connection: Connection | null, options: SeedOptions): Promise<SeedResult> {
  const started = Date.now();
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const progress = options.progress ?? silentProgress;
  const plan = buildSeedPlan(options);

  // ONE hash for everyone. argon2id is deliberately slow (tens of ms and 19 MiB per hash with
  // auth-api's parameters); hashing per user would take over an hour for 100,000 users and buy
  // nothing for demo data that shares one password anyway. The salt comes from the seed, so the
  // whole data set, hash included, is identical for the same seed (demo data only: a real
  // password always gets a random salt). NFKC like auth-api's normalizePassword, so a password
  // with accents logs in however the keyboard encodes it.
  const hashStarted = Date.now();
  const salt = createHash('sha256').update(`directory-seed:${options.seed}`).digest().subarray(0, 16);
  const passwordHash = await argon2.hash(options.password.normalize('NFKC'), {
    type: argon2.argon2id,
    ...(options.argon2 ?? AUTH_API_ARGON2),
    salt,
  });
  const hashMs = Date.now() - hashStarted;

  const factory = new UserFactory(plan, passwordHash);
  const adminIndex = plan.adminIndexes[0] ?? 0;
  const adminId = factory.userId(adminIndex);
  let adminEmail = '';
  const counters: IdCounters = { event: 0, activity: 0 };
  const eventsByKind: Record<string, number> = Object.fromEntries(EVENT_KINDS.map((kind) => [kind, 0]));
  const usersByStatus = Object.fromEntries(USER_STATUSES.map((status) => [status, 0])) as Record<UserStatus, number>;
  const accounts = { registered: 0, verified: 0, invited: 0, accepted: 0, mailsFailed: 0 };

  // Generation is CPU work that runs while the previous chunk is being written; it gives the
  // event loop a turn every GENERATION_SLICE users, so the insert's answer is seen (and timed,
  // for the adaptive batch size) when it arrives rather than after the whole chunk.
  const generateChunk = async (from: number): Promise<Chunk> => {
    const chunk: Chunk = { users: [], auths: [], events: [], activities: [] };
    for (let index = from; index < Math.min(from + batchSize, plan.users); index++) {
      if (index > from && (index - from) % GENERATION_SLICE === 0) await yieldToEventLoop();
      const user = factory.create(index);
      const timeline = generateUserTimeline(plan, user, adminId, counters);
      if (timeline.lastLoginAt) {
        user.doc.lastLoginAt = timeline.lastLoginAt;
        if (timeline.lastLoginAt > user.doc.updatedAt) user.doc.updatedAt = timeline.lastLoginAt;
      }
      if (index === adminIndex) adminEmail = user.doc.email;
      usersByStatus[user.doc.status]++;
      const { lifecycle } = user;
      if (lifecycle.invitedBy) accounts.invited++;
      else accounts.registered++;
      if (lifecycle.acceptedAt !== undefined) accounts.accepted++;
      if (lifecycle.verifiedAt !== undefined) accounts.verified++;
      if (lifecycle.mailFailed) accounts.mailsFailed++;
      chunk.users.push(user.doc);
      // A pending invitee has no password yet.
      if (user.auth) chunk.auths.push(user.auth);
      for (const event of timeline.events) chunk.events.push(event);
      for (const activity of timeline.activities) chunk.activities.push(activity);
    }
    return chunk;
  };

  const collection = <T extends mongo.Document>(model: string) => (connection ? rawCollection<T>(connection, model) : undefined);
  const rerun =
    options.rerun ?? 'Nothing is lost: run the same command again (the seed is idempotent: what is written is skipped, the rest added)';
  const remedy = (size: number) => timeoutRemedy(rerun, size);
  const writers = {
    users: new CollectionWriter<UserDoc>(collection(ModelName.User), batchSize, remedy, progress.task('users', plan.users, 'users'), true),
    auths: new CollectionWriter<AuthenticationMethodDoc>(
      collection(CredentialModelName.AuthenticationMethod),
      batchSize,
      remedy,
      undefined,
      true,
    ),
    events: new CollectionWriter<EventDoc>(collection(ModelName.Event), batchSize, remedy, progress.task('events', 0, 'events')),
    // A rollup that exists for the same (userId, day) under another _id (a login through
    // auth-api) is the same fact, so activities accept any duplicate.
    activities: new CollectionWriter<ActivityDoc>(
      collection(ModelName.Activity),
      batchSize,
      remedy,
      progress.task('activities', 0, 'docs'),
    ),
  };

  try {
    const daysUpTo = cumulativeMembershipDays(plan);
    let chunk = await generateChunk(0);
    let anonymous: EventDoc[] = [];
    for (let from = 0; from < plan.users; from += batchSize) {
      const current = chunk;
      const done = Math.min(from + batchSize, plan.users);
      // Every chunk is generated by now, so the failed logins of unknown emails can join the
      // events total before the bar reaches 100% (they have their own random stream).
      if (done === plan.users) anonymous = generateAnonymousFailures(plan, counters);
      // Totals for the ETA: documents per user-day of membership so far, times all user-days
      // (early signups have more days, hence more events, than late ones).
      const share = (daysUpTo[done] as number) / (daysUpTo[plan.users] as number);
      writers.events.progress?.setTotal(Math.round(counters.event / share));
      writers.activities.progress?.setTotal(Math.round(counters.activity / share));
      const writing = (async () => {
        await writers.users.write(current.users);
        await writers.auths.write(current.auths);
        await writers.events.write(current.events);
        await writers.activities.write(current.activities);
      })();
      // Marked as handled now: generation below yields to the event loop, and a write that fails
      // meanwhile must not count as an unhandled rejection; `await writing` still throws it.
      void writing.catch(() => undefined);
      // Generate the next chunk while the server works on this one.
      const next = done < plan.users ? await generateChunk(done) : undefined;
      await writing;
      if (next) chunk = next;
      for (const event of current.events) eventsByKind[event.kind] = (eventsByKind[event.kind] ?? 0) + 1;
    }
    await writers.events.write(anonymous);
    eventsByKind['LoginFailed'] = (eventsByKind['LoginFailed'] ?? 0) + anonymous.length;
  } finally {
    progress.stop();
  }

  return {
    plan: {
      users: plan.users,
      days: plan.days,
      seed: plan.seed,
      until: plan.until,
      depth: plan.tree.depth,
      firstDay: new Date(plan.startMs).toISOString().slice(0, 10),
    },
    users: writers.users.tally,
    authenticationMethods: writers.auths.tally,
    events: writers.events.tally,
    activities: writers.activities.tally,
    eventsByKind,
    usersByStatus,
    accounts,
    admin: { email: adminEmail, password: options.password },
    hashMs,
    totalMs: Date.now() - started,
    adaptations: Object.values(writers).flatMap((writer) => writer.adaptation() ?? []),
  };
}

/** Entry i: days from signup to the end of the period, summed over the first i users. */
function cumulativeMembershipDays(plan: SeedPlan): Float64Array {
  const sums = new Float64Array(plan.users + 1);
  for (let i = 0; i < plan.users; i++) sums[i + 1] = (sums[i] as number) + (plan.endMs - (plan.signupAt[i] as number)) / 86_400_000;
  return sums;
}

/** Inserts in batches, counts, and tells an existing document from a conflicting one. */
class CollectionWriter<T extends { _id: unknown }> {
  readonly tally: WriteTally;
  private readonly sizer: AdaptiveBatchSize;

  constructor(
    /** Undefined in a dry run: count only. */
    private readonly collection: mongo.Collection<T> | undefined,
    batchSize: number,
    private readonly remedy: (size: number) => string,
    readonly progress: ProgressTask | undefined,
    /**
     * Check that every duplicate is a duplicate `_id` (this seed ran before), not a clash on
     * another unique key (an email that belongs to somebody else): the latter would leave the
     * generated user missing and its events orphaned, so it stops the seed.
     */
    private readonly requireSameId = false,
  ) {
    this.sizer = new AdaptiveBatchSize(batchPolicy(batchSize));
    this.tally = { generated: 0, inserted: 0, existing: 0, writeMs: 0, batches: this.sizer.stats };
  }

  /**
   * Inserts `docs` in batches whose size follows the server (adaptive-batch.ts). A batch that
   * times out is written again, smaller: ids are derived from the seed and duplicates skipped,
   * so a batch that partly made it before the timeout is completed, not doubled.
   */
  async write(docs: readonly T[]): Promise<void> {
    const collection = this.collection;
    if (!collection) {
      this.count(docs.length, docs.length, 0, Date.now());
      return;
    }
    await writeAdaptively(docs, this.tally.generated, {
      sizer: this.sizer,
      retryAfterTimeout: true,
      describe: (position) => ({
        ...position,
        collection: collection.collectionName,
        tool: 'seed',
        unit: 'documents',
        remedy: this.remedy(position.size),
      }),
      write: async (batch) => {
        const started = Date.now();
        const result = await insertUnordered(collection, batch);
        if (result.failures.length > 0) {
          const first = result.failures[0];
          throw new Error(`${collection.collectionName}: ${result.failures.length} documents refused, e.g. ${first?.message}`);
        }
        if (this.requireSameId && result.duplicates.length > 0) await this.assertSameIds(batch, result.duplicates);
        this.count(batch.length, result.inserted, result.duplicates.length, started);
      },
    });
  }

  adaptation(): string | undefined {
    return this.collection ? describeAdaptation(this.collection.collectionName, this.sizer.stats, this.sizer.policy) : undefined;
  }

  private count(generated: number, inserted: number, existing: number, started: number): void {
    this.tally.writeMs += Date.now() - started;
    this.tally.generated += generated;
    this.tally.inserted += inserted;
    this.tally.existing += existing;
    this.progress?.increment(generated);
  }

  private async assertSameIds(batch: readonly T[], duplicates: readonly number[]): Promise<void> {
    if (!this.collection) return;
    const ids = duplicates.map((index) => batch[index]?._id);
    const found = await this.collection.countDocuments({ _id: { $in: ids } } as mongo.Filter<T>);
    if (found !== ids.length) {
      throw new SeedConflictError(
        `${this.collection.collectionName}: ${ids.length - found} seeded documents clash with different existing ones ` +
          `on a unique key (e.g. an email). The database holds another seed (other --seed, --users or --until) or ` +
          `real users; seed into another --db or drop this one.`,
      );
    }
  }
}
