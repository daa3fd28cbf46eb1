import { Document, Schema, type HydratedDocument } from 'mongoose';
import { ModelName } from '../registry';
import { timeBucketKeys, type TimeBucketKeys } from '../shared/normalize';
import { WEEK_KEY_PATTERN } from '../shared/patterns';
import { sharedSchemaOptions } from '../shared/schema-options';
import { EVENT_DISCRIMINATOR_KEY, EVENT_KINDS, EventKind, LoginFailureReason } from './event.constants';
import type { EventBaseFields } from './event.types';

export type EventDocument = HydratedDocument<EventBaseFields>;

/**
 * Buckets of an event instant. Middleware computes them on validate/save/insertMany;
 * call this only when writing events through the raw driver (PRINCIPLES.md #9).
 */
export function eventKeys(at: Date): TimeBucketKeys {
  return timeBucketKeys(at);
}

/**
 * A failed login for an email nobody registered, or a mail asked for such an address (a
 * forgot-password), has no subject user, hence no cohort either.
 */
export function isAnonymousEvent(doc: { get(path: string): unknown }): boolean {
  const kind = doc.get(EVENT_DISCRIMINATOR_KEY);
  if (kind === EventKind.LoginFailed) return doc.get('reason') === LoginFailureReason.UnknownEmail;
  return kind === EventKind.MailRequested && doc.get('userId') == null && doc.get('emailHash') != null;
}

function requiresUser(this: EventDocument): boolean {
  return !isAnonymousEvent(this);
}

/**
 * ONE collection for every kind of event, told apart by the discriminator key `kind`
 * (PRINCIPLES.md #9): they share the indexes below, and one `$match` on `kind` + a bucket
 * counts any of them. Each kind adds its own fields in event-kinds.schema.ts.
 * Append-only and stamped with `at`, so no timestamps.
 */
export const EventSchema = new Schema<EventBaseFields>(
  {
    // Declared (not just implied by discriminatorKey) so a base-model event without a kind fails validation.
    kind: { type: String, enum: EVENT_KINDS, required: true },
    userId: {
      type: Schema.Types.ObjectId,
      ref: ModelName.User,
      required: requiresUser,
    },
    at: { type: Date, required: true, default: () => new Date() },
    day: { type: String, required: true },
    week: { type: String, required: true },
    month: { type: String, required: true },
    cohortWeek: {
      type: String,
      required: requiresUser,
      match: WEEK_KEY_PATTERN,
    },
  },
  sharedSchemaOptions({
    collection: 'events',
    discriminatorKey: EVENT_DISCRIMINATOR_KEY,
    timestamps: false,
  }),
);

EventSchema.index({ kind: 1, day: 1 }); // /analytics/logins and signups per day: $match kind (+ day range), $group by day
EventSchema.index({ userId: 1, at: -1, _id: -1 }); // a user's history, newest first, cursor (at, _id): no in-memory sort of ties

/** Buckets always follow `at`; a value a writer put in day/week/month is overwritten. */
function applyEventKeys(doc: EventDocument): void {
  // A missing or uncastable `at` is reported by its own validators.
  if (doc.at instanceof Date && !Number.isNaN(doc.at.getTime())) doc.set(eventKeys(doc.at));
}

EventSchema.pre('validate', function () {
  applyEventKeys(this);
});
EventSchema.pre('save', function () {
  applyEventKeys(this);
});

/** The same for a plain object, which insertMany({ lean: true }) writes without documents or validation. */
export function applyEventKeysToPlain(plain: Partial<EventBaseFields>): void {
  plain.at = plain.at ? new Date(plain.at) : new Date();
  Object.assign(plain, eventKeys(plain.at));
}

EventSchema.pre('insertMany', function (docs: unknown) {
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    // Documents get their keys in pre('validate'); only plain objects need them here.
    if (doc && typeof doc === 'object' && !(doc instanceof Document)) applyEventKeysToPlain(doc);
  }
});
