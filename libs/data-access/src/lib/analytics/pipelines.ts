import { EventKind, UserStatus, VISIBLE_USER_STATUSES } from '@directory/schemas';
import type { PipelineStage } from 'mongoose';
import type { Interval } from './time-buckets';

/** User fields the breakdown report counts by. */
export const BREAKDOWN_KEYS = ['department', 'role', 'status', 'emailDomain'] as const;
export type BreakdownKey = (typeof BREAKDOWN_KEYS)[number];

/**
 * Every analytics pipeline, as data. They stay inside what FerretDB v1 also runs
 * (ARCHITECTURE.md): the first stage is a `$match` an index serves, `$group` uses `$sum`
 * only, expressions are field paths and literals. A distinct count is a `$group` on
 * (bucket, userId) then a `$group` on bucket with `$sum: 1`. Zero-filling, shares and week
 * sequences happen in TypeScript (analytics.service.ts). pipelines.spec.ts checks the subset.
 */

/** Stored bucket field of an interval on events and activities (`day`/`week`/`month`)... */
const EVENT_BUCKET: Record<Interval, string> = { day: '$day', week: '$week', month: '$month' };
/** ...and on users (`signupDay`/`signupWeek`/`signupMonth`). */
const SIGNUP_BUCKET: Record<Interval, string> = { day: '$signupDay', week: '$signupWeek', month: '$signupMonth' };

export interface BucketCount {
  _id: string;
  count: number;
}

/**
 * users: `$match createdAt ∈ [from, to)` — index `{ createdAt: 1, _id: 1 }`.
 * Every user document counts, soft-deleted ones too: they did sign up.
 */
export function signupsPipeline(interval: Interval, from: Date, to: Date): PipelineStage[] {
  return [{ $match: { createdAt: { $gte: from, $lt: to } } }, { $group: { _id: SIGNUP_BUCKET[interval], count: { $sum: 1 } } }];
}

/** activities: `$match day ∈ [from, to)` — index `{ day: 1 }`; distinct users per bucket. */
export function activeUsersPipeline(interval: Interval, fromDay: string, toDay: string): PipelineStage[] {
  return [
    { $match: { day: { $gte: fromDay, $lt: toDay } } },
    { $group: { _id: { bucket: EVENT_BUCKET[interval], userId: '$userId' } } },
    { $group: { _id: '$_id.bucket', count: { $sum: 1 } } },
  ];
}

export interface LoginCount {
  _id: { bucket: string; kind: string; reason?: string | null };
  count: number;
}

/** events: `$match kind ∈ {LoginSucceeded, LoginFailed}, day ∈ [from, to)` — index `{ kind: 1, day: 1 }`. */
export function loginsPipeline(interval: Interval, fromDay: string, toDay: string): PipelineStage[] {
  return [
    { $match: { kind: { $in: [EventKind.LoginSucceeded, EventKind.LoginFailed] }, day: { $gte: fromDay, $lt: toDay } } },
    { $group: { _id: { bucket: EVENT_BUCKET[interval], kind: '$kind', reason: '$reason' }, count: { $sum: 1 } } },
  ];
}

/** users: `$match signupWeek ∈ [first, last]` — index `{ signupWeek: 1 }`. */
export function cohortSizesPipeline(firstWeek: string, lastWeek: string): PipelineStage[] {
  return [{ $match: { signupWeek: { $gte: firstWeek, $lte: lastWeek } } }, { $group: { _id: '$signupWeek', count: { $sum: 1 } } }];
}

export interface CohortActiveCount {
  _id: { cohortWeek: string; week: string };
  count: number;
}

/**
 * activities: `$match week ∈ [first, last], cohortWeek ∈ [first, last]` — index
 * `{ week: 1, userId: 1 }` bounds the scan by week; cohortWeek filters what it returns.
 */
export function cohortActivityPipeline(firstWeek: string, lastWeek: string): PipelineStage[] {
  return [
    { $match: { week: { $gte: firstWeek, $lte: lastWeek }, cohortWeek: { $gte: firstWeek, $lte: lastWeek } } },
    { $group: { _id: { cohortWeek: '$cohortWeek', week: '$week', userId: '$userId' } } },
    { $group: { _id: { cohortWeek: '$_id.cohortWeek', week: '$_id.week' }, count: { $sum: 1 } } },
  ];
}

/** Who a breakdown counts: every status for `by=status`, otherwise the users still in the directory. */
export function breakdownStatuses(by: BreakdownKey): string[] {
  return by === 'status' ? Object.values(UserStatus) : [...VISIBLE_USER_STATUSES];
}

const BREAKDOWN_FIELD: Record<BreakdownKey, string> = {
  department: '$department',
  role: '$roles',
  status: '$status',
  emailDomain: '$emailDomain',
};

/** users: `$match status ∈ statuses` — index `{ status: 1, sortName: 1, _id: 1 }`; roles is an array, unwound first. */
function breakdownHead(by: BreakdownKey): PipelineStage[] {
  return [{ $match: { status: { $in: breakdownStatuses(by) } } }, ...(by === 'role' ? [{ $unwind: '$roles' }] : [])];
}

/** The `limit` largest groups (ties by key), so a high-cardinality key (emailDomain) never ships every group. */
export function breakdownTopPipeline(by: BreakdownKey, limit: number): PipelineStage[] {
  return [
    ...breakdownHead(by),
    { $group: { _id: BREAKDOWN_FIELD[by], count: { $sum: 1 } } },
    { $sort: { count: -1, _id: 1 } },
    { $limit: limit },
  ];
}

/** How many (user, key) pairs there are in all: the "other" row is this minus the top groups. */
export function breakdownTotalPipeline(by: BreakdownKey): PipelineStage[] {
  return [...breakdownHead(by), { $count: 'total' }];
}

/** The two account funnels, each a start event and the event that completes it (issue 13). */
export const FUNNELS = {
  verification: { started: EventKind.UserRegistered, completed: EventKind.EmailVerified },
  invitations: { started: EventKind.UserInvited, completed: EventKind.InvitationAccepted },
} as const;
export type FunnelName = keyof typeof FUNNELS;
export const FUNNEL_NAMES = Object.keys(FUNNELS) as FunnelName[];
/** Every step of every funnel, in FUNNELS order. */
export const FUNNEL_KINDS: readonly EventKind[] = FUNNEL_NAMES.flatMap((name) => [FUNNELS[name].started, FUNNELS[name].completed]);
/** Mail delivery outcomes (auth-api's sender), counted per message, not per user. */
export const MAIL_OUTCOME_KINDS: readonly EventKind[] = [EventKind.MailSent, EventKind.MailFailed];

export interface KindCount {
  _id: { bucket: string; kind: string };
  count: number;
}

/**
 * events: `$match kind ∈ funnel steps, day ∈ [from, to)` — index `{ kind: 1, day: 1 }`;
 * distinct users per (bucket, step), so a re-invitation or a second verification (after an
 * email change) counts its user once in a bucket.
 */
export function funnelStepsPipeline(interval: Interval, fromDay: string, toDay: string): PipelineStage[] {
  return [
    { $match: { kind: { $in: [...FUNNEL_KINDS] }, day: { $gte: fromDay, $lt: toDay } } },
    { $group: { _id: { bucket: EVENT_BUCKET[interval], kind: '$kind', userId: '$userId' } } },
    { $group: { _id: { bucket: '$_id.bucket', kind: '$_id.kind' }, count: { $sum: 1 } } },
  ];
}

/**
 * The same steps over the whole range: distinct users per step (a user invited in two weeks
 * counts once in the total, though once in each week's row).
 */
export function funnelTotalsPipeline(fromDay: string, toDay: string): PipelineStage[] {
  return [
    { $match: { kind: { $in: [...FUNNEL_KINDS] }, day: { $gte: fromDay, $lt: toDay } } },
    { $group: { _id: { kind: '$kind', userId: '$userId' } } },
    { $group: { _id: '$_id.kind', count: { $sum: 1 } } },
  ];
}

/** events: `$match kind ∈ {MailSent, MailFailed}, day ∈ [from, to)` — index `{ kind: 1, day: 1 }`; messages per bucket. */
export function mailOutcomesPipeline(interval: Interval, fromDay: string, toDay: string): PipelineStage[] {
  return [
    { $match: { kind: { $in: [...MAIL_OUTCOME_KINDS] }, day: { $gte: fromDay, $lt: toDay } } },
    { $group: { _id: { bucket: EVENT_BUCKET[interval], kind: '$kind' }, count: { $sum: 1 } } },
  ];
}
