import {
  ModelName,
  USER_SCHEMA,
  UserStatus,
  type SchemaRegistration,
  type SecondFactorType,
  type UserFields,
  type UserModel,
} from '@directory/schemas';
import type { Connection, Cursor, Types } from 'mongoose';
import { trusted } from '../trusted';
import { afterNameCursor, NAME_ORDER, visibleStatusFilter, type NameCursor, type UserFilter } from './user-filter';
import { ADMIN_USER_VIEW_PROJECTION, USER_VIEW_PROJECTION, type LeanUser } from './user-view';

/** What login and token issuing need of a user: `_id`, email, status, roles, cohort and revocation cutoff. */
export type LoginState = Pick<UserFields, 'email' | 'status' | 'roles' | 'signupWeek' | 'tokensValidAfter' | 'emailVerifiedAt'> & {
  _id: Types.ObjectId;
};

/** A user as stored right after a write (the whole document, lean). */
export type StoredUser = LeanUser & Pick<UserFields, 'signupWeek' | 'tokensValidAfter'>;

/** What the access-token revocation check reads: two fields by `_id`. */
export type TokenState = Pick<UserFields, 'status' | 'tokensValidAfter'>;

/** What an admin change is based on: roles and status before, the version to compare against. */
export type AdminTarget = Pick<UserFields, 'roles' | 'status' | 'signupWeek' | 'tokensValidAfter'> & { _id: Types.ObjectId; __v: number };

export interface UserChange {
  $set?: Record<string, unknown>;
  $unset?: Record<string, 1>;
  /** Also revoke every access token issued up to `now` (`previous`: the cutoff the change is based on). */
  revokeTokens?: { now: Date; previous?: Date | null };
}

const LOGIN_PROJECTION = { _id: 1, email: 1, status: 1, roles: 1, signupWeek: 1, tokensValidAfter: 1, emailVerifiedAt: 1 } as const;

/** What mail and the account-by-email flows check a user against. */
export type MailState = Pick<UserFields, 'email' | 'name' | 'status' | 'signupWeek' | 'emailVerifiedAt' | 'invitedAt'> & {
  _id: Types.ObjectId;
  __v: number;
};
const MAIL_STATE_PROJECTION = { email: 1, name: 1, status: 1, signupWeek: 1, emailVerifiedAt: 1, invitedAt: 1, __v: 1 } as const;

/**
 * Read preference of the revocation lookup: the primary, whatever the connection's default
 * (admin-analytics' slow connection reads secondaryPreferred, and replication lag would
 * stretch how long a revoked token works); primaryPreferred, not primary: without a primary
 * a stale answer beats refusing everyone.
 */
export const REVOCATION_READ_PREFERENCE = 'primaryPreferred';

/**
 * The start of the second after `now`: `iat` has whole-second precision, so every token
 * issued up to now has `iat` below it. When the previous cutoff is not yet in the past the
 * new one lies beyond it, because tokens issued after that cutoff carry `iat` = the cutoff.
 */
export function accessTokenCutoff(now: Date, previous?: Date | null): Date {
  const nextSecond = (Math.floor(now.getTime() / 1000) + 1) * 1000;
  const afterPrevious = previous ? (Math.floor(previous.getTime() / 1000) + 1) * 1000 : 0;
  return new Date(Math.max(nextSecond, afterPrevious));
}

/**
 * Every query on `users`: lean reads with projections on the hot paths (PRINCIPLES.md #10),
 * compare-and-set writes on the version (`__v`, PRINCIPLES.md #11), and the one writer of
 * the revocation cutoff `tokensValidAfter`, always through `$max` so that it never moves
 * backwards whoever writes concurrently. Indexes and why each exists: user.schema.ts.
 */
export class UsersRepository {
  static readonly schemas: readonly SchemaRegistration[] = [USER_SCHEMA];
  private readonly users: UserModel;

  constructor(connection: Connection) {
    this.users = connection.model(ModelName.User) as UserModel;
  }

  /** Through the schema (validation, derived keys); a taken email is a duplicate-key error. */
  async create(input: Pick<UserFields, 'email' | 'name'> & Partial<UserFields> & { _id?: Types.ObjectId }): Promise<StoredUser> {
    const user = await this.users.create(input);
    return user.toObject() as unknown as StoredUser;
  }

  async remove(id: Types.ObjectId): Promise<void> {
    await this.users.deleteOne({ _id: id }).exec();
  }

  /** By the unique email index. */
  findForLogin(email: string): Promise<LoginState | null> {
    return this.users.findOne({ email: email.trim().toLowerCase() }, LOGIN_PROJECTION).lean<LoginState>().exec();
  }

  findLoginState(id: Types.ObjectId | string): Promise<LoginState | null> {
    return this.users.findById(id, LOGIN_PROJECTION).lean<LoginState>().exec();
  }

  tokenState(id: string): Promise<TokenState | null> {
    return this.users.findById(id, { status: 1, tokensValidAfter: 1 }).read(REVOCATION_READ_PREFERENCE).lean<TokenState>().exec();
  }

  async markLoggedIn(id: Types.ObjectId, at: Date): Promise<void> {
    await this.users.updateOne({ _id: id }, { $set: { lastLoginAt: at } }).exec();
  }

  /**
   * Every access token issued to the user up to `now` stops working. `$max`: a concurrent
   * revocation with an earlier clock can never move the cutoff back. The read only lets the
   * new cutoff lie beyond a previous one that is not yet past (see `accessTokenCutoff`).
   */
  async revokeAccessTokens(id: Types.ObjectId, now: Date): Promise<void> {
    const current = await this.users.findById(id, { tokensValidAfter: 1 }).lean<Pick<UserFields, 'tokensValidAfter'>>().exec();
    await this.users.updateOne({ _id: id }, { $max: { tokensValidAfter: accessTokenCutoff(now, current?.tokensValidAfter) } }).exec();
  }

  /** A user the directory shows (not deleted), as the API shows it to members or admins. */
  findVisible(id: Types.ObjectId, admin: boolean): Promise<LeanUser | null> {
    return this.users
      .findOne({ _id: id, ...visibleStatusFilter() }, viewProjection(admin))
      .lean<LeanUser>()
      .exec();
  }

  /** Any status, as admins see it. */
  findForAdmin(id: Types.ObjectId): Promise<LeanUser | null> {
    return this.users.findById(id, ADMIN_USER_VIEW_PROJECTION).lean<LeanUser>().exec();
  }

  async existsVisible(id: Types.ObjectId): Promise<boolean> {
    return (await this.users.exists({ _id: id, ...visibleStatusFilter() }).exec()) !== null;
  }

  /**
   * One page in (sortName, _id) order, after `cursor` when given. Exactly `limit` rows are
   * read, never a look-ahead row: with the cursor row re-checked at the inclusive start
   * bound, a page examines at most limit + 1 index keys.
   */
  page(filter: UserFilter, limit: number, cursor: NameCursor | undefined, admin: boolean): Promise<LeanUser[]> {
    const positioned = cursor ? afterNameCursor(filter, cursor) : filter;
    return this.users.find(positioned, viewProjection(admin)).sort(NAME_ORDER).limit(limit).lean<LeanUser[]>().exec();
  }

  /** Direct reports, from {managerId, sortName, _id}. */
  reportsPage(managerId: Types.ObjectId, limit: number, cursor: NameCursor | undefined, admin: boolean): Promise<LeanUser[]> {
    return this.page({ managerId, ...visibleStatusFilter() }, limit, cursor, admin);
  }

  count(filter: UserFilter): Promise<number> {
    return this.users.countDocuments(filter).exec();
  }

  /** Visible users among `ids` (one `_id $in`), in no particular order. */
  findVisibleByIds(ids: Types.ObjectId[], admin: boolean): Promise<LeanUser[]> {
    return this.users
      .find({ _id: trusted({ $in: ids }), ...visibleStatusFilter() }, viewProjection(admin))
      .lean<LeanUser[]>()
      .exec();
  }

  /** One step up a manager chain (primary-key index, two fields). */
  managerLink(id: Types.ObjectId): Promise<{ managerId?: Types.ObjectId | null; status: UserStatus } | null> {
    return this.users.findById(id, { managerId: 1, status: 1 }).lean<{ managerId?: Types.ObjectId | null; status: UserStatus }>().exec();
  }

  /**
   * How many active users hold `role` (the last-admin guard, users-api), counting at most
   * `limit`: the guard only needs to know whether any is left. Reads the primary
   * ({roles, sortName, _id} index).
   */
  countActiveWithRole(role: string, limit: number, exceptId?: Types.ObjectId): Promise<number> {
    const filter: Record<string, unknown> = { roles: role, status: UserStatus.Active };
    if (exceptId) filter['_id'] = trusted({ $ne: exceptId });
    return this.users.countDocuments(filter, { limit }).read('primary').exec();
  }

  adminTarget(id: Types.ObjectId): Promise<AdminTarget | null> {
    return this.users.findById(id, { roles: 1, status: 1, signupWeek: 1, tokensValidAfter: 1, __v: 1 }).lean<AdminTarget>().exec();
  }

  /** Signup weeks (the cohort every event carries) of existing users among `ids`, by hex id. */
  async signupWeeks(ids: readonly Types.ObjectId[]): Promise<Map<string, string>> {
    const rows = await this.users
      .find({ _id: trusted({ $in: ids }) }, { signupWeek: 1 })
      .lean<{ _id: Types.ObjectId; signupWeek: string }[]>()
      .exec();
    return new Map(rows.map((row) => [row._id.toHexString(), row.signupWeek]));
  }

  /**
   * Applies `change` only if the user is still at `version` (and matches `extraFilter`),
   * bumping the version: one compare-and-set (PRINCIPLES.md #11). On MongoDB the
   * single-document write is atomic, so of two writers holding the same version exactly one
   * matches; the other changes nothing and gets null. (FerretDB v1 evaluates filter and
   * update non-atomically; see README.)
   */
  compareAndSet(id: Types.ObjectId, version: number, change: UserChange, extraFilter: UserFilter = {}): Promise<StoredUser | null> {
    const $set = change.$set ?? {};
    const $unset = change.$unset ?? {};
    const update: Record<string, unknown> = { $inc: { __v: 1 } };
    if (Object.keys($set).length > 0) update['$set'] = $set;
    if (Object.keys($unset).length > 0) update['$unset'] = $unset;
    // $max: a later cutoff written meanwhile by auth-api (which does not bump the version) stays.
    if (change.revokeTokens)
      update['$max'] = { tokensValidAfter: accessTokenCutoff(change.revokeTokens.now, change.revokeTokens.previous) };
    return (
      this.users
        .findOneAndUpdate({ _id: id, __v: version, ...extraFilter }, update, { returnDocument: 'after', runValidators: true })
        // No projection: FerretDB v1 does not implement findAndModify's `fields`. The user
        // document is small and toUserView picks what the API shows.
        .lean<StoredUser>()
        .exec()
    );
  }

  /** The state mail and the account-by-email flows are checked against (auth-api). */
  mailState(id: Types.ObjectId): Promise<MailState | null> {
    return this.users.findById(id, MAIL_STATE_PROJECTION).lean<MailState>().exec();
  }

  /**
   * Marks `email` verified, only while it is still the user's email (a verification proves
   * the address it was sent to, not whatever the user has now).
   */
  async markEmailVerified(id: Types.ObjectId, email: string, at: Date): Promise<boolean> {
    const result = await this.users.updateOne({ _id: id, email }, { $set: { emailVerifiedAt: at } }).exec();
    return result.matchedCount === 1;
  }

  /** auth-api's summary of the user's active second factors (after a factor is confirmed, removed or reset). */
  async recordSecondFactors(id: Types.ObjectId, types: readonly SecondFactorType[]): Promise<void> {
    await this.users.updateOne({ _id: id }, { $set: { secondFactors: [...new Set(types)].sort() } }).exec();
  }

  /** Every match in directory order, streamed in batches of `batchSize` (exports). */
  streamForAdmin(filter: UserFilter, batchSize: number): Cursor<LeanUser, unknown> {
    return this.users.find(filter, ADMIN_USER_VIEW_PROJECTION).sort(NAME_ORDER).lean<LeanUser[]>().batchSize(batchSize).cursor() as Cursor<
      LeanUser,
      unknown
    >;
  }
}

function viewProjection(admin: boolean) {
  return admin ? ADMIN_USER_VIEW_PROJECTION : USER_VIEW_PROJECTION;
}
