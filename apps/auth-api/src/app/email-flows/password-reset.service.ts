import { Injectable } from '@nestjs/common';
import { TokenPurpose } from '@directory/credentials';
import { UsersRepository } from '@directory/data-access';
import { EventKind, MailTemplate, UserStatus } from '@directory/schemas';
import { AccountSecurity } from '../account/account-security.service';
import { AuthSettings } from '../auth-settings';
import { Clock } from '../clock';
import { AuthEvents } from '../events/auth-events.service';
import { Credentials } from '../lockout/credentials.service';
import { LoginLedger } from '../lockout/login-ledger';
import { CredentialsRepository } from '@directory/credentials';
import { OneTimeTokens, tokenErrors } from '../one-time-tokens/one-time-tokens.service';
import { PasswordPolicy } from '../passwords/password-policy';
import { AccountMail } from './account-mail.service';

/** Accepted whatever the address: the answer never says whether an account has it. */
export const FORGOT_PASSWORD_ANSWER = {
  message: 'If an account uses this address, a link to reset its password is on its way.',
} as const;

/** A forgotten password: a link by mail, then a new password through it. */
@Injectable()
export class PasswordReset {
  constructor(
    private readonly clock: Clock,
    private readonly settings: AuthSettings,
    private readonly users: UsersRepository,
    private readonly methods: CredentialsRepository,
    private readonly credentials: Credentials,
    private readonly ledger: LoginLedger,
    private readonly policy: PasswordPolicy,
    private readonly security: AccountSecurity,
    private readonly tokens: OneTimeTokens,
    private readonly mail: AccountMail,
    private readonly events: AuthEvents,
  ) {}

  /**
   * The same work for every address (ASVS 5.0 V6.3.8, no enumeration): one user read, one
   * hourly count, one outbox insert and one event, whether or not an account has it; the
   * sender later voids a message no account can receive. The hourly limit counts per address.
   */
  async forgot(email: string): Promise<void> {
    const now = this.clock.now();
    const to = email.trim().toLowerCase();
    const user = await this.users.findForLogin(to);
    if ((await this.mail.sentLastHour(to, MailTemplate.PasswordReset, now)) >= this.settings.mailsPerHour) return;
    await this.mail.queue({ template: MailTemplate.PasswordReset, to, userId: user?._id ?? null }, user ?? { email: to }, now);
  }

  /**
   * Redeems a reset link: the policy first (a weak password does not burn the link), then the
   * one redemption that wins, then the "password changed" notice (queued before the change it
   * announces), the new hash, every session ended and every access token revoked (as a
   * password change does), and the lockout cleared.
   */
  async reset(token: string, newPassword: string): Promise<void> {
    const now = this.clock.now();
    const stored = await this.tokens.inspect(token, TokenPurpose.PasswordReset, now);
    const user = await this.users.mailState(stored.userId);
    if (!user || user.status !== UserStatus.Active || user.email !== stored.binding.email) throw tokenErrors.stale();
    // Bound to the password it was issued for: a change by any other path kills the link.
    const passwordChangedAt = await this.methods.passwordChangedAt(user._id);
    if (passwordChangedAt === undefined || !sameInstant(passwordChangedAt, stored.binding.passwordChangedAt)) throw tokenErrors.stale();
    this.policy.assertAcceptable(newPassword, user.email);
    await this.tokens.redeem(stored, now);

    const notice = await this.mail.queueBeforeChange(
      { template: MailTemplate.PasswordChanged, to: user.email, userId: user._id, params: { changedAt: now } },
      user,
      now,
    );
    await this.credentials.changePassword(user._id, newPassword, now);
    await this.security.endEverySession(user._id);
    await this.ledger.unlockAccount(user.email);
    await this.events.accountChanged(EventKind.PasswordReset, user, now);
    await this.mail.ready([notice], now);
  }
}

function sameInstant(a: Date | null | undefined, b: Date | null | undefined): boolean {
  return (a ? new Date(a).getTime() : null) === (b ? new Date(b).getTime() : null);
}
