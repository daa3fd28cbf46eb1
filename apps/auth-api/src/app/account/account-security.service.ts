import { Injectable } from '@nestjs/common';
import { TokenRevocation, type AuthenticatedUser } from '@directory/auth';
import { UsersRepository } from '@directory/data-access';
import { Types } from 'mongoose';
import { Clock } from '../clock';
import { Credentials } from '../lockout/credentials.service';
import { retryAfterSeconds } from '../lockout/lockout-policy';
import { PasswordPolicy } from '../passwords/password-policy';
import { SessionsService } from '../sessions/sessions.service';
import { AccountLockedException, wrongCurrentPassword } from './account-errors';
import type { ChangePasswordDto } from './dto/change-password.dto';

/** Ending sessions and changing the password: both also cut off every access token issued so far. */
@Injectable()
export class AccountSecurity {
  constructor(
    private readonly clock: Clock,
    private readonly users: UsersRepository,
    private readonly revocation: TokenRevocation,
    private readonly sessions: SessionsService,
    private readonly credentials: Credentials,
    private readonly policy: PasswordPolicy,
  ) {}

  /**
   * Sessions end first, the cutoff is taken from the clock after that write: a refresh that
   * rotated before the sessions ended issued its token before the cutoff (SessionTokens reads
   * the user before the swap), one after finds its session ended.
   */
  async logoutEverywhere(caller: AuthenticatedUser): Promise<void> {
    await this.endEverySession(new Types.ObjectId(caller.id));
  }

  /** Every session ends, then every access token issued so far is revoked (a reset, an email change). */
  async endEverySession(userId: Types.ObjectId): Promise<void> {
    await this.sessions.endAll(userId, this.clock.now());
    await this.revokeAccessTokens(userId);
  }

  /**
   * Wrong current passwords count towards the same lockout as logins (a stolen access token
   * must not become a password oracle). On success every other session ends and every
   * access token, the caller's included, stops working; the caller's own session survives,
   * so its refresh token gets a fresh access token.
   */
  async changePassword(caller: AuthenticatedUser, input: ChangePasswordDto): Promise<void> {
    const userId = new Types.ObjectId(caller.id);
    const user = await this.users.findLoginState(userId);
    if (!user) throw wrongCurrentPassword();
    this.policy.assertAcceptable(input.newPassword, user.email);
    const now = this.clock.now();
    const check = await this.credentials.check(userId, input.currentPassword, now);
    if (check.outcome === 'locked') throw new AccountLockedException(retryAfterSeconds(check.lockedUntil, now));
    if (check.outcome !== 'ok') throw wrongCurrentPassword();
    // Hash and store first (argon2 takes a while), then end the sessions, then the cutoff by
    // the clock after both: no token issued during any of it outlives the change.
    await this.credentials.changePassword(userId, input.newPassword, now);
    await this.sessions.endAll(userId, this.clock.now(), caller.sessionId);
    await this.revokeAccessTokens(userId);
  }

  /**
   * Every access token issued to the user so far stops working: on this instance at once,
   * on other services within their revocation cache time (libs/auth).
   */
  private async revokeAccessTokens(userId: Types.ObjectId): Promise<void> {
    await this.users.revokeAccessTokens(userId, this.clock.now());
    this.revocation.forget(userId.toHexString());
  }
}
