/**
 * Every message the directory sends. The outbox stores the template and who it is for, never a
 * link or token: auth-api mints a message's one-time token when it sends it, so no secret rests
 * in the outbox.
 */
export const MailTemplate = {
  EmailVerification: 'email-verification',
  PasswordReset: 'password-reset',
  PasswordChanged: 'password-changed',
  Invitation: 'invitation',
  EmailChangeConfirmation: 'email-change-confirmation',
  EmailChangeNotice: 'email-change-notice',
  /** Someone registered with an address that has an account (verification required: registration answers alike). */
  AccountExists: 'account-exists',
  /** An administrator removed every second factor of the account. */
  FactorsReset: 'factors-reset',
  /** A recovery code of the account was used (a notice: if it was not the owner, the password and codes are known). */
  RecoveryCodeUsed: 'recovery-code-used',
} as const;
export type MailTemplate = (typeof MailTemplate)[keyof typeof MailTemplate];
export const MAIL_TEMPLATES: readonly MailTemplate[] = Object.values(MailTemplate);

/**
 * `pending` → `sent` | `failed` (kept failing, or its delivery was interrupted and its fate is
 * unknown) | `void` (the state it announced never happened or moved on: nothing to send).
 */
export const OutboxStatus = {
  Pending: 'pending',
  Sent: 'sent',
  Failed: 'failed',
  Void: 'void',
} as const;
export type OutboxStatus = (typeof OutboxStatus)[keyof typeof OutboxStatus];
export const OUTBOX_STATUSES: readonly OutboxStatus[] = Object.values(OutboxStatus);

/** Sent, failed and void messages are kept this long for admins, then a TTL index removes them. */
export const OUTBOX_RETENTION_SECONDS = 30 * 86_400;
