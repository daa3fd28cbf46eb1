import { Injectable } from '@nestjs/common';
import { UsersRepository } from '@directory/data-access';
import { LoginFailureReason, UserStatus } from '@directory/schemas';
import { Clock } from '../clock';
import { AuthEvents } from '../events/auth-events.service';
import { Credentials } from '../lockout/credentials.service';
import { retryAfterSeconds } from '../lockout/lockout-policy';
import { PasswordHasher } from '../passwords/password-hasher';
import type { ClientInfo } from '../sessions/sessions.service';
import { AccountLockedException, invalidCredentials } from './account-errors';
import type { LoginDto } from './dto/login.dto';
import type { TokenPairDto } from './dto/token-pair.dto';
import { SessionTokens } from './session-tokens.service';

@Injectable()
export class Login {
  constructor(
    private readonly clock: Clock,
    private readonly users: UsersRepository,
    private readonly credentials: Credentials,
    private readonly hasher: PasswordHasher,
    private readonly tokens: SessionTokens,
    private readonly events: AuthEvents,
  ) {}

  /**
   * Unknown email, suspended or deleted account and wrong password all end in the same 401;
   * the first two still spend one argon2 verification, so response times do not tell
   * accounts apart either. A locked account answers 429 with Retry-After, without
   * looking at the password.
   */
  async login(input: LoginDto, client: ClientInfo): Promise<TokenPairDto> {
    const now = this.clock.now();
    const user = await this.users.findForLogin(input.email);
    if (!user || user.status !== UserStatus.Active) {
      await this.hasher.spendDecoyVerification(input.password);
      await this.events.loginFailedForUnknownEmail(input.email, now);
      throw invalidCredentials();
    }
    const check = await this.credentials.check(user._id, input.password, now);
    switch (check.outcome) {
      case 'locked':
        await this.events.loginFailed(user, LoginFailureReason.Locked, now);
        throw new AccountLockedException(retryAfterSeconds(check.lockedUntil, now));
      case 'bad_password':
        await this.events.loginFailed(user, LoginFailureReason.BadPassword, now);
        throw invalidCredentials();
      case 'no_password':
        await this.events.loginFailedForUnknownEmail(input.email, now);
        throw invalidCredentials();
      case 'ok':
        break;
    }
    await this.users.markLoggedIn(user._id, now);
    const tokens = await this.tokens.start(user, client, now);
    await this.events.loginSucceeded(user, now);
    return tokens;
  }
}
