import { ConflictException, Injectable, Logger } from '@nestjs/common';
import { PlatformErrorCode } from '@directory/platform';
import { toUserView, UsersRepository, type LoginState } from '@directory/data-access';
import { MailTemplate } from '@directory/schemas';
import { Types } from 'mongoose';
import { AuthSettings } from '../auth-settings';
import { AccountMail } from '../email-flows/account-mail.service';
import { Clock } from '../clock';
import { AuthEvents } from '../events/auth-events.service';
import { Credentials } from '../lockout/credentials.service';
import { PasswordHasher } from '../passwords/password-hasher';
import { PasswordPolicy } from '../passwords/password-policy';
import type { ClientInfo } from '../sessions/sessions.service';
import type { RegisterDto } from './dto/register.dto';
import type { RegistrationAcceptedDto } from './dto/registration-accepted.dto';
import type { RegistrationResultDto } from './dto/registration-result.dto';
import { SessionTokens } from './session-tokens.service';

export const REGISTRATION_ACCEPTED = {
  verificationRequired: true,
  message: 'Check your inbox: we sent a link to confirm this address. Follow it, then sign in.',
} as const;

const isDuplicateKey = (error: unknown): boolean => (error as { code?: number }).code === 11000;

/** The answer the unique email index gives a racing registration (libs/platform maps a duplicate key alike). */
function emailAlreadyRegistered(): ConflictException {
  return new ConflictException({ message: 'A record with this email already exists', code: PlatformErrorCode.Duplicate });
}

@Injectable()
export class Registration {
  private readonly logger = new Logger('Registration');

  constructor(
    private readonly clock: Clock,
    private readonly policy: PasswordPolicy,
    private readonly hasher: PasswordHasher,
    private readonly users: UsersRepository,
    private readonly credentials: Credentials,
    private readonly tokens: SessionTokens,
    private readonly events: AuthEvents,
    private readonly mail: AccountMail,
    private readonly settings: AuthSettings,
  ) {}

  /**
   * The User is created first, so schema validation and the unique email index decide
   * (a taken email → 409 before any credential exists), then its password method. There
   * are no transactions to lean on (FerretDB has none), so if the second write fails the
   * user is deleted again: no account without a way to log in. The verification mail is
   * queued before the user exists and made due once it does, so a crash between the writes
   * never loses it (and a failed registration's message voids itself).
   *
   * Where login waits for a verified email (AUTH_REQUIRE_VERIFIED_EMAIL) registration signs
   * nobody in, so it can answer a taken address exactly like a new one (202, one body; ASVS 5.0
   * V6.3.8): the address's owner gets an "account exists" notice instead of a second account.
   */
  async register(input: RegisterDto, client: ClientInfo): Promise<RegistrationResultDto | RegistrationAcceptedDto> {
    const { password, ...profile } = input;
    this.policy.assertAcceptable(password, profile.email);
    // Hashed before the user exists: the window in which a user has no password stays short.
    const secret = await this.hasher.hash(password);
    const now = this.clock.now();
    const email = profile.email.trim().toLowerCase();
    // A taken address is answered before anything is written (a rejected request changes nothing);
    // a registration racing this one is still refused by the unique index below.
    const existing = await this.users.findForLogin(email);
    if (existing && this.settings.requireVerifiedEmail) return this.alreadyRegistered(existing, now);
    if (existing) throw emailAlreadyRegistered();
    const _id = new Types.ObjectId();
    const verification = await this.mail.queueBeforeChange(
      { template: MailTemplate.EmailVerification, to: email, userId: _id },
      { email },
      now,
    );
    let user;
    try {
      // Through the schema (validation, derived keys); a taken email is a duplicate key → 409.
      user = await this.users.create({ _id, ...profile, name: { first: profile.name.first, last: profile.name.last } });
    } catch (error) {
      const raced = this.settings.requireVerifiedEmail && isDuplicateKey(error) ? await this.users.findForLogin(email) : null;
      if (raced) return this.alreadyRegistered(raced, now);
      throw error;
    }
    try {
      await this.credentials.createPassword(user._id, secret, now);
    } catch (error) {
      await this.users
        .remove(user._id)
        .catch((cleanup: unknown) =>
          this.logger.error({ err: cleanup, userId: user._id.toHexString() }, 'could not remove a half-registered user'),
        );
      throw error;
    }
    await this.events.userRegistered(user, now);
    await this.mail.ready([verification], now);
    if (this.settings.requireVerifiedEmail) return { ...REGISTRATION_ACCEPTED };
    const tokens = await this.tokens.start(user, client, now);
    return { user: toUserView(user), verificationRequired: false, ...tokens };
  }

  /** The owner hears of it (at most AUTH_MAILS_PER_HOUR an hour); the caller gets the ordinary answer. */
  private async alreadyRegistered(owner: LoginState, now: Date): Promise<RegistrationAcceptedDto> {
    if ((await this.mail.sentLastHour(owner.email, MailTemplate.AccountExists, now)) < this.settings.mailsPerHour) {
      await this.mail.queue({ template: MailTemplate.AccountExists, to: owner.email, userId: owner._id }, owner, now);
    }
    return { ...REGISTRATION_ACCEPTED };
  }
}
