import { Injectable, Logger } from '@nestjs/common';
import { toUserView, UsersRepository } from '@directory/data-access';
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
import type { RegistrationResultDto } from './dto/registration-result.dto';
import { SessionTokens } from './session-tokens.service';

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
   * queued before the user exists (the sender waits for it, and drops the message if the
   * registration failed), so a crash between the writes never loses it.
   */
  async register(input: RegisterDto, client: ClientInfo): Promise<RegistrationResultDto> {
    const { password, ...profile } = input;
    this.policy.assertAcceptable(password, profile.email);
    // Hashed before the user exists: the window in which a user has no password stays short.
    const secret = await this.hasher.hash(password);
    const now = this.clock.now();
    const _id = new Types.ObjectId();
    const email = profile.email.trim().toLowerCase();
    const verification = await this.mail.queueBeforeChange(
      { template: MailTemplate.EmailVerification, to: email, userId: _id },
      { email },
      now,
    );
    // Through the schema (validation, derived keys); a taken email is a duplicate key → 409.
    const user = await this.users.create({ _id, ...profile, name: { first: profile.name.first, last: profile.name.last } });
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
    if (this.settings.requireVerifiedEmail) return { user: toUserView(user), verificationRequired: true };
    const tokens = await this.tokens.start(user, client, now);
    return { user: toUserView(user), verificationRequired: false, ...tokens };
  }
}
