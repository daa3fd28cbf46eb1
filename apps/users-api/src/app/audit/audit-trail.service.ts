import { Injectable, Logger } from '@nestjs/common';
import { EventsRepository, type StoredEvent, type TimeCursor } from '@directory/data-access';
import { EventKind, type MailTemplate, type UserRole, type UserStatus } from '@directory/schemas';
import { Types } from 'mongoose';
import { encodeTimeCursor } from '../common/page-cursor';

/** The subject of an event: every event carries the subject's signup week as `cohortWeek`. */
export interface EventSubject {
  _id: Types.ObjectId;
  signupWeek: string;
}

export interface EventView {
  id: string;
  kind: string;
  at: string;
  fields?: string[];
  from?: unknown;
  to?: unknown;
  by?: string;
  reason?: string;
  resultCount?: number;
  count?: number;
}

/**
 * The audit trail of changes made through users-api, and a user's trail read back. Events
 * never copy personal data: field names, not values. A failed event write is logged loudly
 * and never undoes or fails the change it records.
 */
@Injectable()
export class AuditTrail {
  private readonly logger = new Logger('AuditTrail');

  constructor(private readonly events: EventsRepository) {}

  /** `by`: the admin who changed someone else's profile; absent for a user's own change. */
  recordProfileUpdated(subject: EventSubject, fields: string[], by?: string): Promise<void> {
    return this.record(EventKind.ProfileUpdated, () =>
      this.events.append(EventKind.ProfileUpdated, {
        userId: subject._id,
        cohortWeek: subject.signupWeek,
        fields,
        ...(by && { by: new Types.ObjectId(by) }),
      }),
    );
  }

  recordRoleChanged(subject: EventSubject, from: UserRole[], to: UserRole[], by: string): Promise<void> {
    return this.record(EventKind.RoleChanged, () =>
      this.events.append(EventKind.RoleChanged, {
        userId: subject._id,
        cohortWeek: subject.signupWeek,
        from,
        to,
        by: new Types.ObjectId(by),
      }),
    );
  }

  recordStatusChanged(subject: EventSubject, from: UserStatus, to: UserStatus, by: string): Promise<void> {
    return this.record(EventKind.StatusChanged, () =>
      this.events.append(EventKind.StatusChanged, {
        userId: subject._id,
        cohortWeek: subject.signupWeek,
        from,
        to,
        by: new Types.ObjectId(by),
      }),
    );
  }

  /** An admin invited (or re-invited) the user. */
  recordUserInvited(subject: EventSubject, by: string, at: Date): Promise<void> {
    return this.record(EventKind.UserInvited, () =>
      this.events.append(EventKind.UserInvited, { userId: subject._id, cohortWeek: subject.signupWeek, by: new Types.ObjectId(by), at }),
    );
  }

  /** A message about the user was put in the outbox (auth-api records whether it was sent). */
  recordMailRequested(subject: EventSubject, template: MailTemplate, at: Date): Promise<void> {
    return this.record(EventKind.MailRequested, () =>
      this.events.append(EventKind.MailRequested, { userId: subject._id, cohortWeek: subject.signupWeek, template, at }),
    );
  }

  /** An admin ended every session of the user; `count` of them were live. */
  recordSessionsEnded(subject: EventSubject, by: string, count: number): Promise<void> {
    return this.record(EventKind.SessionsEnded, () =>
      this.events.append(EventKind.SessionsEnded, {
        userId: subject._id,
        cohortWeek: subject.signupWeek,
        by: new Types.ObjectId(by),
        count,
      }),
    );
  }

  /** A user's events, newest first. As in the directory: exactly `limit` rows, so a full page may be followed by an empty one. */
  async history(userId: Types.ObjectId, limit: number, after?: TimeCursor): Promise<{ items: EventView[]; nextCursor: string | null }> {
    const rows = await this.events.history(userId, limit, after);
    const last = rows[rows.length - 1];
    return {
      items: rows.map(toEventView),
      nextCursor: rows.length === limit && last ? encodeTimeCursor({ at: last.at, _id: last._id }) : null,
    };
  }

  private async record(kind: string, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      this.logger.error({ err: error instanceof Error ? error.message : String(error), kind }, 'could not record an event');
    }
  }
}

function toEventView(event: StoredEvent): EventView {
  const view: EventView = { id: event._id.toHexString(), kind: event.kind, at: new Date(event.at).toISOString() };
  if (event.fields) view.fields = event.fields;
  if (event.from !== undefined) view.from = event.from;
  if (event.to !== undefined) view.to = event.to;
  if (event.by) view.by = event.by.toHexString();
  if (event.reason) view.reason = event.reason;
  if (event.resultCount !== undefined) view.resultCount = event.resultCount;
  if (event.count !== undefined) view.count = event.count;
  return view;
}
