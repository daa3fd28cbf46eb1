import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { TokenPurpose } from '@directory/credentials';
import { UsersRepository } from '@directory/data-access';
import { EventKind, MailTemplate, UserStatus } from '@directory/schemas';
import { Types } from 'mongoose';
import { AuthErrorCode, TooManyAttemptsException } from '../account/account-errors';
import { AuthSettings } from '../auth-settings';
import { Clock } from '../clock';
import { AuthEvents } from '../events/auth-events.service';
import { OneTimeTokens, tokenErrors } from '../one-time-tokens/one-time-tokens.service';
import { AccountMail } from './account-mail.service';

/** Proving the account's address: the link registration sends, and sending it again. */
@Injectable()
export class EmailVerification {
  constructor(
    private readonly clock: Clock,
    private readonly settings: AuthSettings,
    private readonly users: UsersRepository,
    private readonly tokens: OneTimeTokens,
    private readonly mail: AccountMail,
    private readonly events: AuthEvents,
  ) {}

  async verify(token: string): Promise<void> {
    const now = this.clock.now();
    const stored = await this.tokens.inspect(token, TokenPurpose.EmailVerification, now);
    const user = await this.users.mailState(stored.userId);
    // Bound to the address it was sent to: once the account uses another, the link is dead.
    if (!user || user.status !== UserStatus.Active || user.email !== stored.binding.email) throw tokenErrors.stale();
    await this.tokens.redeem(stored, now);
    if (!(await this.users.markEmailVerified(user._id, stored.binding.email, now))) throw tokenErrors.stale();
    await this.events.accountChanged(EventKind.EmailVerified, user, now);
  }

  /** A fresh link to the caller's current address, at most AUTH_MAILS_PER_HOUR an hour. */
  async resend(userId: string): Promise<void> {
    const now = this.clock.now();
    const user = await this.users.mailState(new Types.ObjectId(userId));
    if (!user || user.status !== UserStatus.Active)
      throw new NotFoundException({ message: 'User not found', code: AuthErrorCode.NotFound });
    if (user.emailVerifiedAt) {
      throw new ConflictException({ message: 'This email address is already verified', code: AuthErrorCode.EmailAlreadyVerified });
    }
    if ((await this.mail.sentLastHour(user.email, MailTemplate.EmailVerification, now)) >= this.settings.mailsPerHour) {
      throw new TooManyAttemptsException(3600);
    }
    await this.mail.queue({ template: MailTemplate.EmailVerification, to: user.email, userId: user._id }, user, now);
  }
}
