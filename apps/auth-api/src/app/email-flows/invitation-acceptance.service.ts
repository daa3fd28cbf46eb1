import { Injectable } from '@nestjs/common';
import { TokenPurpose } from '@directory/credentials';
import { toUserView, UsersRepository, type MailState, type StoredUser, type UserView } from '@directory/data-access';
import { EventKind, UserStatus } from '@directory/schemas';
import { Clock } from '../clock';
import { AuthEvents } from '../events/auth-events.service';
import { Credentials } from '../lockout/credentials.service';
import { OneTimeTokens, tokenErrors } from '../one-time-tokens/one-time-tokens.service';
import { PasswordHasher } from '../passwords/password-hasher';
import { PasswordPolicy } from '../passwords/password-policy';

/** An invited user chooses a password: the account becomes active, its address proven by the link. */
@Injectable()
export class InvitationAcceptance {
  constructor(
    private readonly clock: Clock,
    private readonly users: UsersRepository,
    private readonly credentials: Credentials,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly tokens: OneTimeTokens,
    private readonly events: AuthEvents,
  ) {}

  async accept(token: string, password: string): Promise<UserView> {
    const now = this.clock.now();
    const stored = await this.tokens.inspect(token, TokenPurpose.Invitation, now);
    const user = await this.users.mailState(stored.userId);
    // Bound to the latest invitation: a re-invitation or a revocation kills older links.
    const current =
      user?.status === UserStatus.Invited &&
      user.email === stored.binding.email &&
      user.invitedAt?.getTime() === stored.binding.invitedAt?.getTime();
    if (!user || !current) throw tokenErrors.stale();
    this.policy.assertAcceptable(password, user.email);
    const secret = await this.hasher.hash(password);
    await this.tokens.redeem(stored, now);
    // The password first: an active account always has one (a unique index allows one per user).
    await this.credentials.createPassword(user._id, secret, now);
    const activated = await this.activate(user, stored.binding.invitedAt, now);
    await this.events.accountChanged(EventKind.InvitationAccepted, user, now);
    return toUserView(activated);
  }

  /** Compare-and-set on the version, re-read if an admin edit came between (the redemption already decided who activates). */
  private async activate(first: MailState, invitedAt: Date | null | undefined, now: Date): Promise<StoredUser> {
    let user: MailState | null = first;
    for (let attempt = 0; attempt < 3 && user; attempt += 1) {
      if (user.status !== UserStatus.Invited || user.invitedAt?.getTime() !== invitedAt?.getTime()) break;
      const activated = await this.users.compareAndSet(
        user._id,
        user.__v,
        { $set: { status: UserStatus.Active, emailVerifiedAt: now }, $unset: { invitedAt: 1 } },
        { status: UserStatus.Invited },
      );
      if (activated) return activated;
      user = await this.users.mailState(first._id);
    }
    throw tokenErrors.stale();
  }
}
