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

export interface SeededUser {
  index: number;
  doc: UserDoc;
  auth: AuthenticationMethodDoc;
  /** When a suspended or deleted user changed status; no logins after it. */
  statusChangedAt?: number;
}

export const SUSPENDED_SHARE = 0.03;
export const DELETED_SHARE = 0.02;

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
    const status = index === 0 || isAdmin ? UserStatus.Active : drawStatus(prng);
    const statusChangedAt =
      status === UserStatus.Active ? undefined : Math.min(plan.endMs - 1, createdAt.getTime() + DAY_MS * (1 + prng.float() * 60));

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
    doc.createdAt = createdAt;
    doc.updatedAt = new Date(statusChangedAt ?? createdAt.getTime());
    doc.__v = 0;
    // The same derived keys the schema middleware writes (searchKeys, sortName, emailDomain,
    // signup buckets): the raw driver bypasses middleware (PRINCIPLES.md #9).
    applyDerivedUserKeysToPlain(doc);

    const auth: AuthenticationMethodDoc = {
      _id: seededObjectId(createdAt, IdTag.AuthenticationMethod, plan.seedHash, index),
      userId: doc._id as Types.ObjectId,
      type: AuthenticationMethodType.Password,
      secret: this.passwordHash,
      failedAttempts: 0,
      passwordChangedAt: createdAt,
      needsRehash: false,
      createdAt,
      updatedAt: createdAt,
      __v: 0,
    };
    return { index, doc: doc as UserDoc, auth, ...(statusChangedAt !== undefined && { statusChangedAt }) };
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
