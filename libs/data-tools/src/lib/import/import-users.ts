import { statSync } from 'node:fs';
import type { Connection, mongo, Types } from 'mongoose';
import { AuthenticationMethodType, CredentialModelName } from '@directory/credentials';
import {
  EventKind,
  MailTemplate,
  ModelName,
  OutboxStatus,
  UserRole,
  UserStatus,
  type OutboxMessageFields,
  type UserFields,
  type UserModel,
} from '@directory/schemas';
import {
  AdaptiveBatchSize,
  BatchTimeoutError,
  batchPolicy,
  describeAdaptation,
  isTimeoutError,
  timeoutRemedy,
} from '../shared/adaptive-batch';
import { insertUnordered, rawCollection } from '../shared/batch-insert';
import { UsageError } from '../shared/cli-args';
import { silentProgress, type Progress } from '../shared/progress';
import type { HashScheme } from './password-hash';
import { ImportReport, type ReportEntry } from './import-report';
import { parseRecord, validateUser, type ParsedRow } from './import-rows';
import { readRows, type InputFormat } from './row-source';

/**
 * How long an invitation stays held if the import dies before its users are written; then
 * auth-api's sender looks, and voids it when the user does not exist.
 */
const INVITATION_HOLD_MS = 10 * 60_000;

/**
 * Rows per insert at most: moderate, so a large import never holds the server for long
 * (PRINCIPLES.md #2). A batch slower than 2 s halves the next one (adaptive-batch.ts).
 */
export const DEFAULT_IMPORT_BATCH_SIZE = 1_000;

/** `--invite`: the admin the invitations come from (resolveInviter). */
export interface Inviter {
  _id: mongo.ObjectId;
  email: string;
}

export interface ImportOptions {
  path: string;
  format: InputFormat;
  reportPath: string;
  batchSize?: number;
  progress?: Progress;
  /**
   * Opt-in (`--invite`): rows whose status is `active` (the default) become `invited` users
   * (invitedAt = the batch's instant, invitedBy = this admin) without a password, each with one
   * Invitation message in the outbox that auth-api's sender delivers.
   */
  invite?: Inviter;
}

export interface ImportResult {
  rows: number;
  inserted: number;
  /** Email already in the database: left as it is, not an error. */
  skippedExisting: number;
  rejected: number;
  warnings: number;
  /** Inserted users that got an AuthenticationMethod, by hash scheme (all with needsRehash). */
  passwords: Record<HashScheme, number>;
  /** Inserted users without a password: they must reset it before they can log in. */
  withoutPassword: number;
  managersLinked: number;
  /** `--invite`: users inserted as `invited`. */
  invited: number;
  /**
   * `--invite`: Invitation messages written to the outbox, one per invited row before its user;
   * more than `invited` when a user did not make it (its message voids itself at send time).
   */
  messagesQueued: number;
  /** Input keys this importer does not know; ignored. */
  unknownKeys: string[];
  /** Set when batches had to shrink for a slow server. */
  adaptation?: string;
  reportPath: string;
  totalMs: number;
}

/** A row that passed validation, with its unsaved User document. */
interface Candidate {
  parsed: ParsedRow;
  doc: InstanceType<UserModel>;
}

/** A user inserted without its manager because the manager was not known yet. */
interface PendingManager {
  userId: mongo.ObjectId;
  managerEmail: string;
  parsed: ParsedRow;
}

type UserDoc = Partial<UserFields> & { _id: mongo.ObjectId; __v: number };

/**
 * Imports users from a CSV or NDJSON file, streaming (one batch of rows in memory, plus an
 * email → id map of the file for duplicates and managers: ~100 bytes per row).
 *
 * Per batch: validate each row on the compiled User model; skip emails already in the
 * database; with `invite`, write the invitation messages of the batch's new users; insert the
 * users (raw driver, documents exactly as validated); then insert the AuthenticationMethods of
 * those that carry a hash (never an invited user's). If that second insert fails, the batch's
 * new users are deleted again (their methods first), so no AuthenticationMethod ever exists
 * without its User and no imported user silently lacks the password it came with. FerretDB
 * has no transactions, hence this order plus compensation instead of one transaction.
 *
 * Managers: `manager_email` is resolved against the database and the rows imported so far;
 * forward references are linked after the last row; unknown managers leave the user without a
 * manager and a warning in the report.
 */
export async function importUsers(connection: Connection, options: ImportOptions): Promise<ImportResult> {
  const started = Date.now();
  const batchSize = options.batchSize ?? DEFAULT_IMPORT_BATCH_SIZE;
  const progress = options.progress ?? silentProgress;
  const User = connection.model(ModelName.User) as UserModel;
  const users = rawCollection<UserDoc>(connection, ModelName.User);
  const methods = rawCollection<mongo.Document>(connection, CredentialModelName.AuthenticationMethod);
  const Outbox = connection.model<OutboxMessageFields>(ModelName.OutboxMessage);
  const invite = options.invite;
  const report = new ImportReport(options.reportPath);

  const fileBytes = statSync(options.path).size;
  let bytesRead = 0;
  const rowsTask = progress.task('rows', 0, 'rows');
  const result: ImportResult = {
    rows: 0,
    inserted: 0,
    skippedExisting: 0,
    rejected: 0,
    warnings: 0,
    passwords: { argon2id: 0, argon2i: 0, bcrypt: 0 },
    withoutPassword: 0,
    managersLinked: 0,
    invited: 0,
    messagesQueued: 0,
    unknownKeys: [],
    reportPath: options.reportPath,
    totalMs: 0,
  };
  const unknownKeys = new Set<string>();
  // Normalized email → id of the user that holds it now (imported or found), or null while
  // its row is in the current batch or when the row was rejected. Also the first row, for
  // "duplicate of row N".
  const emails = new Map<string, { row: number; id: mongo.ObjectId | null }>();
  const pending: PendingManager[] = [];

  const reject = (parsed: ParsedRow, reasons: string[]) => report.add(entry('rejected', parsed, reasons));
  const sizer = new AdaptiveBatchSize(batchPolicy(batchSize));
  const rerun =
    "The rows before this batch are imported and this batch's users were taken out again: run the same command again " +
    '(emails already imported are skipped)';

  const flush = async (batch: Candidate[]): Promise<void> => {
    if (batch.length === 0) return;
    // 1. One query for the batch's emails and the managers not resolved from the file yet.
    const lookups = new Set<string>(batch.map((c) => c.doc.email));
    for (const c of batch) {
      const manager = c.parsed.managerEmail;
      if (manager && !emails.get(manager)?.id) lookups.add(manager);
    }
    const found = new Map<string, mongo.ObjectId>();
    for await (const user of users.find({ email: { $in: [...lookups] } }, { projection: { _id: 1, email: 1 } })) {
      if (user.email) found.set(user.email, user._id);
    }

    // 2. Existing emails are skipped; managers are linked where already known.
    const inBatch = new Map<string, mongo.ObjectId>();
    const toInsert: Candidate[] = [];
    for (const c of batch) {
      const existing = found.get(c.doc.email);
      if (existing) {
        result.skippedExisting++;
        emails.set(c.doc.email, { row: c.parsed.row, id: existing });
      } else {
        toInsert.push(c);
        inBatch.set(c.doc.email, c.doc._id);
      }
    }
    const docs: UserDoc[] = [];
    const waiting = new Map<number, PendingManager>();
    // --invite: one instant for the batch's invitations, the users' invitedAt and their messages' params alike.
    const invitedAt = new Date();
    /** Positions in `docs` of the invited users, and the password hash each came with (dropped: they choose one on accepting). */
    const invitedRows = new Map<number, string | undefined>();
    for (const c of toInsert) {
      const doc = plainUser(c.doc);
      if (invite && doc.status === UserStatus.Active) {
        Object.assign(doc, { status: UserStatus.Invited, invitedAt, invitedBy: invite._id });
        invitedRows.set(docs.length, c.parsed.passwordHash);
        c.parsed.passwordHash = undefined;
        c.parsed.hashScheme = undefined;
      }
      const manager = c.parsed.managerEmail;
      if (manager) {
        const managerId = emails.get(manager)?.id ?? inBatch.get(manager) ?? found.get(manager);
        if (managerId) doc.managerId = managerId;
        else waiting.set(docs.length, { userId: doc._id, managerEmail: manager, parsed: c.parsed });
      }
      docs.push(doc);
    }

    // 3. With --invite, the invitations' messages before their users (the order of every
    //    mail in this code base, docs/decisions.md "Mail"): a crash between the two leaves
    //    messages for users that do not exist, which auth-api's sender voids; never an invited
    //    user without a message. The user ids are the validated documents' own, known already.
    //    They are held (not due) until the users are written, so auth-api's sender never looks
    //    at a message before its user exists; after a crash the hold runs out and it decides.
    let messageIds: Types.ObjectId[] = [];
    if (invitedRows.size > 0) {
      const messages = [...invitedRows.keys()].map((index) => {
        const doc = docs[index] as UserDoc;
        return {
          template: MailTemplate.Invitation,
          to: doc.email,
          userId: doc._id,
          params: { invitedAt, requestedBy: invite?._id },
          status: OutboxStatus.Pending,
          attempts: 0,
          nextAttemptAt: new Date(invitedAt.getTime() + INVITATION_HOLD_MS),
          createdAt: invitedAt,
          updatedAt: invitedAt,
        };
      });
      messageIds = (await Outbox.insertMany(messages)).map((message) => message._id);
      result.messagesQueued += messages.length;
    }

    // 4. Users.
    let insert;
    try {
      insert = await insertUnordered(users, docs);
    } catch (error) {
      // Nobody knows which users made it: remove them all (ids are new, nothing else has them).
      await users.deleteMany({ _id: { $in: docs.map((d) => d._id) } });
      throw error;
    }
    // The users are written: their invitations are due now (a message whose user did not make it voids itself).
    if (messageIds.length > 0) {
      await Outbox.collection.updateMany(
        { _id: { $in: messageIds }, status: OutboxStatus.Pending, attempts: 0 },
        { $set: { nextAttemptAt: new Date() } },
      );
    }
    const notInserted = new Map<number, string[] | 'existing'>();
    // A duplicate here is an email registered since the lookup: skipped like any existing one.
    for (const index of insert.duplicates) notInserted.set(index, 'existing');
    for (const failure of insert.failures) notInserted.set(failure.index, [`could not be inserted: ${failure.message}`]);

    // 5. Then their password methods (invited users have none); on failure, take those users back out.
    const withHash = toInsert.map((c, index) => ({ c, index })).filter(({ c, index }) => c.parsed.passwordHash && !notInserted.has(index));
    const methodDocs = withHash.map(({ c, index }) => authenticationMethod(docs[index] as UserDoc, c.parsed.passwordHash as string));
    // Positions in `withHash` whose method is not stored, with the reason; all of them when the
    // insert failed as a whole (nobody knows which made it).
    const failedMethods = new Map<number, string>();
    try {
      const methodInsert = await insertUnordered(methods, methodDocs);
      for (const failure of methodInsert.failures) failedMethods.set(failure.index, failure.message);
      for (const index of methodInsert.duplicates) failedMethods.set(index, 'duplicate key');
    } catch (error) {
      withHash.forEach((_, position) => failedMethods.set(position, (error as Error).message));
    }
    if (failedMethods.size > 0) {
      const userIds = [...failedMethods.keys()].map((position) => (docs[withHash[position]?.index as number] as UserDoc)._id);
      // Methods before users: at no moment does a method exist without its user.
      await methods.deleteMany({ userId: { $in: userIds } });
      await users.deleteMany({ _id: { $in: userIds } });
      for (const [position, reason] of failedMethods) {
        notInserted.set(withHash[position]?.index as number, [`password_hash: could not be stored (${reason}); the user was not imported`]);
      }
    }

    // 6. Outcomes. A report linked in this batch to a user who did not make it is unlinked
    //    and linked again by email after the last row (or warned about).
    const removed = new Set([...notInserted.keys()].map((index) => (docs[index] as UserDoc)._id.toHexString()));
    const invitedUsers: UserDoc[] = [];
    for (const [index, c] of toInsert.entries()) {
      const outcome = notInserted.get(index);
      const doc = docs[index] as UserDoc;
      if (outcome === undefined) {
        result.inserted++;
        emails.set(c.doc.email, { row: c.parsed.row, id: doc._id });
        if (invitedRows.has(index)) {
          result.invited++;
          invitedUsers.push(doc);
          if (invitedRows.get(index)) {
            await report.add(
              entry('warning', c.parsed, ['password_hash: not stored, the user is invited and chooses a password on accepting']),
            );
          }
        } else if (c.parsed.hashScheme) result.passwords[c.parsed.hashScheme]++;
        else result.withoutPassword++;
        const wait = waiting.get(index);
        if (wait) pending.push(wait);
        else if (doc.managerId && removed.has(doc.managerId.toHexString())) {
          await users.updateOne({ _id: doc._id }, { $unset: { managerId: '' } });
          pending.push({ userId: doc._id, managerEmail: c.parsed.managerEmail as string, parsed: c.parsed });
        } else if (doc.managerId) result.managersLinked++;
      } else if (outcome === 'existing') {
        result.skippedExisting++;
        emails.set(c.doc.email, { row: c.parsed.row, id: null });
      } else {
        emails.set(c.doc.email, { row: c.parsed.row, id: null });
        await reject(c.parsed, outcome);
      }
    }

    // 7. What happened, in the events collection: the invitations (the analytics funnel's first
    //    step) and the messages asked for, as users-api records an admin's invitation.
    if (invite && invitedUsers.length > 0) {
      const subject = (doc: UserDoc) => ({ userId: doc._id, cohortWeek: doc.signupWeek, at: invitedAt });
      await connection.model(EventKind.UserInvited).insertMany(invitedUsers.map((doc) => ({ ...subject(doc), by: invite._id })));
      await connection
        .model(EventKind.MailRequested)
        .insertMany(invitedUsers.map((doc) => ({ ...subject(doc), template: MailTemplate.Invitation })));
    }
  };

  try {
    /** One flush, timed for the batch size; a timeout becomes an error that names the batch's rows. */
    const flushAdaptively = async (candidates: Candidate[]): Promise<void> => {
      if (candidates.length === 0) return;
      const started = Date.now();
      try {
        await flush(candidates);
      } catch (error) {
        if (!isTimeoutError(error)) throw error;
        const number = sizer.stats.batches + 1;
        sizer.timedOut();
        throw new BatchTimeoutError(
          {
            collection: users.collectionName,
            tool: 'import',
            unit: 'rows',
            first: (candidates[0] as Candidate).parsed.row,
            last: (candidates[candidates.length - 1] as Candidate).parsed.row,
            size: candidates.length,
            batch: number,
            elapsedMs: Date.now() - started,
            remedy: timeoutRemedy(rerun, candidates.length),
          },
          error,
        );
      }
      sizer.record(Date.now() - started);
    };

    let batch: Candidate[] = [];
    for await (const source of readRows(options.path, options.format, { onBytes: (n) => (bytesRead += n) })) {
      result.rows++;
      rowsTask.increment(1);
      if (source.row % 500 === 0 && bytesRead > 0) rowsTask.setTotal(Math.round((result.rows * fileBytes) / bytesRead));
      if (!source.record) {
        await report.add({ status: 'rejected', row: source.row, line: source.line, reasons: [source.error ?? 'unreadable'] });
        continue;
      }
      const parsed = parseRecord(source.record, source.row, source.line);
      parsed.unknownKeys.forEach((key) => unknownKeys.add(key));
      if (parsed.errors.length > 0) {
        await reject(parsed, parsed.errors);
        continue;
      }
      const validated = await validateUser(User, parsed.input);
      if (!validated.doc) {
        await reject(parsed, validated.errors);
        continue;
      }
      const email = validated.doc.email;
      const earlier = emails.get(email);
      if (earlier) {
        await reject(parsed, [`email: duplicate of row ${earlier.row} in this file`]);
        continue;
      }
      emails.set(email, { row: parsed.row, id: null });
      batch.push({ parsed, doc: validated.doc });
      if (batch.length >= sizer.size) {
        await flushAdaptively(batch);
        batch = [];
      }
    }
    await flushAdaptively(batch);
    rowsTask.setTotal(result.rows);
    result.managersLinked += await linkPendingManagers(users, pending, emails, report);
  } finally {
    progress.stop();
    await report.close();
  }
  result.rejected = report.counts.rejected;
  result.warnings = report.counts.warning;
  result.unknownKeys = [...unknownKeys].sort();
  const adaptation = describeAdaptation('rows', sizer.stats, sizer.policy);
  if (adaptation) result.adaptation = adaptation;
  result.totalMs = Date.now() - started;
  return result;
}

/**
 * `--invited-by <email>`, or the first active admin (earliest created: the one `npm start`
 * prints for the demo directory). Only an active admin may invite.
 */
export async function resolveInviter(connection: Connection, email?: string): Promise<Inviter> {
  const users = rawCollection<UserDoc>(connection, ModelName.User);
  const admin = { roles: UserRole.Admin, status: UserStatus.Active };
  if (email !== undefined) {
    const found = await users.findOne({ email: email.trim().toLowerCase() }, { projection: { email: 1, roles: 1, status: 1 } });
    if (!found) throw new UsageError(`--invited-by: no user ${email} in the database`);
    if (!found.roles?.includes(UserRole.Admin) || found.status !== UserStatus.Active) {
      throw new UsageError(`--invited-by: ${found.email} is not an active admin`);
    }
    return { _id: found._id, email: found.email as string };
  }
  const first = await users.findOne(admin, { projection: { email: 1 }, sort: { createdAt: 1, _id: 1 } });
  if (!first) throw new UsageError('--invite: the database has no active admin to send the invitations; pass --invited-by <email>');
  return { _id: first._id, email: first.email as string };
}

/** After the last row: managers that appeared later in the file, or not at all (warning). */
async function linkPendingManagers(
  users: mongo.Collection<UserDoc>,
  pending: readonly PendingManager[],
  emails: Map<string, { row: number; id: mongo.ObjectId | null }>,
  report: ImportReport,
): Promise<number> {
  let linked = 0;
  for (let from = 0; from < pending.length; from += DEFAULT_IMPORT_BATCH_SIZE) {
    const slice = pending.slice(from, from + DEFAULT_IMPORT_BATCH_SIZE);
    const unresolved = [...new Set(slice.map((p) => p.managerEmail).filter((email) => !emails.get(email)?.id))];
    const found = new Map<string, mongo.ObjectId>();
    if (unresolved.length > 0) {
      for await (const user of users.find({ email: { $in: unresolved } }, { projection: { _id: 1, email: 1 } })) {
        if (user.email) found.set(user.email, user._id);
      }
    }
    const updates: mongo.AnyBulkWriteOperation<UserDoc>[] = [];
    for (const p of slice) {
      const managerId = emails.get(p.managerEmail)?.id ?? found.get(p.managerEmail);
      if (managerId) updates.push({ updateOne: { filter: { _id: p.userId }, update: { $set: { managerId } } } });
      else {
        await report.add(
          entry('warning', p.parsed, [`manager_email: no user ${p.managerEmail} in the file or the database; imported without a manager`]),
        );
      }
    }
    if (updates.length > 0) linked += (await users.bulkWrite(updates, { ordered: false })).matchedCount;
  }
  return linked;
}

/** The validated document as the raw driver stores it: what `save()` would have written. */
function plainUser(doc: InstanceType<UserModel>): UserDoc {
  const plain = doc.toObject({ virtuals: false, versionKey: true }) as UserDoc;
  plain.updatedAt = plain.createdAt;
  plain.__v = 0;
  return plain;
}

function authenticationMethod(user: UserDoc, secret: string): mongo.Document {
  const now = user.createdAt ?? new Date();
  return {
    userId: user._id,
    type: AuthenticationMethodType.Password,
    secret,
    failedAttempts: 0,
    // Stored as imported; auth-api verifies with the hash's own scheme and rehashes at next login.
    needsRehash: true,
    createdAt: now,
    updatedAt: now,
    __v: 0,
  };
}

function entry(status: ReportEntry['status'], parsed: ParsedRow, reasons: string[]): ReportEntry {
  return { status, row: parsed.row, line: parsed.line, ...(parsed.email !== undefined && { email: parsed.email }), reasons };
}
