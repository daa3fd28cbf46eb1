import { Injectable } from '@nestjs/common';
import { CredentialsRepository, TokenPurpose } from '@directory/credentials';
import { UsersRepository, type MailState, type StoredOutboxMessage } from '@directory/data-access';
import { MailTemplate, UserStatus } from '@directory/schemas';
import { AuthSettings } from '../../auth-settings';
import { OneTimeTokens } from '../../one-time-tokens/one-time-tokens.service';
import { MailComposer, type Composition } from '../mail-composer';
import { accountLink, AccountPage, accountPage } from './account-links';
import { describeDuration, renderMail, type TemplateFacts } from './templates';

/**
 * How long the state a message announces may take to appear: the message is written before
 * the change (a user, an invitation, a password), by a request that may still be running.
 * After this, a state that never appeared never will (the request failed): the message is void.
 */
export const SETTLE_MS = 60_000;

const same = (a?: Date | null, b?: Date | null): boolean => (a ? a.getTime() : null) === (b ? b.getTime() : null);

/**
 * Composes outbox messages when they are sent: checks that what the message announces still
 * holds, mints the one-time token into its link, renders the template.
 */
@Injectable()
export class TemplateMailComposer extends MailComposer {
  constructor(
    private readonly settings: AuthSettings,
    private readonly users: UsersRepository,
    private readonly credentials: CredentialsRepository,
    private readonly tokens: OneTimeTokens,
  ) {
    super();
  }

  async compose(message: StoredOutboxMessage, now: Date): Promise<Composition> {
    // A forgot-password for an address no account has: recorded like any other, sent to nobody.
    if (!message.userId) return { outcome: 'void', reason: 'no account has this address' };
    const settling = now.getTime() - new Date(message.createdAt).getTime() < SETTLE_MS;
    const notYet = (reason: string): Composition => (settling ? { outcome: 'wait', reason } : { outcome: 'void', reason });
    const user = await this.users.mailState(message.userId);
    if (!user) return notYet('the account does not exist');
    const ttl = this.settings.tokenTtlSeconds;
    const p = message.params ?? {};

    switch (message.template) {
      case MailTemplate.EmailVerification: {
        if (user.status !== UserStatus.Active) return notYet(`the account is ${user.status}`);
        if (user.email !== message.to) return { outcome: 'void', reason: 'the account uses another address now' };
        if (user.emailVerifiedAt) return { outcome: 'void', reason: 'the address is already verified' };
        return this.withToken(message, user, now, TokenPurpose.EmailVerification, AccountPage.VerifyEmail, ttl.emailVerification, {
          email: user.email,
        });
      }
      case MailTemplate.PasswordReset: {
        if (user.status !== UserStatus.Active) return { outcome: 'void', reason: `the account is ${user.status}` };
        if (user.email !== message.to) return { outcome: 'void', reason: 'the account uses another address now' };
        const passwordChangedAt = await this.credentials.passwordChangedAt(user._id);
        if (passwordChangedAt === undefined) return { outcome: 'void', reason: 'the account has no password' };
        return this.withToken(message, user, now, TokenPurpose.PasswordReset, AccountPage.ResetPassword, ttl.passwordReset, {
          email: user.email,
          passwordChangedAt,
        });
      }
      case MailTemplate.PasswordChanged: {
        const changedAt = await this.credentials.passwordChangedAt(user._id);
        if (!p.changedAt || !same(changedAt, p.changedAt)) {
          return changedAt && changedAt.getTime() > (p.changedAt?.getTime() ?? 0)
            ? { outcome: 'void', reason: 'a later change has its own notice' }
            : notYet('the password change has not happened');
        }
        return this.rendered(message, { name: user.name.first, at: p.changedAt });
      }
      case MailTemplate.Invitation: {
        if (user.status !== UserStatus.Invited) return notYet(`the account is ${user.status}`);
        if (!same(user.invitedAt, p.invitedAt)) {
          return user.invitedAt && p.invitedAt && user.invitedAt > p.invitedAt
            ? { outcome: 'void', reason: 'a newer invitation was sent' }
            : notYet('the invitation is not recorded');
        }
        return this.withToken(message, user, now, TokenPurpose.Invitation, AccountPage.AcceptInvitation, ttl.invitation, {
          email: user.email,
          invitedAt: user.invitedAt,
        });
      }
      case MailTemplate.EmailChangeConfirmation: {
        if (user.status !== UserStatus.Active) return { outcome: 'void', reason: `the account is ${user.status}` };
        if (!p.fromEmail || user.email !== p.fromEmail) return { outcome: 'void', reason: 'the account uses another address now' };
        return this.withToken(
          message,
          user,
          now,
          TokenPurpose.EmailChange,
          AccountPage.ConfirmEmailChange,
          ttl.emailChange,
          { email: user.email },
          message.to,
        );
      }
      case MailTemplate.AccountExists:
        if (user.status !== UserStatus.Active || user.email !== message.to)
          return { outcome: 'void', reason: 'no active account uses this address' };
        return this.rendered(message, { name: user.name.first, link: accountPage(this.settings.mail.publicUrl, 'forgot-password') });
      case MailTemplate.EmailChangeNotice:
        return this.rendered(message, { name: user.name.first, fromEmail: p.fromEmail, toEmail: p.toEmail });
      case MailTemplate.RecoveryCodeUsed:
        // Written after the code was used up (its redemption is the change): a notice of what happened.
        return this.rendered(message, { name: user.name.first, at: p.changedAt });
      case MailTemplate.FactorsReset:
        // Written after the reset (AccountMail.queue): a notice of what already happened.
        return this.rendered(message, { name: user.name.first, at: p.changedAt });
    }
  }

  private async withToken(
    message: StoredOutboxMessage,
    user: MailState,
    now: Date,
    purpose: TokenPurpose,
    page: AccountPage,
    ttlSeconds: number,
    binding: { email: string; passwordChangedAt?: Date | null; invitedAt?: Date | null },
    newEmail?: string,
  ): Promise<Composition> {
    const token = await this.tokens.mint({ purpose, userId: user._id, binding, ttlSeconds, newEmail, messageId: message._id }, now);
    return this.rendered(message, {
      name: user.name.first,
      link: accountLink(this.settings.mail.publicUrl, page, token),
      validFor: describeDuration(ttlSeconds),
      fromEmail: message.params?.fromEmail,
    });
  }

  private rendered(message: StoredOutboxMessage, facts: TemplateFacts): Composition {
    return { outcome: 'send', mail: { to: message.to, ...renderMail(message.template, facts) } };
  }
}
