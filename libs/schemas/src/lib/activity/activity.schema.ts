import { Document, Schema, type HydratedDocument, type Query, type Types } from 'mongoose';
import { ModelName } from '../registry';
import { isoWeekKey, monthKey, parseDayKey } from '../shared/normalize';
import { DAY_KEY_PATTERN, WEEK_KEY_PATTERN } from '../shared/patterns';
import { sharedSchemaOptions } from '../shared/schema-options';
import { UnsupportedUpdateError, assignmentTo, asUpdateDocument, withSet, withSetOnInsert, withoutPaths } from '../shared/update-document';

export interface ActivityFields {
  userId: Types.ObjectId;
  /** UTC day the user was active, `YYYY-MM-DD`; with userId the identity of the rollup. */
  day: string;
  /** Buckets of `day`, written by middleware. */
  week: string;
  month: string;
  /** The user's signup week, passed by the writer like on events. */
  cohortWeek: string;
  createdAt: Date;
  updatedAt: Date;
}
export type ActivityDocument = HydratedDocument<ActivityFields>;

const DERIVED_FROM_DAY = ['week', 'month'] as const;

/** The week and month a day key falls in. */
export function activityKeys(day: string): Pick<ActivityFields, 'week' | 'month'> {
  const date = parseDayKey(day);
  return { week: isoWeekKey(date), month: monthKey(date) };
}

/**
 * Daily rollup: one document per (user, day), upserted on each successful login, e.g.
 * `updateOne({ userId, day }, { $setOnInsert: { cohortWeek } }, { upsert: true })`.
 * Active users and retention count these, so their cost grows with active user-days,
 * not with raw events.
 */
export const ActivitySchema = new Schema<ActivityFields>(
  {
    userId: {
      type: Schema.Types.ObjectId,
      ref: ModelName.User,
      required: true,
    },
    day: { type: String, required: true, match: DAY_KEY_PATTERN },
    week: { type: String, required: true },
    month: { type: String, required: true },
    cohortWeek: { type: String, required: true, match: WEEK_KEY_PATTERN },
  },
  sharedSchemaOptions({ collection: 'activities' }),
);

ActivitySchema.index({ userId: 1, day: 1 }, { unique: true }); // the login upsert's key; unique = one rollup per user-day, even under races
ActivitySchema.index({ week: 1, userId: 1 }); // weekly active users and cohort retention: $match week range, $group by (week, userId)
ActivitySchema.index({ day: 1 }); // daily active users: $match day range, $group by day

/** week/month always follow `day`; whatever a writer put there is overwritten. */
function applyActivityKeys(doc: ActivityDocument): void {
  if (!doc.day) return; // `required` reports it
  try {
    doc.set(activityKeys(doc.day));
  } catch {
    // Reported as a ValidationError on `day`, like any other bad input.
    doc.invalidate('day', 'day must be a calendar day as YYYY-MM-DD', doc.day);
  }
}

ActivitySchema.pre('validate', function () {
  applyActivityKeys(this);
});
ActivitySchema.pre('save', function () {
  applyActivityKeys(this);
});
ActivitySchema.pre('insertMany', function (docs: unknown) {
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    // Plain objects given to insertMany({ lean: true }) skip validation; documents are handled above.
    const plain = doc as Partial<ActivityFields> | null;
    if (plain && typeof plain === 'object' && !(plain instanceof Document) && plain.day) {
      Object.assign(plain, activityKeys(plain.day));
    }
  }
});

function dayIn(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * Query middleware for the login upsert: week/month are dropped from the update and
 * recomputed from the day being written — from `$set` when the day changes, otherwise,
 * on insert, from the filter's `day`.
 */
export function recomputeActivityKeysOnUpdate(this: Query<unknown, unknown>): void {
  const raw = asUpdateDocument(this.getUpdate(), 'activities');
  if (!raw) return;
  const update = withoutPaths(raw, DERIVED_FROM_DAY);
  const assigned = assignmentTo(update, 'day');
  if (assigned.assigned) {
    const day = dayIn(assigned.value);
    if (!day) throw new UnsupportedUpdateError('An activity day cannot be removed');
    this.setUpdate(withSet(update, activityKeys(day)));
    return;
  }
  if (this.getOptions().upsert) {
    const day = dayIn(this.getFilter()['day']);
    if (!day) throw new UnsupportedUpdateError('An activity upsert needs `day` as an equality in its filter');
    this.setUpdate(withSetOnInsert(update, activityKeys(day)));
    return;
  }
  this.setUpdate(update);
}

ActivitySchema.pre(['findOneAndUpdate', 'updateOne', 'updateMany'], recomputeActivityKeysOnUpdate);
