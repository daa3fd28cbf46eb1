import { ForbiddenException } from '@nestjs/common';
import { UserRole, UserStatus, VISIBLE_USER_STATUSES, userSearchFilter } from '@directory/schemas';
import mongoose, { type Types } from 'mongoose';
import type { UserFilterQuery } from './dto/user-filter.query';
import type { NameCursor } from './page-cursor';

/** Who is asking: admins may see deleted users and use the dormant-account filters. */
export interface Viewer {
  id: string;
  admin: boolean;
}

export function viewerOf(user: { id: string; roles: string[] }): Viewer {
  return { id: user.id, admin: user.roles.includes(UserRole.Admin) };
}


// Built loosely and handed to Mongoose, which casts every value against the schema (strictQuery: throw).
export type UserFilter = Record<string, unknown>;

/**
 * Every operator built here is wrapped in `mongoose.trusted()`: connections run with
 * `sanitizeFilter`, which turns any other operator object into a literal `$eq`.
 */
export const trusted = <T extends object>(operator: T): T => mongoose.trusted(operator) as T;

export function visibleStatusFilter(): UserFilter {
  return { status: trusted({ $in: VISIBLE_USER_STATUSES }) };
}

function forbidden(parameter: string): ForbiddenException {
  return new ForbiddenException({ message: `${parameter} is for admins only`, code: 'forbidden' });
}

/**
 * The MongoDB filter for the directory's filters, without any page position. Every
 * condition is an equality or a range on a key some index in user.schema.ts starts with:
 * q → {searchPrefixes, sortName, _id}; department → {department, sortName, _id}; role →
 * {roles, sortName, _id}; status → {status, sortName, _id}; lastActive* → {lastLoginAt}.
 */
export function userFilter(query: UserFilterQuery, viewer: Viewer): UserFilter {
  if (!viewer.admin) {
    if (query.status === UserStatus.Deleted) throw forbidden('status=deleted');
    if (query.lastActiveBefore !== undefined) throw forbidden('lastActiveBefore');
    if (query.lastActiveAfter !== undefined) throw forbidden('lastActiveAfter');
  }
  const filter: UserFilter = query.status ? { status: query.status } : visibleStatusFilter();
  // An equality on the stored prefixes (see userSearchFilter): served in name order by
  // {searchPrefixes, sortName, _id}; `q=.*` is the two characters ".*", never a pattern.
  Object.assign(filter, userSearchFilter(query.q));
  if (query.department) filter.department = query.department;
  if (query.role) filter.roles = query.role;

  const after = query.lastActiveAfter ? new Date(query.lastActiveAfter) : undefined;
  const before = query.lastActiveBefore ? new Date(query.lastActiveBefore) : undefined;
  if (after && before) {
    filter.lastLoginAt = trusted({ $gte: after, $lt: before });
  } else if (after) {
    filter.lastLoginAt = trusted({ $gte: after });
  } else if (before) {
    // Dormant: signed in before the instant, or never (no lastLoginAt; `null` matches missing).
    // Two ranges of the one {lastLoginAt} index: [null, null] and [-inf, before).
    filter.$and = [{ $or: [{ lastLoginAt: trusted({ $lt: before }) }, { lastLoginAt: null }] }];
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

export const NAME_ORDER = { sortName: 1, _id: 1 } as const;

export function idsFilter(ids: Types.ObjectId[]): UserFilter {
  return { _id: trusted({ $in: ids }), ...visibleStatusFilter() };
}
