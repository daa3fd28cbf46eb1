import {
  EVENT_SCHEMA,
  ModelName,
  type EventBaseFields,
  type EventFields,
  type EventKind,
  type SchemaRegistration,
} from '@directory/schemas';
import type { Connection, Model, Types } from 'mongoose';
import { trusted } from '../trusted';

/** What a writer supplies for an event of `kind`: its own fields; middleware adds the buckets. */
export type NewEvent<K extends EventKind> = Omit<Extract<EventFields, { kind: K }>, 'kind' | 'at' | 'day' | 'week' | 'month'> & {
  at?: Date;
};

/** Audit-trail pages: ordered by (at, _id) descending. */
export interface TimeCursor {
  at: Date;
  id: Types.ObjectId;
}

export type StoredEvent = EventBaseFields & {
  _id: Types.ObjectId;
  fields?: string[];
  from?: unknown;
  to?: unknown;
  by?: Types.ObjectId;
  reason?: string;
  resultCount?: number;
  /** SessionsEnded: how many sessions ended. */
  count?: number;
};

const HISTORY_PROJECTION = { kind: 1, at: 1, fields: 1, from: 1, to: 1, by: 1, reason: 1, resultCount: 1, count: 1 } as const;

/**
 * The one `events` collection (a discriminator model per kind, PRINCIPLES.md #9):
 * append-only writes through the kind's model, so each kind's schema validates its fields
 * and middleware stamps day/week/month; and a user's history, newest first.
 */
export class EventsRepository {
  static readonly schemas: readonly SchemaRegistration[] = [EVENT_SCHEMA];
  private readonly events: Model<EventBaseFields>;

  constructor(private readonly connection: Connection) {
    this.events = connection.model<EventBaseFields>(ModelName.Event);
  }

  async append<K extends EventKind>(kind: K, event: NewEvent<K>): Promise<void> {
    await this.connection.model(kind).create(event);
  }

  /** Several events of one kind in one round trip (buffered writers). */
  async appendMany<K extends EventKind>(kind: K, events: readonly NewEvent<K>[]): Promise<void> {
    if (events.length > 0) await this.connection.model(kind).insertMany(events);
  }

  /** A user's events, newest first, from the {userId, at: -1, _id: -1} index. */
  history(userId: Types.ObjectId, limit: number, after?: TimeCursor): Promise<StoredEvent[]> {
    const filter: Record<string, unknown> = { userId };
    if (after) {
      filter['at'] = trusted({ $lte: after.at });
      filter['$or'] = [{ at: trusted({ $lt: after.at }) }, { _id: trusted({ $lt: after.id }) }];
    }
    return this.events.find(filter, HISTORY_PROJECTION).sort({ at: -1, _id: -1 }).limit(limit).lean<StoredEvent[]>().exec();
  }
}
