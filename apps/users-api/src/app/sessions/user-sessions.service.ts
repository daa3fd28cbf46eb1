import { Injectable } from '@nestjs/common';
import { TokenRevocation } from '@directory/auth';
import { SessionsRepository, UsersRepository, type AdminTarget, type LiveSession } from '@directory/data-access';
import { UserStatus } from '@directory/schemas';
import type { Types } from 'mongoose';
import { AuditTrail } from '../audit/audit-trail.service';
import { userNotFound } from '../common/errors';
import { MAX_LISTED_SESSIONS, type UserSessionDto, type UserSessionsDto } from './dto/user-sessions.dto';

function toSessionView(session: LiveSession): UserSessionDto {
  const view: UserSessionDto = {
    id: session.family,
    createdAt: new Date(session.createdAt).toISOString(),
    lastUsedAt: new Date(session.updatedAt).toISOString(),
    expiresAt: new Date(session.expiresAt).toISOString(),
    // Sessions written before `amr` existed were password sign-ins (as auth-api reads them).
    amr: session.amr?.length ? [...session.amr] : ['pwd'],
  };
  if (session.ip) view.ip = session.ip;
  if (session.userAgent) view.userAgent = session.userAgent;
  return view;
}

/**
 * A user's sessions as admins see and end them. The user is found as GET /users/:id finds it
 * for an admin: deleted users are not found, pending invitations are (with no session).
 */
@Injectable()
export class UserSessionsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly trail: AuditTrail,
    private readonly revocation: TokenRevocation,
  ) {}

  async list(userId: Types.ObjectId): Promise<UserSessionsDto> {
    await this.subject(userId);
    const { count, items } = await this.sessions.liveOfUser(userId, new Date(), MAX_LISTED_SESSIONS);
    const views = items.map(toSessionView);
    return { active: count, lastUsedAt: views[0]?.lastUsedAt ?? null, items: views };
  }

  /**
   * Every session ends first, then the access-token cutoff is taken from the clock after that
   * write (as auth-api's logout-all): a refresh that rotated before the sessions ended issued
   * its token before the cutoff, one after finds its session ended. An admin may end their own
   * sessions: the token of this very request stops working too.
   */
  async endAll(adminId: string, userId: Types.ObjectId): Promise<void> {
    const target = await this.subject(userId);
    const count = await this.sessions.endAllOfUser(userId, new Date());
    await this.users.revokeAccessTokens(userId, new Date());
    // This process's guard caches a user's token state for a few seconds: drop it so the revocation applies now.
    this.revocation.forget(userId.toHexString());
    await this.trail.recordSessionsEnded({ _id: userId, signupWeek: target.signupWeek }, adminId, count);
  }

  private async subject(id: Types.ObjectId): Promise<AdminTarget> {
    const target = await this.users.adminTarget(id);
    if (!target || target.status === UserStatus.Deleted) throw userNotFound();
    return target;
  }
}
