import { ConflictException, Injectable } from '@nestjs/common';
import { OutboxRepository, UsersRepository, type StoredOutboxMessage } from '@directory/data-access';
import { MailTemplate, OutboxStatus, UserStatus } from '@directory/schemas';
import { Types } from 'mongoose';
import { AuditTrail } from '../audit/audit-trail.service';
import { userNotFound, UsersErrorCode } from '../common/errors';
import { DEFAULT_MAIL_LIMIT, type MailMessageDto } from './dto/mail-message.dto';

const iso = (date: Date | null | undefined): string | null => (date ? new Date(date).toISOString() : null);

export function toMailView(message: StoredOutboxMessage): MailMessageDto {
  return {
    id: message._id.toHexString(),
    template: message.template,
    to: message.to,
    userId: message.userId ? message.userId.toHexString() : null,
    status: message.status,
    attempts: message.attempts ?? 0,
    lastError: message.lastError ?? null,
    sentAt: iso(message.sentAt),
    finishedAt: iso(message.finishedAt),
    nextAttemptAt: iso(message.nextAttemptAt) ?? '',
    createdAt: iso(message.createdAt) ?? '',
  };
}

/**
 * Admins and mail: a password reset sent at an admin's request, and what the outbox holds.
 * users-api only writes outbox messages (who, which template, plain facts); auth-api's sender
 * mints the link's one-time token when it sends, so no secret passes through here.
 */
@Injectable()
export class AccountMailService {
  constructor(
    private readonly users: UsersRepository,
    private readonly outbox: OutboxRepository,
    private readonly trail: AuditTrail,
  ) {}

  /** Mails an active user a reset link; the admin never sees or sets the password. */
  async requestPasswordReset(adminId: string, userId: Types.ObjectId): Promise<void> {
    const user = await this.users.mailState(userId);
    if (!user) throw userNotFound();
    if (user.status !== UserStatus.Active) {
      throw new ConflictException({
        message: `The user is ${user.status}; only active users can reset a password`,
        code: UsersErrorCode.NotActive,
      });
    }
    const now = new Date();
    await this.outbox.enqueue(
      { template: MailTemplate.PasswordReset, to: user.email, userId, params: { requestedBy: new Types.ObjectId(adminId) } },
      now,
    );
    await this.trail.recordMailRequested(user, MailTemplate.PasswordReset, now);
  }

  async forUser(userId: Types.ObjectId, limit = DEFAULT_MAIL_LIMIT): Promise<MailMessageDto[]> {
    if (!(await this.users.findForAdmin(userId))) throw userNotFound();
    return (await this.outbox.forUser(userId, limit)).map(toMailView);
  }

  async withStatus(status: OutboxStatus = OutboxStatus.Failed, limit = DEFAULT_MAIL_LIMIT): Promise<MailMessageDto[]> {
    return (await this.outbox.withStatus(status, limit)).map(toMailView);
  }
}
