import { BadRequestException, ForbiddenException, Injectable } from '@nestjs/common';
import { toUserView, UsersRepository, type LeanUser, type UserView } from '@directory/data-access';
import { UserStatus } from '@directory/schemas';
import { Types } from 'mongoose';
import { userNotFound, UsersErrorCode } from '../common/errors';
import { isObjectIdHex } from '../common/object-id.pipe';
import { decodeNameCursor, encodeNameCursor } from '../common/page-cursor';
import { DEFAULT_PAGE_SIZE } from '../common/dto/page.query';
import type { Viewer } from '../common/viewer';
import { MAX_IDS, type ListUsersQuery } from './dto/list-users.query';
import { SearchEvents } from './search-events';
import { userFilter } from './user-filter';

export interface UserPage {
  items: UserView[];
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: string | null;
  /** Only with includeTotal=true (admins): every match of the filters, across all pages. */
  total?: number;
}

/** Parameters that page or filter, which `ids=` cannot be combined with. */
const NOT_WITH_IDS = [
  'q',
  'department',
  'role',
  'status',
  'limit',
  'after',
  'lastActiveBefore',
  'lastActiveAfter',
  'includeTotal',
  'verified',
] as const;

/** Directory reads: search and browse, one user, several users by id, direct reports. */
@Injectable()
export class DirectoryService {
  constructor(
    private readonly users: UsersRepository,
    private readonly searches: SearchEvents,
  ) {}

  async list(query: ListUsersQuery, viewer: Viewer): Promise<UserPage> {
    if (query.ids !== undefined) return { items: await this.byIds(query, viewer), nextCursor: null };
    if (query.includeTotal === 'true' && !viewer.admin) {
      throw new ForbiddenException({ message: 'includeTotal is for admins only', code: UsersErrorCode.Forbidden });
    }
    const filter = userFilter(query, viewer);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = query.after === undefined ? undefined : decodeNameCursor(query.after);
    const page = this.toPage(await this.users.page(filter, limit, cursor, viewer.admin), limit, viewer);
    if (query.includeTotal === 'true') page.total = await this.users.count(filter);
    // Off the request path: the search answers without waiting for its audit event.
    this.searches.record(viewer.id, query.q, page.items.length);
    return page;
  }

  /** Members see active and suspended users; admins also see pending invitations. Deleted users are not found. */
  async byId(id: Types.ObjectId, viewer: Viewer): Promise<UserView> {
    const user = viewer.admin ? await this.users.findForAdmin(id) : await this.users.findVisible(id, false);
    if (!user || user.status === UserStatus.Deleted) throw userNotFound();
    return toUserView(user, viewer);
  }

  async reports(managerId: Types.ObjectId, limit = DEFAULT_PAGE_SIZE, after: string | undefined, viewer: Viewer): Promise<UserPage> {
    if (!(await this.users.existsVisible(managerId))) throw userNotFound();
    const cursor = after === undefined ? undefined : decodeNameCursor(after);
    return this.toPage(await this.users.reportsPage(managerId, limit, cursor, viewer.admin), limit, viewer);
  }

  /** A page that is exactly full is followed by one empty page: nextCursor is null only on a short page. */
  private toPage(rows: LeanUser[], limit: number, viewer: Viewer): UserPage {
    const last = rows[rows.length - 1];
    return {
      items: rows.map((row) => toUserView(row, viewer)),
      nextCursor: rows.length === limit && last ? encodeNameCursor(last) : null,
    };
  }

  /** `ids=a,b,c`: one `_id $in` query, answered in the order asked; unknown, deleted or repeated ids are skipped. */
  private async byIds(query: ListUsersQuery, viewer: Viewer): Promise<UserView[]> {
    const combined = NOT_WITH_IDS.filter((name) => query[name] !== undefined);
    if (combined.length > 0) {
      throw new BadRequestException({ message: `ids cannot be combined with ${combined.join(', ')}`, code: UsersErrorCode.InvalidQuery });
    }
    const raw = (query.ids ?? '').split(',').map((id) => id.trim());
    if (raw.length > MAX_IDS)
      throw new BadRequestException({ message: `ids takes at most ${MAX_IDS} ids`, code: UsersErrorCode.InvalidQuery });
    if (raw.some((id) => !isObjectIdHex(id))) {
      throw new BadRequestException({ message: 'ids must be comma-separated 24-character hex ObjectIds', code: UsersErrorCode.InvalidId });
    }
    const unique = [...new Set(raw.map((id) => id.toLowerCase()))];
    const rows = await this.users.findVisibleByIds(
      unique.map((id) => new Types.ObjectId(id)),
      viewer.admin,
    );
    const byId = new Map(rows.map((row) => [row._id.toHexString(), row]));
    return unique.flatMap((id) => {
      const row = byId.get(id);
      return row ? [toUserView(row, viewer)] : [];
    });
  }
}
