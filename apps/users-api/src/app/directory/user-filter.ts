import { ForbiddenException } from '@nestjs/common';
import { directoryFilter, type UserFilter } from '@directory/data-access';
import { UserStatus } from '@directory/schemas';
import { UsersErrorCode } from '../common/errors';
import type { Viewer } from '../common/viewer';
import type { UserFilterQuery } from './dto/user-filter.query';

function forbidden(parameter: string): ForbiddenException {
  return new ForbiddenException({ message: `${parameter} is for admins only`, code: UsersErrorCode.Forbidden });
}

/** The directory's query parameters as a filter, after checking the caller may use them. */
export function userFilter(query: UserFilterQuery, viewer: Viewer): UserFilter {
  if (!viewer.admin) {
    if (query.status === UserStatus.Deleted) throw forbidden('status=deleted');
    if (query.status === UserStatus.Invited) throw forbidden('status=invited');
    if (query.verified !== undefined) throw forbidden('verified');
    if (query.lastActiveBefore !== undefined) throw forbidden('lastActiveBefore');
    if (query.lastActiveAfter !== undefined) throw forbidden('lastActiveAfter');
  }
  return directoryFilter({
    q: query.q,
    department: query.department,
    role: query.role,
    status: query.status,
    lastActiveAfter: query.lastActiveAfter ? new Date(query.lastActiveAfter) : undefined,
    lastActiveBefore: query.lastActiveBefore ? new Date(query.lastActiveBefore) : undefined,
    verified: query.verified === undefined ? undefined : query.verified === 'true',
  });
}
