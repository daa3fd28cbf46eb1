import type { Types } from 'mongoose';
import { AuthenticationMethodType, type AuthenticationMethodFields } from '@directory/credentials';
import { UserRole, UserStatus, applyDerivedUserKeysToPlain, normalizeText, type UserFields } from '@directory/schemas';
import { IdTag, seededObjectId } from '../shared/object-id';
import { deriveSeed, Prng } from '../shared/prng';
import { DEPARTMENTS, EMAIL_DOMAINS, EXECUTIVE_DEPARTMENT, FIRST_NAMES, LAST_NAMES, LOCATIONS, NICKNAMES } from './name-pool';
import { DAY_MS, Stream, type SeedPlan } from './seed-plan';

/** What the raw driver inserts: the fields Mongoose would write, `_id` and `__v` included. */
export type UserDoc = UserFields & { _id: Types.ObjectId; __v: number };
export type AuthenticationMethodDoc = AuthenticationMethodFields & { _id: Types.ObjectId; __v: number };

/**
 * How the account began (issue 13): registered, then (mostly) verified its email through the
 * mailed link; or invited by an admin, then (mostly) accepted — which sets the password and
 * proves the email in one step. Instants are epoch ms inside the seeded period.
 */
export interface Lifecycle {
  /** Invited users: the admin who invited (the first seeded admin). */
  invitedBy?: Types.ObjectId;
  /** Invited users who accepted; an invited user without it is still `invited` (no password, no logins). */
  acceptedAt?: number;
  /** Registered users who followed the verification link (EmailVerified). */
  verifiedAt?: number;
  /** The first mail (verification or invitation): delivered after `mailAttempts` attempts at `mailDoneAt`, or given up. */
  mailAttempts: number;
  mailFailed: boolean;
  mailDoneAt: number;
}

export interface SeededUser {
  index: number;
  doc: UserDoc;
  /** None for a user still invited: they choose a password when they accept. */
  auth?: AuthenticationMethodDoc;
  lifecycle: Lifecycle;
  /** When a suspended or deleted user changed status; no logins after it. */
  statusChangedAt?: number;
}

export const SUSPENDED_SHARE = 0.03;
export const DELETED_SHARE = 0.02;
/** Users an admin invited rather than who registered themselves. */
export const INVITED_SHARE = 0.1;
/** Invitations accepted (the rest are still pending at the end of the period). */
export const ACCEPTED_SHARE = 0.8;
/** Registered users who verify their email. */
export const VERIFIED_SHARE = 0.9;
/** First mails given up after every attempt (the user then neither verifies nor accepts). */
export const MAIL_FAILED_SHARE = 0.01;
/** First mails that needed a second attempt. */
export const MAIL_RETRIED_SHARE = 0.05;
const MINUTE_MS = 60_000;

/**
 * Creates the users of a plan in index order. Sequential because emails are deduplicated
 * against earlier users (the second José Núñez is jose.nunez2@...); everything else about a
 * user comes from that user's own PRNG stream.
 */
export class UserFactory {
  private readonly emailCounts = new Map<string, number>();
  private nextIndex = 0;

  constructor(
    private readonly plan: SeedPlan,
    /** One argon2id hash shared by every seeded user: see seed-run.ts. */
    private readonly passwordHash: string,
  ) {}

  userId(index: number): Types.ObjectId {
    return seededObjectId(this.plan.signupAt[index], IdTag.User, this.plan.seedHash, index);
  }

  create(index: number): SeededUser {
    if (index !== this.nextIndex) throw new Error(`users are created in order: expected ${this.nextIndex}, got ${index}`);
    this.nextIndex++;
    const { plan } = this;
    const { tree } = plan;
    const prng = new Prng(deriveSeed(plan.seedHash, Stream.Profile, index));
    const createdAt = new Date(plan.signupAt[index]);
    const first = prng.pick(FIRST_NAMES);
    const last = prng.pick(LAST_NAMES);
    const location = prng.weighted(LOCATIONS);
    const isAdmin = plan.adminIndexes.includes(index);
    let status = index === 0 || isAdmin ? UserStatus.Active : drawStatus(prng);
    let statusChangedAt =
      status === UserStatus.Active ? undefined : Math.min(plan.endMs - 1, createdAt.getTime() + DAY_MS * (1 + prng.float() * 60));
    // Its own stream: the profile draws above and below are the same as before invitations existed.
    const lifecycle = this.lifecycle(index, createdAt.getTime(), index === 0 || isAdmin);
    if (lifecycle.invitedBy && lifecycle.acceptedAt === undefined) {
      status = UserStatus.Invited;
      statusChangedAt = undefined;
    } else if (statusChangedAt !== undefined && lifecycle.acceptedAt !== undefined && statusChangedAt <= lifecycle.acceptedAt) {
      // Suspended or deleted after they joined, never before.
      statusChangedAt = Math.min(plan.endMs - 1, lifecycle.acceptedAt + DAY_MS);
    }

    const doc: Partial<UserDoc> = {
      _id: this.userId(index),
      email: this.uniqueEmail(first, last, prng.weighted(EMAIL_DOMAINS)),
      name: { first, last },
    };
    const nickname = NICKNAMES[first];
    if (nickname && prng.chance(0.5)) doc.displayName = `${nickname} ${last}`;
    doc.title = titleOf(plan, index, prng);
    doc.department = DEPARTMENTS[tree.department[index]]?.name ?? EXECUTIVE_DEPARTMENT;
    doc.location = location.name;
    if (prng.chance(0.85)) doc.phone = phoneNumber(location.callingCode, prng);
    const manager = tree.managerOf[index];
    if (manager >= 0) doc.managerId = this.userId(manager);
    doc.roles = isAdmin ? [UserRole.Member, UserRole.Admin] : [UserRole.Member];
    doc.status = status;
    const verifiedAt = lifecycle.acceptedAt ?? lifecycle.verifiedAt;
    if (verifiedAt !== undefined) doc.emailVerifiedAt = new Date(verifiedAt);
    if (lifecycle.invitedBy) {
      doc.invitedBy = lifecycle.invitedBy;
      // As auth-api's acceptance leaves it: the pending invitation's instant goes, who invited stays.
      if (lifecycle.acceptedAt === undefined) doc.invitedAt = createdAt;
    }
    doc.createdAt = createdAt;
    doc.updatedAt = new Date(statusChangedAt ?? createdAt.getTime());
    doc.__v = 0;
    // The same derived keys the schema middleware writes (searchKeys, sortName, emailDomain,
    // signup buckets): the raw driver bypasses middleware (PRINCIPLES.md #9).
    applyDerivedUserKeysToPlain(doc);

    // The password exists from signup, or from the acceptance of the invitation; a pending invitee has none.
    const passwordAt = lifecycle.invitedBy ? lifecycle.acceptedAt : createdAt.getTime();
    const auth: AuthenticationMethodDoc | undefined =
      passwordAt === undefined
        ? undefined
        : {
            _id: seededObjectId(createdAt, IdTag.AuthenticationMethod, plan.seedHash, index),
            userId: doc._id as Types.ObjectId,
            type: AuthenticationMethodType.Password,
            secret: this.passwordHash,
            failedAttempts: 0,
            passwordChangedAt: new Date(passwordAt),
            needsRehash: false,
            createdAt: new Date(passwordAt),
            updatedAt: new Date(passwordAt),
            __v: 0,
          };
    if (verifiedAt !== undefined && verifiedAt > doc.updatedAt.getTime()) doc.updatedAt = new Date(verifiedAt);
    return {
      index,
      doc: doc as UserDoc,
      ...(auth && { auth }),
      lifecycle,
      ...(statusChangedAt !== undefined && { statusChangedAt }),
    };
  }

  /**
   * Invited or registered, the first mail's fate, verification or acceptance. Admins and the
   * first user registered and verified within minutes (the demo admin must be able to sign in
   * wherever AUTH_REQUIRE_VERIFIED_EMAIL is on). A step that would fall after the period has
   * not happened yet.
   */
  private lifecycle(index: number, signupAt: number, privileged: boolean): Lifecycle {
    const { plan } = this;
    const prng = new Prng(deriveSeed(plan.seedHash, Stream.Lifecycle, index));
    const invited = !privileged && prng.chance(INVITED_SHARE);
    const mailFailed = !privileged && prng.chance(MAIL_FAILED_SHARE);
    const mailAttempts = mailFailed ? 5 : prng.chance(MAIL_RETRIED_SHARE) ? 2 : 1;
    // Delivered within seconds; a retry waits its backoff; giving up takes the whole schedule.
    const mailDoneAt = Math.min(plan.endMs - 1, signupAt + (mailFailed ? 31 * MINUTE_MS : mailAttempts === 2 ? 2 * MINUTE_MS : 3_000));
    const lifecycle: Lifecycle = { mailAttempts, mailFailed, mailDoneAt };
    // Most follow a link within the hour, some days later (the draw is skewed towards soon).
    const followedAt = mailDoneAt + Math.floor(MINUTE_MS * (1 + prng.float() ** 3 * 4 * 24 * 60));
    const follows = !mailFailed && (privileged || prng.chance(invited ? ACCEPTED_SHARE : VERIFIED_SHARE));
    const at = privileged ? Math.min(plan.endMs - 1, mailDoneAt + 2 * MINUTE_MS) : followedAt;
    if (invited) {
      lifecycle.invitedBy = this.userId(plan.adminIndexes[0] ?? 0);
      if (follows && at < plan.endMs) lifecycle.acceptedAt = at;
    } else if (follows && at < plan.endMs) {
      lifecycle.verifiedAt = at;
    }
    return lifecycle;
  }

  private uniqueEmail(first: string, last: string, domain: string): string {
    const local = `${emailPart(first)}.${emailPart(last)}`;
    const key = `${local}@${domain}`;
    const seen = this.emailCounts.get(key) ?? 0;
    this.emailCounts.set(key, seen + 1);
    // Names never contain digits, so "jose.nunez2" cannot collide with another base address.
    return seen === 0 ? key : `${local}${seen + 1}@${domain}`;
  }
}

/** "Ó Briain" → "obriain", "Łukasz" → "lukasz": what a mail admin would make of the name. */
function emailPart(name: string): string {
  return normalizeText(name).replace(/[^a-z0-9]/g, '');
}

function drawStatus(prng: Prng): UserStatus {
  const roll = prng.float();
  if (roll < SUSPENDED_SHARE) return UserStatus.Suspended;
  if (roll < SUSPENDED_SHARE + DELETED_SHARE) return UserStatus.Deleted;
  return UserStatus.Active;
}

function titleOf(plan: SeedPlan, index: number, prng: Prng): string {
  const { tree } = plan;
  const spec = DEPARTMENTS[tree.department[index]];
  const level = tree.level[index];
  if (!spec) return 'Chief Executive Officer';
  if (level === 1) return `VP of ${spec.name}`;
  if (tree.reportCount[index] > 0) return level === 2 ? `Director of ${spec.name}` : spec.managerTitle;
  return prng.pick(spec.titles);
}

function phoneNumber(callingCode: string, prng: Prng): string {
  const digits = (count: number) => Array.from({ length: count }, () => prng.int(0, 9)).join('');
  return `+${callingCode} ${prng.int(2, 9)}${digits(2)} ${digits(3)} ${digits(4)}`;
}
