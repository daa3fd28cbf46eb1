import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { accessTokenCutoff, TokenRevocation } from '@directory/auth';
import { ModelName, UserRole, UserStatus, type SessionFields, type UserFields } from '@directory/schemas';
import { Types, type Model } from 'mongoose';
import { notFound } from './directory.service';
import type { AdminUpdateUserDto } from './dto/admin-update.dto';
import { compareAndSet, setOrClear, versionConflict } from './profile.service';
import { UserEvents } from './user-events.service';
import { ADMIN_USER_VIEW_PROJECTION, toUserView, type LeanUser, type UserView } from './user-view';

type AdminTarget = Pick<UserFields, 'roles' | 'status' | 'signupWeek' | 'tokensValidAfter'> & { _id: Types.ObjectId; __v: number };

const sameRoles = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((role) => b.includes(role));

function selfConflict(message: string): ConflictException {
  return new ConflictException({ message, code: 'self_lockout' });
}

/**
 * Admin user management. Every change is one compare-and-set on the version the admin's
 * change is based on (the `If-Match` they sent, or the version just read), so the
 * RoleChanged/StatusChanged events record a true before → after. Taking a user out of
 * `active`, or taking a role away, revokes their access tokens at once (`tokensValidAfter`)
 * and, for suspension and deletion, ends their sessions so a refresh fails too.
 */
@Injectable()
export class AdminUsersService {
  constructor(
    @InjectModel(ModelName.User, 'fast') private readonly users: Model<UserFields>,
    @InjectModel(ModelName.Session, 'fast') private readonly sessions: Model<SessionFields>,
    private readonly events: UserEvents,
    private readonly revocation: TokenRevocation,
  ) {}

  async update(adminId: string, targetId: Types.ObjectId, body: AdminUpdateUserDto, expectedVersion?: number): Promise<UserView> {
    const fields = (['roles', 'status', 'department', 'title'] as const).filter((field) => body[field] !== undefined);
    if (fields.length === 0) throw new BadRequestException({ message: 'Send at least one field to change', code: 'empty_update' });
    const self = targetId.equals(adminId);
    if (self && body.roles && !body.roles.includes(UserRole.Admin)) throw selfConflict('You cannot remove your own admin role');
    if (self && body.status && body.status !== UserStatus.Active) throw selfConflict('You cannot suspend or delete yourself');

    const target = await this.target(targetId);
    const version = expectedVersion ?? target.__v;
    if (version !== target.__v) throw versionConflict();

    const now = new Date();
    const $set: Record<string, unknown> = {};
    const $unset: Record<string, 1> = {};
    setOrClear({ $set, $unset }, body, ['department', 'title']);
    const rolesChanged = body.roles !== undefined && !sameRoles(body.roles, target.roles);
    const statusChanged = body.status !== undefined && body.status !== target.status;
    if (rolesChanged) $set['roles'] = body.roles;
    if (statusChanged) $set['status'] = body.status;
    const leavesActive = statusChanged && body.status !== UserStatus.Active;
    const losesRole = rolesChanged && target.roles.some((role) => !body.roles?.includes(role));
    // Tokens carry roles and are checked against status: both changes must bite now, not at expiry.
    if (leavesActive || losesRole) $set['tokensValidAfter'] = accessTokenCutoff(now, target.tokensValidAfter);

    if (Object.keys($set).length === 0 && Object.keys($unset).length === 0) {
      // Nothing differs from what is stored: no write, no version bump, no event.
      return this.view(targetId);
    }
    const updated = await compareAndSet(this.users, targetId, version, { $set, $unset });
    if (!updated) throw versionConflict();
    if (leavesActive) await this.endSessions(targetId, now);
    // This process's guard caches a user's status for a few seconds: drop it so the change applies now.
    if (statusChanged || rolesChanged) this.revocation.forget(targetId.toHexString());

    const subject = { _id: targetId, signupWeek: updated.signupWeek };
    if (rolesChanged && body.roles) await this.events.recordRoleChanged(subject, target.roles, body.roles, adminId);
    if (statusChanged && body.status) await this.events.recordStatusChanged(subject, target.status, body.status, adminId);
    const profileFields = [...Object.keys($set), ...Object.keys($unset)].filter((field) => field === 'department' || field === 'title');
    if (profileFields.length > 0) await this.events.recordProfileUpdated(subject, profileFields.sort());
    return toUserView(updated, { admin: true });
  }

  /** Soft delete: the document stays (events and reports keep their subject), hidden from the directory. */
  async remove(adminId: string, targetId: Types.ObjectId): Promise<void> {
    if (targetId.equals(adminId)) throw selfConflict('You cannot delete yourself');
    const target = await this.target(targetId);
    if (target.status === UserStatus.Deleted) return; // already gone: DELETE is idempotent
    await this.update(adminId, targetId, { status: UserStatus.Deleted }, target.__v);
  }

  private async view(id: Types.ObjectId): Promise<UserView> {
    const user = await this.users.findById(id, ADMIN_USER_VIEW_PROJECTION).lean<LeanUser>().exec();
    if (!user) throw notFound();
    return toUserView(user, { admin: true });
  }

  private async target(id: Types.ObjectId): Promise<AdminTarget> {
    const target = await this.users
      .findById(id, { roles: 1, status: 1, signupWeek: 1, tokensValidAfter: 1, __v: 1 })
      .lean<AdminTarget>()
      .exec();
    if (!target) throw notFound();
    return target;
  }

  /** Every live session of the user: their refresh tokens stop working. */
  private async endSessions(userId: Types.ObjectId, now: Date): Promise<void> {
    await this.sessions.updateMany({ userId, revokedAt: null }, { $set: { revokedAt: now } }).exec();
  }
}
