import { VISIBLE_USER_STATUSES, userSearchFilter, type UserRole, type UserStatus } from '@directory/schemas';
import type { Types } from 'mongoose';
import { trusted } from '../trusted';

// Built loosely and handed to Mongoose, which casts every value against the schema (strictQuery: throw).
export type UserFilter = Record<string, unknown>;

/** The directory's filters, already validated (and permitted for the caller) by the API. */
export interface DirectoryCriteria {
  q?: string;
  department?: string;
  role?: UserRole;
  /** One status; when absent, the statuses members may see. */
  status?: UserStatus;
  lastActiveAfter?: Date;
  /** Dormant: signed in before this instant, or never. */
  lastActiveBefore?: Date;
  /** Whether the user proved their email (`emailVerifiedAt` set); admins only. */
  verified?: boolean;
}

/** Directory pages: ordered by (sortName, _id). */
export interface NameCursor {
  sortName: string;
  id: Types.ObjectId;
}

export const NAME_ORDER = { sortName: 1, _id: 1 } as const;

export function visibleStatusFilter(): UserFilter {
  return { status: trusted({ $in: VISIBLE_USER_STATUSES }) };
}

/**
 * The MongoDB filter for the directory's filters, without any page position. Every
 * condition is an equality or a range on a key some index in user.schema.ts starts with:
 * q → {searchPrefixes, sortName, _id}; department → {department, sortName, _id}; role →
 * {roles, sortName, _id}; status → {status, sortName, _id}; lastActive* → {lastLoginAt}.
 */
export function directoryFilter(criteria: DirectoryCriteria): UserFilter {
  const filter: UserFilter = criteria.status ? { status: criteria.status } : visibleStatusFilter();
  // An equality on the stored prefixes (see userSearchFilter): served in name order by
  // {searchPrefixes, sortName, _id}; `q=.*` is the two characters ".*", never a pattern.
  Object.assign(filter, userSearchFilter(criteria.q));
  if (criteria.department) filter['department'] = criteria.department;
  if (criteria.role) filter['roles'] = criteria.role;
  // No index of its own: an admin filter, read in name order from the index the other filters pick.
  if (criteria.verified !== undefined) filter['emailVerifiedAt'] = criteria.verified ? trusted({ $ne: null }) : null;

  const { lastActiveAfter: after, lastActiveBefore: before } = criteria;
  if (after && before) {
    filter['lastLoginAt'] = trusted({ $gte: after, $lt: before });
  } else if (after) {
    filter['lastLoginAt'] = trusted({ $gte: after });
  } else if (before) {
    // Signed in before the instant, or never (no lastLoginAt; `null` matches missing).
    // Two ranges of the one {lastLoginAt} index: [null, null] and [-inf, before).
    filter['$and'] = [{ $or: [{ lastLoginAt: trusted({ $lt: before }) }, { lastLoginAt: null }] }];
  }
  return filter;
}

/**
 * Rows strictly after the cursor in (sortName, _id) order. `$gte` on sortName gives the
 * index scan its start bound; the `$or` only skips the few rows that tie on sortName and
 * were already shown. No skip(): page N costs what page 1 costs (PRINCIPLES.md #7).
 */
export function afterNameCursor(filter: UserFilter, cursor: NameCursor): UserFilter {
  const position: UserFilter = {
    sortName: trusted({ $gte: cursor.sortName }),
    $or: [{ sortName: trusted({ $gt: cursor.sortName }) }, { _id: trusted({ $gt: cursor.id }) }],
  };
  return { $and: [filter, position] };
}
