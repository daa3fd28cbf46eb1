import { ConflictException, Injectable } from '@nestjs/common';
import { TokenPurpose } from '@directory/credentials';
import { UsersRepository, type MailState } from '@directory/data-access';
import { EventKind, UserStatus } from '@directory/schemas';
import { AccountSecurity } from '../account/account-security.service';
import { AuthErrorCode } from '../account/account-errors';
import { Clock } from '../clock';
import { AuthEvents } from '../events/auth-events.service';
import { OneTimeTokens, tokenErrors } from '../one-time-tokens/one-time-tokens.service';

const DUPLICATE_KEY = 11000;

/** The second half of an email change (users-api mails the link): the new address confirms it. */
@Injectable()
export class EmailChange {
  constructor(
    private readonly clock: Clock,
    private readonly users: UsersRepository,
    private readonly security: AccountSecurity,
    private readonly tokens: OneTimeTokens,
    private readonly events: AuthEvents,
  ) {}

  /**
   * The address changes only now, still under the unique email index (409 if another account
   * took it meanwhile, the link then stays unused); the new address is verified by this very
   * link; every session ends, as after a password change.
   */
  async confirm(token: string): Promise<void> {
    const now = this.clock.now();
    const stored = await this.tokens.inspect(token, TokenPurpose.EmailChange, now);
    const user = await this.users.mailState(stored.userId);
    if (!user || user.status !== UserStatus.Active || user.email !== stored.binding.email || !stored.newEmail) throw tokenErrors.stale();
    if (await this.users.findForLogin(stored.newEmail)) throw emailTaken();
    await this.tokens.redeem(stored, now);
    await this.change(user, stored.binding.email, stored.newEmail, now);
    await this.security.endEverySession(user._id);
    await this.events.accountChanged(EventKind.EmailChanged, user, now);
  }

  /** Compare-and-set on the version, re-read if a profile edit came between (the redemption already decided who changes it). */
  private async change(first: MailState, from: string, to: string, now: Date): Promise<void> {
    let user: MailState | null = first;
    for (let attempt = 0; attempt < 3 && user?.email === from && user.status === UserStatus.Active; attempt += 1) {
      try {
        const filter = { email: from, status: UserStatus.Active };
        if (await this.users.compareAndSet(user._id, user.__v, { $set: { email: to, emailVerifiedAt: now } }, filter)) return;
      } catch (error) {
        if ((error as { code?: number }).code === DUPLICATE_KEY) throw emailTaken();
        throw error;
      }
      user = await this.users.mailState(first._id);
    }
    throw tokenErrors.stale();
  }
}

function emailTaken(): ConflictException {
  return new ConflictException({ message: 'Another account uses this email address now', code: AuthErrorCode.EmailTaken });
}
