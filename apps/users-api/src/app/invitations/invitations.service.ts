import { ConflictException, Injectable } from '@nestjs/common';
import { directoryFilter, OutboxRepository, toUserView, UsersRepository, type MailState, type UserView } from '@directory/data-access';
import { MailTemplate, UserRole, UserStatus } from '@directory/schemas';
import { Types } from 'mongoose';
import { AuditTrail } from '../audit/audit-trail.service';
import { emailTaken, userNotFound, UsersErrorCode, versionConflict } from '../common/errors';
import { DEFAULT_PAGE_SIZE } from '../common/dto/page.query';
import { decodeNameCursor, encodeNameCursor } from '../common/page-cursor';
import { assertValidManager } from '../profile/manager-chain';
import type { InviteUserDto } from './dto/invite-user.dto';

const DUPLICATE_KEY = 11000;

/** Profile fields an invitation sets (and a re-invitation through POST replaces when given). */
const PROFILE_TEXTS = ['department', 'title', 'location', 'phone'] as const;

function notInvited(status: string): ConflictException {
  return new ConflictException({ message: `The user is ${status}, not a pending invitation`, code: UsersErrorCode.NotInvited });
}

/** The profile an invitation body describes, as `$set` keys (name parts dotted, managerId cast). */
function invitationFields(body: InviteUserDto): Record<string, unknown> {
  const fields: Record<string, unknown> = { 'name.first': body.name.first, 'name.last': body.name.last };
  if (body.roles) fields['roles'] = body.roles;
  for (const key of PROFILE_TEXTS) if (body[key] !== undefined) fields[key] = body[key];
  if (body.managerId) fields['managerId'] = new Types.ObjectId(body.managerId);
  return fields;
}

export interface InvitationResult {
  user: UserView;
  /** False when a new user was created, true when a pending invitation was sent again. */
  reinvited: boolean;
}

/**
 * Invitations (admins). The user is created `invited` (no password, hidden from members) and
 * an Invitation message goes to the outbox, written BEFORE the user or the new `invitedAt` it
 * announces: auth-api's sender mints the link only once that state holds (the link is bound to
 * `invitedAt`, so a re-invitation or a revocation kills older links), and voids a message whose
 * state never appeared. users-api never sees a token.
 */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly outbox: OutboxRepository,
    private readonly trail: AuditTrail,
  ) {}

  /** Pending invitations in name order, cursor-paginated like the directory (the {status, sortName, _id} index). */
  async pending(limit = DEFAULT_PAGE_SIZE, after?: string): Promise<{ items: UserView[]; nextCursor: string | null }> {
    const cursor = after === undefined ? undefined : decodeNameCursor(after);
    const rows = await this.users.page(directoryFilter({ status: UserStatus.Invited }), limit, cursor, true);
    const last = rows[rows.length - 1];
    return {
      items: rows.map((row) => toUserView(row, { admin: true })),
      nextCursor: rows.length === limit && last ? encodeNameCursor(last) : null,
    };
  }

  /**
   * A new address: creates the invited user (201). The address of a pending invitation: sends
   * it again with the body's profile applied (200). Any other account's address: 409 `email_taken`.
   */
  async invite(adminId: string, body: InviteUserDto): Promise<InvitationResult> {
    const email = body.email.trim().toLowerCase();
    const existing = await this.users.findForLogin(email);
    if (existing && existing.status !== UserStatus.Invited) throw emailTaken();
    const id = existing?._id ?? new Types.ObjectId();
    if (body.managerId) await assertValidManager(this.users, id, new Types.ObjectId(body.managerId));
    if (existing) return { user: await this.resend(adminId, id, invitationFields(body)), reinvited: true };

    const now = new Date();
    const by = new Types.ObjectId(adminId);
    // The message first: if the user is never created (a crash, or the address taken meanwhile), it voids at send time.
    await this.outbox.enqueue(
      { template: MailTemplate.Invitation, to: email, userId: id, params: { invitedAt: now, requestedBy: by } },
      now,
    );
    let created;
    try {
      created = await this.users.create({
        _id: id,
        email,
        name: { first: body.name.first, last: body.name.last },
        roles: body.roles ?? [UserRole.Member],
        status: UserStatus.Invited,
        invitedAt: now,
        invitedBy: by,
        ...Object.fromEntries(PROFILE_TEXTS.filter((key) => body[key] !== undefined).map((key) => [key, body[key]])),
        ...(body.managerId && { managerId: new Types.ObjectId(body.managerId) }),
      });
    } catch (error) {
      // A registration or another invitation took the address since the check above.
      if ((error as { code?: number }).code === DUPLICATE_KEY) throw emailTaken();
      throw error;
    }
    await this.recorded(created, adminId, now);
    return { user: toUserView(created, { admin: true }), reinvited: false };
  }

  /**
   * Sends a pending invitation again: a new message with a new `invitedAt`, then the user's
   * `invitedAt` moves to it, which voids every earlier link. `fields` (a re-invitation through
   * POST) are applied in the same compare-and-set.
   */
  async resend(adminId: string, id: Types.ObjectId, fields: Record<string, unknown> = {}): Promise<UserView> {
    const user = await this.invited(id);
    // Strictly later than the previous invitation, even within one millisecond: the sender voids older ones by `>`.
    const now = new Date(Math.max(Date.now(), (user.invitedAt?.getTime() ?? 0) + 1));
    const by = new Types.ObjectId(adminId);
    await this.outbox.enqueue(
      { template: MailTemplate.Invitation, to: user.email, userId: id, params: { invitedAt: now, requestedBy: by } },
      now,
    );
    const updated = await this.users.compareAndSet(
      id,
      user.__v,
      { $set: { ...fields, invitedAt: now, invitedBy: by } },
      { status: UserStatus.Invited },
    );
    // The message then announces an invitedAt that was never recorded: it voids.
    if (!updated) throw await this.conflictFor(id);
    await this.recorded(updated, adminId, now);
    return toUserView(updated, { admin: true });
  }

  /** Revokes a pending invitation: the user becomes `deleted` and every link dies (no `invitedAt` to match). */
  async revoke(adminId: string, id: Types.ObjectId): Promise<void> {
    const user = await this.invited(id);
    const updated = await this.users.compareAndSet(
      id,
      user.__v,
      { $set: { status: UserStatus.Deleted }, $unset: { invitedAt: 1 } },
      { status: UserStatus.Invited },
    );
    if (!updated) throw await this.conflictFor(id);
    await this.trail.recordStatusChanged({ _id: id, signupWeek: updated.signupWeek }, UserStatus.Invited, UserStatus.Deleted, adminId);
  }

  private async invited(id: Types.ObjectId): Promise<MailState> {
    const user = await this.users.mailState(id);
    if (!user) throw userNotFound();
    if (user.status !== UserStatus.Invited) throw notInvited(user.status);
    return user;
  }

  /** Why a compare-and-set on a pending invitation matched nothing: accepted or revoked meanwhile, or edited. */
  private async conflictFor(id: Types.ObjectId): Promise<ConflictException> {
    const now = await this.users.mailState(id);
    return now && now.status !== UserStatus.Invited ? notInvited(now.status) : versionConflict();
  }

  private async recorded(user: { _id: Types.ObjectId; signupWeek: string }, adminId: string, at: Date): Promise<void> {
    await this.trail.recordUserInvited(user, adminId, at);
    await this.trail.recordMailRequested(user, MailTemplate.Invitation, at);
  }
}
