import { createHash } from 'node:crypto';
import type { Types } from 'mongoose';
import {
  EventKind,
  LoginFailureReason,
  MailTemplate,
  UserStatus,
  type ActivityFields,
  type EventKind as EventKindName,
  type LoginFailureReason as FailureReason,
} from '@directory/schemas';
import { IdTag, seededObjectId } from '../shared/object-id';
import { deriveSeed, Prng, type Weighted } from '../shared/prng';
import { EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES } from './name-pool';
import { DAY_MS, Stream, timeOfDay, type SeedPlan } from './seed-plan';
import type { SeededUser } from './seed-users';

/** An event as Mongoose would store it: discriminator key, buckets from the schema helpers, `__v`. */
export interface EventDoc {
  _id: Types.ObjectId;
  kind: EventKindName;
  userId?: Types.ObjectId;
  at: Date;
  day: string;
  week: string;
  month: string;
  cohortWeek?: string;
  /** LoginFailed: a LoginFailureReason; MailFailed: why delivery was given up. */
  reason?: FailureReason | (string & {});
  emailHash?: string;
  from?: string;
  to?: string;
  by?: Types.ObjectId;
  template?: MailTemplate;
  attempts?: number;
  __v: number;
}

export type ActivityDoc = ActivityFields & { _id: Types.ObjectId; __v: number };

/** Global sequences behind event and activity ids; advanced in user order, so deterministic. */
export interface IdCounters {
  event: number;
  activity: number;
}

export interface UserTimeline {
  events: EventDoc[];
  activities: ActivityDoc[];
  /** Undefined when the user never logged in within the period. */
  lastLoginAt?: Date;
}

/** How often a user logs in on a weekday while still engaged. */
const ENGAGEMENT: readonly Weighted<number>[] = [
  { value: 0.85, weight: 22 }, // daily users
  { value: 0.4, weight: 35 }, // a few times a week
  { value: 0.1, weight: 43 }, // occasional
];
const WEEKEND_FACTOR = 0.25;
/** Chance per week that an engaged user drifts away (retention decays by cohort week). */
const WEEKLY_CHURN = 0.06;
/** A churned user still shows up now and then. */
const CHURNED_FACTOR = 0.04;
const BAD_PASSWORD_BEFORE_LOGIN = 0.05;
const LOCKOUT_BEFORE_LOGIN = 0.003;
/** Failed attempts that trigger the lockout in this story (auth-api's own threshold may differ). */
const LOCKOUT_AFTER = 5;
const MINUTE = 60_000;

/**
 * A user's story from signup to the end of the period (or until they were suspended or
 * deleted): UserRegistered at signup (or UserInvited by an admin), the verification (or
 * invitation) mail asked for and sent or given up, EmailVerified (or InvitationAccepted) when
 * the link was followed; a first login minutes after joining (signup, or acceptance — a
 * pending invitee never logs in), then active days drawn
 * from an engagement level that decays with weeks since signup, so cohort retention falls off
 * the way it does in real products. Each active day yields 1-3 LoginSucceeded events and one
 * Activity rollup; some logins follow a mistyped password or, rarely, a lockout.
 */
export function generateUserTimeline(plan: SeedPlan, user: SeededUser, adminId: Types.ObjectId, counters: IdCounters): UserTimeline {
  const prng = new Prng(deriveSeed(plan.seedHash, Stream.Activity, user.index));
  const userId = user.doc._id;
  const cohortWeek = user.doc.signupWeek;
  const signupAt = user.doc.createdAt.getTime();
  const stopAt = user.statusChangedAt ?? plan.endMs;
  const events: EventDoc[] = [];
  const activities: ActivityDoc[] = [];

  const event = (kind: EventKindName, at: number, extra: Partial<EventDoc> = {}): void => {
    const keys = plan.dayKeys[Math.floor((at - plan.startMs) / DAY_MS)];
    if (!keys) throw new RangeError(`event outside the seeded period: ${new Date(at).toISOString()}`);
    events.push({
      _id: seededObjectId(at, IdTag.Event, plan.seedHash, counters.event++),
      kind,
      userId,
      at: new Date(at),
      day: keys.day,
      week: keys.week,
      month: keys.month,
      cohortWeek,
      ...extra,
      __v: 0,
    });
  };

  // How the account began (seed-users.ts decided it): registration or invitation, its mail, the link followed.
  const { lifecycle } = user;
  const template = lifecycle.invitedBy ? MailTemplate.Invitation : MailTemplate.EmailVerification;
  if (lifecycle.invitedBy) event(EventKind.UserInvited, signupAt, { by: lifecycle.invitedBy });
  else event(EventKind.UserRegistered, signupAt);
  event(EventKind.MailRequested, signupAt, { template });
  if (lifecycle.mailFailed) {
    event(EventKind.MailFailed, lifecycle.mailDoneAt, { template, reason: '550 5.1.1 mailbox unavailable' });
  } else {
    event(EventKind.MailSent, lifecycle.mailDoneAt, { template, attempts: lifecycle.mailAttempts });
  }
  if (lifecycle.acceptedAt !== undefined) event(EventKind.InvitationAccepted, lifecycle.acceptedAt);
  if (lifecycle.verifiedAt !== undefined) event(EventKind.EmailVerified, lifecycle.verifiedAt);
  // An invitee can log in once they accepted; one who has not never does.
  const joinedAt = lifecycle.invitedBy ? lifecycle.acceptedAt : signupAt;
  if (joinedAt === undefined) return { events, activities };

  const engagement = prng.weighted(ENGAGEMENT);
  const churnWeek = prng.geometric(WEEKLY_CHURN);
  const joinDay = Math.floor((joinedAt - plan.startMs) / DAY_MS);
  const lastDay = Math.floor((stopAt - 1 - plan.startMs) / DAY_MS);
  let lastLoginAt: number | undefined;

  for (let day = joinDay; day <= lastDay; day++) {
    const dayStart = plan.startMs + day * DAY_MS;
    const week = Math.floor((day - joinDay) / 7);
    const weekday = new Date(dayStart).getUTCDay() % 6 !== 0;
    const retention = week >= churnWeek ? CHURNED_FACTOR : 0.6 + 0.4 * Math.exp(-week / 3);
    const isSignupDay = day === joinDay;
    if (!isSignupDay && !prng.chance(engagement * retention * (weekday ? 1 : WEEKEND_FACTOR))) continue;

    const logins = isSignupDay
      ? [joinedAt + prng.int(1, 10) * MINUTE]
      : Array.from({ length: 1 + Number(prng.chance(0.3)) + Number(prng.chance(0.08)) }, () => dayStart + timeOfDay(prng));
    const valid = logins.filter((at) => at < stopAt && at < dayStart + DAY_MS).sort((a, b) => a - b);
    if (valid.length === 0) continue;

    for (const at of valid) {
      failuresBefore(at, prng, Math.max(joinedAt + 1, dayStart)).forEach(([when, reason]) =>
        event(EventKind.LoginFailed, when, { reason }),
      );
      event(EventKind.LoginSucceeded, at);
    }
    const first = valid[0] as number;
    const last = valid[valid.length - 1] as number;
    lastLoginAt = last;
    const keys = plan.dayKeys[day] as (typeof plan.dayKeys)[number];
    activities.push({
      _id: seededObjectId(first, IdTag.Activity, plan.seedHash, counters.activity++),
      userId,
      day: keys.day,
      week: keys.week,
      month: keys.month,
      cohortWeek,
      createdAt: new Date(first),
      updatedAt: new Date(last),
      __v: 0,
    });
  }

  if (user.statusChangedAt !== undefined) {
    event(EventKind.StatusChanged, user.statusChangedAt, { from: UserStatus.Active, to: user.doc.status, by: adminId });
  }
  return { events, activities, ...(lastLoginAt !== undefined && { lastLoginAt: new Date(lastLoginAt) }) };
}

/** Failed attempts shortly before a successful login, never before `notBefore`. */
function failuresBefore(loginAt: number, prng: Prng, notBefore: number): [number, FailureReason][] {
  if (prng.chance(LOCKOUT_BEFORE_LOGIN)) {
    // A burst of wrong passwords, the lockout refusing one more try, success after the lock expired.
    const lockedAt = loginAt - 16 * MINUTE;
    const burst: [number, FailureReason][] = Array.from({ length: LOCKOUT_AFTER }, (_, k) => [
      lockedAt - (LOCKOUT_AFTER - k) * 20_000,
      LoginFailureReason.BadPassword,
    ]);
    burst.push([lockedAt, LoginFailureReason.Locked]);
    return burst.filter(([at]) => at >= notBefore);
  }
  if (prng.chance(BAD_PASSWORD_BEFORE_LOGIN)) {
    const at = loginAt - prng.int(10, 120) * 1000;
    return at >= notBefore ? [[at, LoginFailureReason.BadPassword]] : [];
  }
  return [];
}

/**
 * Logins for addresses nobody registered (typos, credential stuffing): no userId and no
 * cohort, as the schema requires for `unknown_email`; `emailHash` lets analytics count
 * attempts per address. About 1.5 per 1,000 users per day.
 */
export function generateAnonymousFailures(plan: SeedPlan, counters: IdCounters): EventDoc[] {
  const prng = new Prng(deriveSeed(plan.seedHash, Stream.Anonymous));
  const events: EventDoc[] = [];
  for (let day = 0; day < plan.days; day++) {
    const keys = plan.dayKeys[day] as (typeof plan.dayKeys)[number];
    const count = Math.floor(plan.users * 0.0015 * (0.5 + prng.float()) + prng.float());
    for (let k = 0; k < count; k++) {
      const at = plan.startMs + day * DAY_MS + timeOfDay(prng);
      const email = `${prng.pick(FIRST_NAMES)}.${prng.pick(LAST_NAMES)}@${prng.weighted(EMAIL_DOMAINS)}`.toLowerCase();
      events.push({
        _id: seededObjectId(at, IdTag.Event, plan.seedHash, counters.event++),
        kind: EventKind.LoginFailed,
        at: new Date(at),
        day: keys.day,
        week: keys.week,
        month: keys.month,
        reason: LoginFailureReason.UnknownEmail,
        emailHash: createHash('sha256').update(email).digest('hex'),
        __v: 0,
      });
    }
  }
  return events;
}
