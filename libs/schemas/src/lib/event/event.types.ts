import type { Types } from 'mongoose';
import type { UserRole, UserStatus } from '../user/user.constants';
import type { MailTemplate } from '../mail/mail.constants';
import type { EventKind, LoginFailureReason, SecondFactorType } from './event.constants';

/** Fields every event carries, so analytics needs `$match` + `$group` only, no `$lookup`. */
export interface EventBaseFields {
  kind: EventKind;
  /** The subject user; absent only on LoginFailed with reason `unknown_email`. */
  userId?: Types.ObjectId | null;
  at: Date;
  /** Buckets of `at` in UTC, written by middleware. */
  day: string;
  week: string;
  month: string;
  /** The subject user's signup week (its `signupWeek`), passed by the writer; absent when `userId` is. */
  cohortWeek?: string | null;
}

export interface UserRegisteredFields extends EventBaseFields {
  kind: typeof EventKind.UserRegistered;
}

export interface LoginSucceededFields extends EventBaseFields {
  kind: typeof EventKind.LoginSucceeded;
}

export interface LoginFailedFields extends EventBaseFields {
  kind: typeof EventKind.LoginFailed;
  reason: LoginFailureReason;
  /** SHA-256 hex of the normalized email tried; lets security analytics spot one address attacked repeatedly. */
  emailHash?: string | null;
}

export interface ProfileUpdatedFields extends EventBaseFields {
  kind: typeof EventKind.ProfileUpdated;
  /** Names of the changed fields only, never their values: events must not copy personal data. */
  fields: string[];
  /** The admin who made the change; absent when users changed their own profile. */
  by?: Types.ObjectId;
}

export interface RoleChangedFields extends EventBaseFields {
  kind: typeof EventKind.RoleChanged;
  from: UserRole[];
  to: UserRole[];
  /** The admin who made the change. */
  by: Types.ObjectId;
}

export interface StatusChangedFields extends EventBaseFields {
  kind: typeof EventKind.StatusChanged;
  from: UserStatus;
  to: UserStatus;
  by: Types.ObjectId;
}

export interface UserSearchedFields extends EventBaseFields {
  kind: typeof EventKind.UserSearched;
  /** SHA-256 hex of the normalized query, so popular searches can be counted without storing them. */
  queryHash?: string | null;
  resultCount: number;
}

export type EventFields =
  | UserRegisteredFields
  | LoginSucceededFields
  | LoginFailedFields
  | ProfileUpdatedFields
  | RoleChangedFields
  | StatusChangedFields
  | UserSearchedFields
  | MailRequestedFields
  | MailSentFields
  | MailFailedFields
  | EmailVerifiedFields
  | PasswordResetFields
  | UserInvitedFields
  | InvitationAcceptedFields
  | EmailChangedFields
  | FactorEnrolledFields
  | FactorUsedFields
  | FactorFailedFields
  | FactorRemovedFields
  | FactorsResetFields
  | SessionsEndedFields;

export interface MailRequestedFields extends EventBaseFields {
  kind: typeof EventKind.MailRequested;
  template: MailTemplate;
  /** Only when no account has the address (a forgot-password for an unknown email): its HMAC, never the address. */
  emailHash?: string | null;
}

export interface MailSentFields extends EventBaseFields {
  kind: typeof EventKind.MailSent;
  template: MailTemplate;
  /** Delivery attempts it took. */
  attempts: number;
}

export interface MailFailedFields extends EventBaseFields {
  kind: typeof EventKind.MailFailed;
  template: MailTemplate;
  /** Why it was given up: an SMTP reply or error class, never the message. */
  reason: string;
}

export type EmailVerifiedFields = EventBaseFields & { kind: typeof EventKind.EmailVerified };
export type PasswordResetFields = EventBaseFields & { kind: typeof EventKind.PasswordReset };
export type InvitationAcceptedFields = EventBaseFields & { kind: typeof EventKind.InvitationAccepted };
export type EmailChangedFields = EventBaseFields & { kind: typeof EventKind.EmailChanged };

export interface UserInvitedFields extends EventBaseFields {
  kind: typeof EventKind.UserInvited;
  /** The admin who invited. */
  by: Types.ObjectId;
}

/** A second factor was enrolled (activated), used, refused, or removed by its owner: its type, never a code or secret. */
export interface FactorEnrolledFields extends EventBaseFields {
  kind: typeof EventKind.FactorEnrolled;
  factorType: SecondFactorType;
}
export interface FactorUsedFields extends EventBaseFields {
  kind: typeof EventKind.FactorUsed;
  factorType: SecondFactorType;
}
export interface FactorFailedFields extends EventBaseFields {
  kind: typeof EventKind.FactorFailed;
  factorType: SecondFactorType;
}
export interface FactorRemovedFields extends EventBaseFields {
  kind: typeof EventKind.FactorRemoved;
  factorType: SecondFactorType;
}

/** An admin removed every second factor (and recovery code) of the user. */
export interface FactorsResetFields extends EventBaseFields {
  kind: typeof EventKind.FactorsReset;
  by: Types.ObjectId;
}

/** An admin ended every session of the user (and revoked their access tokens). */
export interface SessionsEndedFields extends EventBaseFields {
  kind: typeof EventKind.SessionsEnded;
  by: Types.ObjectId;
  /** How many live sessions it ended (0 when there were none). */
  count: number;
}
