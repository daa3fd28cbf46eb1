import { Injectable } from '@nestjs/common';
import { UsersRepository, type LoginState } from '@directory/data-access';
import { LoginFailureReason, UserStatus } from '@directory/schemas';
import { Clock } from '../clock';
import { AuthEvents } from '../events/auth-events.service';
import { Credentials } from '../lockout/credentials.service';
import { LoginLedger } from '../lockout/login-ledger';
import { retryAfterSeconds } from '../lockout/lockout-policy';
import type { Authentication, ClientInfo } from '../sessions/sessions.service';
import { AuthSettings } from '../auth-settings';
import { emailNotVerified, invalidCredentials, TooManyAttemptsException } from './account-errors';
import type { LoginDto } from './dto/login.dto';
import type { TokenPairDto } from './dto/token-pair.dto';
import type { MfaChallengeDto } from '../mfa/dto/mfa.dto';
import { MfaChallenges } from '../mfa/mfa-challenges.service';
import { SessionTokens } from './session-tokens.service';

/** The source of an attempt when Express knows no address (never the case over TCP). */
const UNKNOWN_SOURCE = 'unknown';

@Injectable()
export class Login {
  constructor(
    private readonly clock: Clock,
    private readonly users: UsersRepository,
    private readonly credentials: Credentials,
    private readonly ledger: LoginLedger,
    private readonly tokens: SessionTokens,
    private readonly events: AuthEvents,
    private readonly settings: AuthSettings,
    private readonly mfa: MfaChallenges,
  ) {}

  /**
   * One answer for every failed login, whatever the account's state (ASVS 5.0 V6.3.8): unknown
   * email, suspended or deleted account, missing password and wrong password all end in the
   * same 401; a lock (of the email, the email from this address, or this address) in the same
   * 429 with Retry-After, for unknown emails exactly as for known ones, because the failure
   * ledger is keyed by the email's HMAC. The database work is the same too: one user read, one
   * ledger insert and three counts, one password-method read (of an id that matches nothing
   * when there is no usable account), one argon2 verification (a decoy when there is no hash),
   * one event write.
   */
  async login(input: LoginDto, client: ClientInfo): Promise<TokenPairDto | MfaChallengeDto> {
    const now = this.clock.now();
    const keys = this.ledger.keys(input.email, client.ip ?? UNKNOWN_SOURCE);
    const found = await this.users.findForLogin(input.email);
    const user = found && found.status === UserStatus.Active ? found : null;
    const admission = await this.ledger.admit(keys, now);
    if (admission.outcome === 'locked') {
      await (user
        ? this.events.loginFailed(user, LoginFailureReason.Locked, now)
        : this.events.loginFailedForUnknownEmail(input.email, now));
      throw new TooManyAttemptsException(retryAfterSeconds(admission.lockedUntil, now));
    }
    const stored = await this.credentials.findPassword(user?._id);
    const valid = await this.credentials.verify(user ? stored : null, input.password);
    if (!user || !stored || !valid) {
      await (user && stored
        ? this.events.loginFailed(user, LoginFailureReason.BadPassword, now)
        : this.events.loginFailedForUnknownEmail(input.email, now));
      throw invalidCredentials();
    }
    // Only after the right password: the refusal tells nothing to someone who does not know it.
    if (this.mustVerifyEmail(user)) {
      await this.ledger.succeeded(keys);
      throw emailNotVerified();
    }
    await this.credentials.upgradeHash(stored, input.password);
    // A second factor: no tokens yet, and this attempt stays counted in the ledger until the
    // factor succeeds (POST /auth/mfa/verify), so code guesses meet the same lockout.
    const challenge = await this.mfa.challengeFor(user, now);
    if (challenge) return challenge;
    await this.ledger.succeeded(keys);
    return this.signIn(user, client, now);
  }

  /** AUTH_REQUIRE_VERIFIED_EMAIL and the address is not verified yet: refuse (after the credential was proven). */
  mustVerifyEmail(user: Pick<LoginState, 'emailVerifiedAt'>): boolean {
    return this.settings.requireVerifiedEmail && !user.emailVerifiedAt;
  }

  /** What every successful sign-in ends with (password, second factor, passkey): last login, a session, the event. */
  async signIn(user: LoginState, client: ClientInfo, now: Date, authentication?: Authentication): Promise<TokenPairDto> {
    await this.users.markLoggedIn(user._id, now);
    const tokens = await this.tokens.start(user, client, now, authentication);
    await this.events.loginSucceeded(user, now);
    return tokens;
  }
}
