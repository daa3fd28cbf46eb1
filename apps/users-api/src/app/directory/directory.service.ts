import { BadRequestException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ModelName, type UserFields } from '@directory/schemas';
import { Types, type Model } from 'mongoose';
import { DEFAULT_PAGE_SIZE } from './dto/page.query';
import { MAX_IDS, type ListUsersQuery } from './dto/list-users.query';
import { isObjectIdHex } from './object-id.pipe';
import { decodeNameCursor, encodeNameCursor } from './page-cursor';
import { UserEvents } from './user-events.service';
import { afterNameCursor, idsFilter, NAME_ORDER, userFilter, visibleStatusFilter, type UserFilter, type Viewer } from './user-filter';
import { ADMIN_USER_VIEW_PROJECTION, toUserView, USER_VIEW_PROJECTION, type LeanUser, type UserView } from './user-view';

export interface UserPage {
  items: UserView[];
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: string | null;
  /** Only with includeTotal=true (admins): every match of the filters, across all pages. */
  total?: number;
}

/** Parameters that page or filter, which `ids=` cannot be combined with. */
const NOT_WITH_IDS = ['q', 'department', 'role', 'status', 'limit', 'after', 'lastActiveBefore', 'lastActiveAfter', 'includeTotal'] as const;

export function notFound(): NotFoundException {
  return new NotFoundException({ message: 'User not found', code: 'not_found' });
}

/** Directory reads: search and browse, one user, several users by id, direct reports. */
@Injectable()
export class DirectoryService {
  constructor(
    @InjectModel(ModelName.User, 'fast') private readonly users: Model<UserFields>,
    private readonly events: UserEvents,
  ) {}

  async list(query: ListUsersQuery, viewer: Viewer): Promise<UserPage> {
    if (query.ids !== undefined) return { items: await this.byIds(query, viewer), nextCursor: null };
    if (query.includeTotal === 'true' && !viewer.admin) {
      throw new ForbiddenException({ message: 'includeTotal is for admins only', code: 'forbidden' });
    }
    const filter = userFilter(query, viewer);
    const page = await this.page(filter, query.limit, query.after, viewer);
    if (query.includeTotal === 'true') page.total = await this.users.countDocuments(filter).exec();
    await this.events.recordUserSearched(viewer.id, query.q, page.items.length);
    return page;
  }

  async byId(id: Types.ObjectId, viewer: Viewer): Promise<UserView> {
    const user = await this.users
      .findOne({ _id: id, ...visibleStatusFilter() }, viewer.admin ? ADMIN_USER_VIEW_PROJECTION : USER_VIEW_PROJECTION)
      .lean<LeanUser>()
      .exec();
    if (!user) throw notFound();
    return toUserView(user, viewer);
  }

  /** Direct reports of a visible user, in name order, from {managerId, sortName, _id}. */
  async reports(managerId: Types.ObjectId, limit: number | undefined, after: string | undefined, viewer: Viewer): Promise<UserPage> {
    const manager = await this.users.exists({ _id: managerId, ...visibleStatusFilter() }).exec();
    if (!manager) throw notFound();
    return this.page({ managerId, ...visibleStatusFilter() }, limit, after, viewer);
  }

  /**
   * One page in (sortName, _id) order. Exactly `limit` rows are read, never a look-ahead
   * row: with the cursor row re-checked at the inclusive start bound, a page then examines
   * at most limit + 1 index keys. The price: a page that is exactly full is followed by one
   * empty page (nextCursor is null only on a short page).
   */
  private async page(filter: UserFilter, limit = DEFAULT_PAGE_SIZE, after: string | undefined, viewer: Viewer): Promise<UserPage> {
    const positioned = after === undefined ? filter : afterNameCursor(filter, decodeNameCursor(after));
    const rows = await this.users
      .find(positioned, viewer.admin ? ADMIN_USER_VIEW_PROJECTION : USER_VIEW_PROJECTION)
      .sort(NAME_ORDER)
      .limit(limit)
      .lean<LeanUser[]>()
      .exec();
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
      throw new BadRequestException({ message: `ids cannot be combined with ${combined.join(', ')}`, code: 'invalid_query' });
    }
    const raw = (query.ids ?? '').split(',').map((id) => id.trim());
    if (raw.length > MAX_IDS) throw new BadRequestException({ message: `ids takes at most ${MAX_IDS} ids`, code: 'invalid_query' });
    if (raw.some((id) => !isObjectIdHex(id))) {
      throw new BadRequestException({ message: 'ids must be comma-separated 24-character hex ObjectIds', code: 'invalid_id' });
    }
    const unique = [...new Set(raw.map((id) => id.toLowerCase()))];
    const rows = await this.users
      .find(idsFilter(unique.map((id) => new Types.ObjectId(id))), viewer.admin ? ADMIN_USER_VIEW_PROJECTION : USER_VIEW_PROJECTION)
      .lean<LeanUser[]>()
      .exec();
    const byId = new Map(rows.map((row) => [row._id.toHexString(), row]));
    return unique.flatMap((id) => {
      const row = byId.get(id);
      return row ? [toUserView(row, viewer)] : [];
    });
  }
}
