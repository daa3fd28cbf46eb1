import { BadRequestException, ConflictException, Injectable, Logger } from '@nestjs/common';
import { TokenRevocation } from '@directory/auth';
import { SessionsRepository, toUserView, UsersRepository, type AdminTarget, type UserView } from '@directory/data-access';
import { UserRole, UserStatus } from '@directory/schemas';
import type { Types } from 'mongoose';
import { AuditTrail } from '../audit/audit-trail.service';
import { lastAdmin, userNotFound, UsersErrorCode, versionConflict } from '../common/errors';
import { setOrClear, type SetAndUnset } from '../common/set-or-clear';
import type { AdminUpdateUserDto } from './dto/admin-update.dto';

const sameRoles = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((role) => b.includes(role));

function isActiveAdmin(user: { roles: readonly string[]; status: string }): boolean {
  return user.status === UserStatus.Active && user.roles.includes(UserRole.Admin);
}

function selfConflict(message: string): ConflictException {
  return new ConflictException({ message, code: UsersErrorCode.SelfLockout });
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
  private readonly logger = new Logger('AdminUsers');

  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly trail: AuditTrail,
    private readonly revocation: TokenRevocation,
  ) {}

  async update(adminId: string, targetId: Types.ObjectId, body: AdminUpdateUserDto, expectedVersion?: number): Promise<UserView> {
    const fields = (['roles', 'status', 'department', 'title'] as const).filter((field) => body[field] !== undefined);
    if (fields.length === 0)
      throw new BadRequestException({ message: 'Send at least one field to change', code: UsersErrorCode.EmptyUpdate });
    const self = targetId.equals(adminId);
    if (self && body.roles && !body.roles.includes(UserRole.Admin)) throw selfConflict('You cannot remove your own admin role');
    if (self && body.status && body.status !== UserStatus.Active) throw selfConflict('You cannot suspend or delete yourself');

    const target = await this.target(targetId);
    const version = expectedVersion ?? target.__v;
    if (version !== target.__v) throw versionConflict();
    // An invited user has no password yet: made active it could never sign in (the link needs `invited`).
    if (target.status === UserStatus.Invited && body.status !== undefined && body.status !== UserStatus.Deleted) {
      throw new ConflictException({
        message: 'The invitation is pending: it becomes active when accepted; revoke it with DELETE /users/invitations/:id',
        code: UsersErrorCode.InvitationPending,
      });
    }

    const now = new Date();
    const change: SetAndUnset = { $set: {}, $unset: {} };
    setOrClear(change, body, ['department', 'title']);
    const rolesChanged = body.roles !== undefined && !sameRoles(body.roles, target.roles);
    const statusChanged = body.status !== undefined && body.status !== target.status;
    if (rolesChanged) change.$set['roles'] = body.roles;
    if (statusChanged) change.$set['status'] = body.status;
    const leavesActive = statusChanged && body.status !== UserStatus.Active;
    const losesRole = rolesChanged && target.roles.some((role) => !body.roles?.includes(role));

    if (Object.keys(change.$set).length === 0 && Object.keys(change.$unset).length === 0) {
      // Nothing differs from what is stored: no write, no version bump, no event.
      return this.view(targetId);
    }
    const removesAdmin =
      isActiveAdmin(target) && !isActiveAdmin({ roles: body.roles ?? target.roles, status: body.status ?? target.status });
    if (removesAdmin && (await this.users.countActiveWithRole(UserRole.Admin, 1, targetId)) === 0) throw lastAdmin();
    // Tokens carry roles and are checked against status: both changes must bite now, not at expiry.
    const updated = await this.users.compareAndSet(targetId, version, {
      ...change,
      ...((leavesActive || losesRole) && { revokeTokens: { now, previous: target.tokensValidAfter } }),
    });
    if (!updated) throw versionConflict();
    if (removesAdmin) await this.keepAnAdmin(targetId, target, updated.__v ?? version + 1);
    if (leavesActive) await this.sessions.endAllOfUser(targetId, now);
    // This process's guard caches a user's status for a few seconds: drop it so the change applies now.
    if (statusChanged || rolesChanged) this.revocation.forget(targetId.toHexString());

    const subject = { _id: targetId, signupWeek: updated.signupWeek };
    if (rolesChanged && body.roles) await this.trail.recordRoleChanged(subject, target.roles, body.roles, adminId);
    if (statusChanged && body.status) await this.trail.recordStatusChanged(subject, target.status, body.status, adminId);
    const profileFields = [...Object.keys(change.$set), ...Object.keys(change.$unset)].filter(
      (field) => field === 'department' || field === 'title',
    );
    if (profileFields.length > 0) await this.trail.recordProfileUpdated(subject, profileFields.sort(), adminId);
    return toUserView(updated, { admin: true });
  }

  /**
   * The last-admin guard, safe under concurrency on every backend (FerretDB v1 does not apply
   * conditional updates atomically, so "demote unless the last" cannot be one update): check
   * before, write, count again after the write, and undo the write when no active admin is
   * left. Of two admins demoting each other at once, each counts after its own write; any
   * that counts zero undoes its change, so the last write's count always sees at least one.
   * The worst case is that both are refused (409) and both stay admins.
   */
  private async keepAnAdmin(targetId: Types.ObjectId, before: AdminTarget, version: number): Promise<void> {
    if ((await this.users.countActiveWithRole(UserRole.Admin, 1)) > 0) return;
    const undone = await this.users.compareAndSet(targetId, version, { $set: { roles: before.roles, status: before.status } });
    if (!undone) {
      // Someone changed the target in between: restore its admin access whatever the version.
      const current = await this.users.adminTarget(targetId);
      const restored =
        current && (await this.users.compareAndSet(targetId, current.__v, { $set: { roles: before.roles, status: before.status } }));
      if (!restored)
        this.logger.error({ userId: targetId.toHexString() }, 'last-admin guard could not undo a change; no active admin may be left');
    }
    this.revocation.forget(targetId.toHexString());
    throw lastAdmin();
  }

  /** Soft delete: the document stays (events and reports keep their subject), hidden from the directory. */
  async remove(adminId: string, targetId: Types.ObjectId): Promise<void> {
    if (targetId.equals(adminId)) throw selfConflict('You cannot delete yourself');
    const target = await this.target(targetId);
    if (target.status === UserStatus.Deleted) return; // already gone: DELETE is idempotent
    await this.update(adminId, targetId, { status: UserStatus.Deleted }, target.__v);
  }

  private async view(id: Types.ObjectId): Promise<UserView> {
    const user = await this.users.findForAdmin(id);
    if (!user) throw userNotFound();
    return toUserView(user, { admin: true });
  }

  private async target(id: Types.ObjectId): Promise<AdminTarget> {
    const target = await this.users.adminTarget(id);
    if (!target) throw userNotFound();
    return target;
  }
}
