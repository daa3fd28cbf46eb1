import {
  ModelName,
  OUTBOX_CLAIM_SCHEMA,
  OUTBOX_MESSAGE_SCHEMA,
  OutboxStatus,
  type MailTemplate,
  type OutboxClaimFields,
  type OutboxMessageFields,
  type OutboxParams,
  type SchemaRegistration,
} from '@directory/schemas';
import type { Connection, Model, Types } from 'mongoose';
import { trusted } from '../trusted';

const DUPLICATE_KEY = 11000;

const claimKey = (messageId: Types.ObjectId, attempt: number) => `${messageId.toHexString()}:${attempt}`;

/** A pending message, and (when given) one whose attempt count is still what its updater read. */
const pendingAt = (id: Types.ObjectId, expectAttempts?: number) =>
  expectAttempts === undefined
    ? { _id: id, status: OutboxStatus.Pending }
    : { _id: id, status: OutboxStatus.Pending, attempts: expectAttempts };

export interface NewOutboxMessage {
  template: MailTemplate;
  to: string;
  userId?: Types.ObjectId | null;
  params?: OutboxParams;
}

export type StoredOutboxMessage = OutboxMessageFields & { _id: Types.ObjectId };

/** What admins see of a message: never its params beyond the template and the outcome. */
export const OUTBOX_ADMIN_PROJECTION = {
  template: 1,
  to: 1,
  userId: 1,
  status: 1,
  attempts: 1,
  nextAttemptAt: 1,
  lastError: 1,
  sentAt: 1,
  finishedAt: 1,
  createdAt: 1,
} as const;

/**
 * The mail outbox (`outboxmessages`) and its delivery claims (`outboxclaims`). Any service may
 * enqueue (a message holds no secret); auth-api's sender delivers. A claim is an insert with a
 * unique _id per (message, attempt), so exactly one sender attempts each delivery.
 */
export class OutboxRepository {
  static readonly schemas: readonly SchemaRegistration[] = [OUTBOX_MESSAGE_SCHEMA, OUTBOX_CLAIM_SCHEMA];
  private readonly messages: Model<OutboxMessageFields>;
  private readonly claims: Model<OutboxClaimFields>;

  constructor(connection: Connection) {
    this.messages = connection.model<OutboxMessageFields>(ModelName.OutboxMessage);
    this.claims = connection.model<OutboxClaimFields>(ModelName.OutboxClaim);
  }

  /** Write the message before the change it announces (the sender checks the change happened). */
  /**
   * Write the message before the change it announces (the sender checks the change happened).
   * `notBefore`: hold it until then unless `markReady` comes first (the writer calls that once
   * its change is written; after a crash in between, the hold runs out and the sender checks).
   */
  async enqueue(message: NewOutboxMessage, now: Date, notBefore: Date = now): Promise<Types.ObjectId> {
    const created = await this.messages.create({ ...message, status: OutboxStatus.Pending, nextAttemptAt: notBefore, createdAt: now });
    return created._id;
  }

  /** The change held messages announce is written: due now (never moves a retry's backoff). */
  async markReady(ids: readonly Types.ObjectId[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.messages
      .updateMany({ _id: trusted({ $in: ids }), status: OutboxStatus.Pending, attempts: 0 }, { $set: { nextAttemptAt: now } })
      .exec();
  }

  /** Messages of `template` to `to` since `since`: per-address hourly limits. */
  countSince(to: string, template: MailTemplate, since: Date): Promise<number> {
    return this.messages.countDocuments({ to: to.trim().toLowerCase(), template, createdAt: trusted({ $gte: since }) }).exec();
  }

  /** Pending messages due now, oldest first. */
  due(now: Date, limit: number): Promise<StoredOutboxMessage[]> {
    return this.messages
      .find({ status: OutboxStatus.Pending, nextAttemptAt: trusted({ $lte: now }) })
      .sort({ nextAttemptAt: 1 })
      .limit(limit)
      .lean<StoredOutboxMessage[]>()
      .exec();
  }

  findById(id: Types.ObjectId): Promise<StoredOutboxMessage | null> {
    return this.messages.findById(id).lean<StoredOutboxMessage>().exec();
  }

  /** True when this sender won attempt `attempt` of the message; false when another sender holds it. */
  async claim(messageId: Types.ObjectId, attempt: number, sender: string, at: Date): Promise<boolean> {
    try {
      await this.claims.create({ key: claimKey(messageId, attempt), messageId, attempt, sender, at });
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  /**
   * Gives back this sender's claim of an attempt it did not make (its composition said `wait`), so
   * the same attempt number can be claimed again. Only the holder's own claim is removed.
   */
  async release(messageId: Types.ObjectId, attempt: number, sender: string): Promise<void> {
    await this.claims.deleteOne({ key: claimKey(messageId, attempt), sender }).exec();
  }

  findClaim(messageId: Types.ObjectId, attempt: number): Promise<OutboxClaimFields | null> {
    return this.claims
      .findOne({ key: claimKey(messageId, attempt) })
      .lean<OutboxClaimFields>()
      .exec();
  }

  /**
   * After this sender's claim of attempt `attempts` was delivered. `expectAttempts` (the count the
   * sender read before claiming) leaves a message that has moved on since untouched.
   */
  async markSent(id: Types.ObjectId, attempts: number, now: Date, expectAttempts?: number): Promise<void> {
    await this.messages
      .updateOne(pendingAt(id, expectAttempts), {
        $set: { status: OutboxStatus.Sent, attempts, sentAt: now, finishedAt: now, lastError: null },
      })
      .exec();
  }

  /** A transient failure: try again at `nextAttemptAt`. */
  async scheduleRetry(id: Types.ObjectId, attempts: number, nextAttemptAt: Date, reason: string, expectAttempts?: number): Promise<void> {
    await this.messages
      .updateOne(pendingAt(id, expectAttempts), { $set: { attempts, nextAttemptAt, lastError: reason.slice(0, 500) } })
      .exec();
  }

  /** Given up (`failed`) or nothing to send (`void`), with the reason. */
  async finish(
    id: Types.ObjectId,
    status: typeof OutboxStatus.Failed | typeof OutboxStatus.Void,
    attempts: number,
    reason: string,
    now: Date,
    expectAttempts?: number,
  ): Promise<void> {
    await this.messages
      .updateOne(pendingAt(id, expectAttempts), { $set: { status, attempts, lastError: reason.slice(0, 500), finishedAt: now } })
      .exec();
  }

  /** A user's messages, newest first (admins). */
  forUser(userId: Types.ObjectId, limit: number): Promise<StoredOutboxMessage[]> {
    return this.messages
      .find({ userId }, OUTBOX_ADMIN_PROJECTION)
      .sort({ createdAt: -1 })
      .limit(limit)
      .lean<StoredOutboxMessage[]>()
      .exec();
  }

  /** Messages in one status, newest first (admins: what failed and why). */
  withStatus(status: OutboxStatus, limit: number): Promise<StoredOutboxMessage[]> {
    return this.messages
      .find({ status }, OUTBOX_ADMIN_PROJECTION)
      .sort({ nextAttemptAt: -1 })
      .limit(limit)
      .lean<StoredOutboxMessage[]>()
      .exec();
  }

  /** Messages per status (gauges in /metrics). */
  async countByStatus(): Promise<Record<OutboxStatus, number>> {
    const rows = await this.messages.aggregate<{ _id: OutboxStatus; n: number }>([{ $group: { _id: '$status', n: { $sum: 1 } } }]).exec();
    const counts = { pending: 0, sent: 0, failed: 0, void: 0 } as Record<OutboxStatus, number>;
    for (const row of rows) counts[row._id] = row.n;
    return counts;
  }
}
