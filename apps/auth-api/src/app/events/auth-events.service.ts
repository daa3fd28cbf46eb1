import { Injectable, Logger } from '@nestjs/common';
import { ActivitiesRepository, EventsRepository } from '@directory/data-access';
import { EventKind, LoginFailureReason, ModelName, type MailTemplate, type SecondFactorType } from '@directory/schemas';
import { createHmac } from 'node:crypto';
import type { Types } from 'mongoose';
import { AuthSettings } from '../auth-settings';

/** The subject of an event: its id and signup week, which every event carries as `cohortWeek`. */
export interface EventSubject {
  _id: Types.ObjectId;
  signupWeek: string;
}

/**
 * HMAC-SHA256 of the normalized email with a server secret (AUTH_EMAIL_HASH_SECRET), as 64 hex
 * digits: repeated attempts on one address stay countable without storing it, and, unlike a
 * plain SHA-256, a leaked events collection cannot be reversed with a list of likely emails
 * by anyone who lacks the secret (ASVS 5.0 16.2.5: sensitive data logged only hashed; 11.4.1: HMAC
 * with an approved hash). The secret is AuthSettings' `emailHashSecret`, shared with the login
 * failure ledger.
 */
export function emailHash(email: string, secret: string): string {
  return createHmac('sha256', secret).update(email.trim().toLowerCase()).digest('hex');
}

/**
 * Writes auth events and the daily Activity rollup analytics counts active users with.
 * These records feed analytics only: a failed write is logged and does not fail the login.
 */
@Injectable()
export class AuthEvents {
  private readonly logger = new Logger('AuthEvents');

  constructor(
    private readonly events: EventsRepository,
    private readonly activities: ActivitiesRepository,
    private readonly settings: AuthSettings,
  ) {}

  userRegistered(user: EventSubject, at: Date): Promise<void> {
    return this.record(EventKind.UserRegistered, () =>
      this.events.append(EventKind.UserRegistered, { userId: user._id, cohortWeek: user.signupWeek, at }),
    );
  }

  async loginSucceeded(user: EventSubject, at: Date): Promise<void> {
    await Promise.all([
      this.record(EventKind.LoginSucceeded, () =>
        this.events.append(EventKind.LoginSucceeded, { userId: user._id, cohortWeek: user.signupWeek, at }),
      ),
      this.record(ModelName.Activity, () => this.activities.markActive(user._id, user.signupWeek, at)),
    ]);
  }

  /** A failure on a known account: bad password, or refused because it is locked. Never the password tried. */
  loginFailed(
    user: EventSubject,
    reason: typeof LoginFailureReason.BadPassword | typeof LoginFailureReason.Locked,
    at: Date,
  ): Promise<void> {
    return this.record(EventKind.LoginFailed, () =>
      this.events.append(EventKind.LoginFailed, { userId: user._id, cohortWeek: user.signupWeek, reason, at }),
    );
  }

  /** A failure for an email no usable account has: no user to point at, only the email's hash. */
  loginFailedForUnknownEmail(email: string, at: Date): Promise<void> {
    return this.record(EventKind.LoginFailed, () =>
      this.events.append(EventKind.LoginFailed, {
        reason: LoginFailureReason.UnknownEmail,
        emailHash: emailHash(email, this.settings.emailHashSecret),
        at,
      }),
    );
  }

  /** A message was asked for (written to the outbox); for an address without an account, only its HMAC. */
  mailRequested(template: MailTemplate, subject: EventSubject | { email: string }, at: Date): Promise<void> {
    const who =
      'email' in subject
        ? { emailHash: emailHash(subject.email, this.settings.emailHashSecret) }
        : { userId: subject._id, cohortWeek: subject.signupWeek };
    return this.record(EventKind.MailRequested, () => this.events.append(EventKind.MailRequested, { template, ...who, at }));
  }

  mailSent(template: MailTemplate, user: EventSubject, attempts: number, at: Date): Promise<void> {
    return this.record(EventKind.MailSent, () =>
      this.events.append(EventKind.MailSent, { template, attempts, userId: user._id, cohortWeek: user.signupWeek, at }),
    );
  }

  mailFailed(template: MailTemplate, user: EventSubject, reason: string, at: Date): Promise<void> {
    return this.record(EventKind.MailFailed, () =>
      this.events.append(EventKind.MailFailed, {
        template,
        reason: reason.slice(0, 500),
        userId: user._id,
        cohortWeek: user.signupWeek,
        at,
      }),
    );
  }

  /** EmailVerified, PasswordReset, InvitationAccepted, EmailChanged: the subject and the instant say it all. */
  accountChanged(
    kind:
      | typeof EventKind.EmailVerified
      | typeof EventKind.PasswordReset
      | typeof EventKind.InvitationAccepted
      | typeof EventKind.EmailChanged,
    user: EventSubject,
    at: Date,
  ): Promise<void> {
    return this.record(kind, () => this.events.append(kind, { userId: user._id, cohortWeek: user.signupWeek, at }));
  }

  /** FactorEnrolled, FactorUsed, FactorFailed, FactorRemoved: the factor's type, never a code or a secret. */
  factor(
    kind: typeof EventKind.FactorEnrolled | typeof EventKind.FactorUsed | typeof EventKind.FactorFailed | typeof EventKind.FactorRemoved,
    user: EventSubject,
    factorType: SecondFactorType,
    at: Date,
  ): Promise<void> {
    return this.record(kind, () => this.events.append(kind, { factorType, userId: user._id, cohortWeek: user.signupWeek, at }));
  }

  /** An admin removed every second factor of the user. */
  factorsReset(user: EventSubject, by: Types.ObjectId, at: Date): Promise<void> {
    return this.record(EventKind.FactorsReset, () =>
      this.events.append(EventKind.FactorsReset, { by, userId: user._id, cohortWeek: user.signupWeek, at }),
    );
  }

  private async record(kind: string, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      this.logger.warn({ err: error instanceof Error ? error.message : String(error), kind }, 'could not record an auth event');
    }
  }
}
