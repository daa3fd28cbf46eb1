import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import {
  EventKind,
  ModelName,
  normalizeText,
  type EventBaseFields,
  type ProfileUpdatedFields,
  type RoleChangedFields,
  type StatusChangedFields,
  type UserFields,
  type UserRole,
  type UserSearchedFields,
  type UserStatus,
} from '@directory/schemas';
import { Types, type Model } from 'mongoose';
import { createHash } from 'node:crypto';
import { encodeTimeCursor, type TimeCursor } from './page-cursor';
import { trusted } from './user-filter';

/** The subject of an event: every event carries the subject's signup week as `cohortWeek`. */
export interface EventSubject {
  _id: Types.ObjectId;
  signupWeek: string;
}

/** SHA-256 of the normalized query: popular searches stay countable, the text is never stored. */
export function queryHash(q: string): string {
  return createHash('sha256').update(normalizeText(q)).digest('hex');
}

/** Bound on remembered signup weeks (they never change, so entries never go stale). */
const MAX_CACHED_WEEKS = 10_000;

type LeanEvent = EventBaseFields & {
  _id: Types.ObjectId;
  fields?: string[];
  from?: unknown;
  to?: unknown;
  by?: Types.ObjectId;
  reason?: string;
  resultCount?: number;
};

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
}

const EVENT_VIEW_PROJECTION = { kind: 1, at: 1, fields: 1, from: 1, to: 1, by: 1, reason: 1, resultCount: 1 } as const;

/**
 * The audit trail users-api writes (one `events` collection, a discriminator per kind;
 * middleware adds day/week/month) and reads back per user. Events never copy personal
 * data: field names, not values; a query hash, not the query.
 */
@Injectable()
export class UserEvents {
  private readonly logger = new Logger('UserEvents');
  private readonly signupWeeks = new Map<string, string>();

  constructor(
    @InjectModel(ModelName.Event, 'fast') private readonly events: Model<EventBaseFields>,
    @InjectModel(EventKind.ProfileUpdated, 'fast') private readonly profileUpdated: Model<ProfileUpdatedFields>,
    @InjectModel(EventKind.RoleChanged, 'fast') private readonly roleChanged: Model<RoleChangedFields>,
    @InjectModel(EventKind.StatusChanged, 'fast') private readonly statusChanged: Model<StatusChangedFields>,
    @InjectModel(EventKind.UserSearched, 'fast') private readonly userSearched: Model<UserSearchedFields>,
    @InjectModel(ModelName.User, 'fast') private readonly users: Model<UserFields>,
  ) {}

  recordProfileUpdated(subject: EventSubject, fields: string[]): Promise<void> {
    return this.record(EventKind.ProfileUpdated, () =>
      this.profileUpdated.create({ userId: subject._id, cohortWeek: subject.signupWeek, fields }),
    );
  }

  recordRoleChanged(subject: EventSubject, from: UserRole[], to: UserRole[], by: string): Promise<void> {
    return this.record(EventKind.RoleChanged, () =>
      this.roleChanged.create({ userId: subject._id, cohortWeek: subject.signupWeek, from, to, by: new Types.ObjectId(by) }),
    );
  }

  recordStatusChanged(subject: EventSubject, from: UserStatus, to: UserStatus, by: string): Promise<void> {
    return this.record(EventKind.StatusChanged, () =>
      this.statusChanged.create({ userId: subject._id, cohortWeek: subject.signupWeek, from, to, by: new Types.ObjectId(by) }),
    );
  }

  /** Who searched and how many rows the page had; the query only as a hash. */
  async recordUserSearched(searcherId: string, q: string | undefined, resultCount: number): Promise<void> {
    await this.record(EventKind.UserSearched, async () => {
      const cohortWeek = await this.signupWeekOf(searcherId);
      if (!cohortWeek) return; // the searcher's account is gone: nothing to attribute it to
      const normalized = normalizeText(q);
      await this.userSearched.create({
        userId: new Types.ObjectId(searcherId),
        cohortWeek,
        resultCount,
        ...(normalized ? { queryHash: queryHash(normalized) } : {}),
      });
    });
  }

  /** A user's events, newest first, from the {userId, at: -1, _id: -1} index. */
  async history(userId: Types.ObjectId, limit: number, after?: TimeCursor): Promise<{ items: EventView[]; nextCursor: string | null }> {
    const filter: Record<string, unknown> = { userId };
    if (after) {
      filter['at'] = trusted({ $lte: after.at });
      filter['$or'] = [{ at: trusted({ $lt: after.at }) }, { _id: trusted({ $lt: after.id }) }];
    }
    const rows = await this.events
      .find(filter, EVENT_VIEW_PROJECTION)
      .sort({ at: -1, _id: -1 })
      .limit(limit)
      .lean<LeanEvent[]>()
      .exec();
    const last = rows[rows.length - 1];
    // As in the directory: exactly `limit` rows, so a full page may be followed by an empty one.
    return {
      items: rows.map(toEventView),
      nextCursor: rows.length === limit && last ? encodeTimeCursor({ at: last.at, _id: last._id }) : null,
    };
  }

  private async signupWeekOf(userId: string): Promise<string | undefined> {
    const cached = this.signupWeeks.get(userId);
    if (cached) return cached;
    const user = await this.users.findById(userId, { signupWeek: 1 }).lean<{ signupWeek: string }>().exec();
    if (!user) return undefined;
    if (this.signupWeeks.size >= MAX_CACHED_WEEKS) this.signupWeeks.delete(this.signupWeeks.keys().next().value as string);
    this.signupWeeks.set(userId, user.signupWeek);
    return user.signupWeek;
  }

  /** Events are the audit trail, but a failed event write must not undo or fail the change it records: log it loudly. */
  private async record(kind: string, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      this.logger.error({ err: error instanceof Error ? error.message : String(error), kind }, 'could not record an event');
    }
  }
}

function toEventView(event: LeanEvent): EventView {
  const view: EventView = { id: event._id.toHexString(), kind: event.kind, at: new Date(event.at).toISOString() };
  if (event.fields) view.fields = event.fields;
  if (event.from !== undefined) view.from = event.from;
  if (event.to !== undefined) view.to = event.to;
  if (event.by) view.by = event.by.toHexString();
  if (event.reason) view.reason = event.reason;
  if (event.resultCount !== undefined) view.resultCount = event.resultCount;
  return view;
}
