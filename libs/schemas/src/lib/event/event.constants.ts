/** Event kinds: the discriminator values in the `kind` key, and the discriminator model names. */
export const EventKind = {
  UserRegistered: 'UserRegistered',
  LoginSucceeded: 'LoginSucceeded',
  LoginFailed: 'LoginFailed',
  ProfileUpdated: 'ProfileUpdated',
  RoleChanged: 'RoleChanged',
  StatusChanged: 'StatusChanged',
  UserSearched: 'UserSearched',
  MailRequested: 'MailRequested',
  MailSent: 'MailSent',
  MailFailed: 'MailFailed',
  EmailVerified: 'EmailVerified',
  PasswordReset: 'PasswordReset',
  UserInvited: 'UserInvited',
  InvitationAccepted: 'InvitationAccepted',
  EmailChanged: 'EmailChanged',
  FactorEnrolled: 'FactorEnrolled',
  FactorUsed: 'FactorUsed',
  FactorFailed: 'FactorFailed',
  FactorRemoved: 'FactorRemoved',
  FactorsReset: 'FactorsReset',
  SessionsEnded: 'SessionsEnded',
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];
export const EVENT_KINDS: readonly EventKind[] = Object.values(EventKind);

/** The discriminator key every event stores its kind under. */
export const EVENT_DISCRIMINATOR_KEY = 'kind';

export const LoginFailureReason = {
  BadPassword: 'bad_password',
  Locked: 'locked',
  UnknownEmail: 'unknown_email',
} as const;
export type LoginFailureReason = (typeof LoginFailureReason)[keyof typeof LoginFailureReason];
export const LOGIN_FAILURE_REASONS: readonly LoginFailureReason[] = Object.values(LoginFailureReason);

/** Second factors as events and analytics name them (RFC 8176-style method names are the tokens' business). */
export const SecondFactorType = {
  Totp: 'totp',
  WebAuthn: 'webauthn',
  RecoveryCode: 'recovery_code',
} as const;
export type SecondFactorType = (typeof SecondFactorType)[keyof typeof SecondFactorType];
export const SECOND_FACTOR_TYPES: readonly SecondFactorType[] = Object.values(SecondFactorType);
