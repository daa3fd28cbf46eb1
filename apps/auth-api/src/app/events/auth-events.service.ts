import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import {
  dayKey,
  EventKind,
  LoginFailureReason,
  ModelName,
  type ActivityFields,
  type LoginFailedFields,
  type LoginSucceededFields,
  type UserRegisteredFields,
} from '@directory/schemas';
import { createHash } from 'node:crypto';
import { MongoErrorCode } from '@directory/connections';
import type { Model, Types } from 'mongoose';

/** The subject of an event: its id and signup week, which every event carries as `cohortWeek`. */
export interface EventSubject {
  _id: Types.ObjectId;
  signupWeek: string;
}

/** SHA-256 of the normalized email: repeated attempts on one address stay countable without storing it. */
export function emailHash(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}

/**
 * Writes auth events (one `events` collection, a discriminator per kind; the middleware adds
 * day/week/month) and the daily Activity rollup analytics counts active users with. These
 * records feed analytics only: a failed write is logged and does not fail the login.
 */
@Injectable()
export class AuthEvents {
  private readonly logger = new Logger('AuthEvents');

  constructor(
    @InjectModel(EventKind.UserRegistered, 'fast') private readonly registered: Model<UserRegisteredFields>,
    @InjectModel(EventKind.LoginSucceeded, 'fast') private readonly succeeded: Model<LoginSucceededFields>,
    @InjectModel(EventKind.LoginFailed, 'fast') private readonly failed: Model<LoginFailedFields>,
    @InjectModel(ModelName.Activity, 'fast') private readonly activity: Model<ActivityFields>,
  ) {}

  userRegistered(user: EventSubject, at: Date): Promise<void> {
    return this.record(EventKind.UserRegistered, () =>
      this.registered.create({ userId: user._id, cohortWeek: user.signupWeek, at }),
    );
  }

  async loginSucceeded(user: EventSubject, at: Date): Promise<void> {
    await Promise.all([
      this.record(EventKind.LoginSucceeded, () => this.succeeded.create({ userId: user._id, cohortWeek: user.signupWeek, at })),
      this.record(ModelName.Activity, () => this.markActive(user, at)),
    ]);
  }

  /** A failure on a known account: bad password, or refused because it is locked. Never the password tried. */
  loginFailed(user: EventSubject, reason: typeof LoginFailureReason.BadPassword | typeof LoginFailureReason.Locked, at: Date): Promise<void> {
    return this.record(EventKind.LoginFailed, () =>
      this.failed.create({ userId: user._id, cohortWeek: user.signupWeek, reason, at }),
    );
  }

  /** A failure for an email no usable account has: no user to point at, only the email's hash. */
  loginFailedForUnknownEmail(email: string, at: Date): Promise<void> {
    return this.record(EventKind.LoginFailed, () =>
      this.failed.create({ reason: LoginFailureReason.UnknownEmail, emailHash: emailHash(email), at }),
    );
  }

  /**
   * One indexed upsert on the unique (userId, day) key: the first login of the day inserts,
   * later ones match and change nothing. Two first logins racing may both try to insert; the
   * loser's duplicate-key error means the document exists, which is all we wanted.
   */
  private async markActive(user: EventSubject, at: Date): Promise<void> {
    try {
      await this.activity.updateOne(
        { userId: user._id, day: dayKey(at) },
        { $setOnInsert: { cohortWeek: user.signupWeek } },
        { upsert: true },
      );
    } catch (error) {
      if ((error as { code?: unknown }).code !== MongoErrorCode.DuplicateKey) throw error;
    }
  }

  private async record(kind: string, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      this.logger.warn({ err: error instanceof Error ? error.message : String(error), kind }, 'could not record an auth event');
    }
  }
}
