import type { UsersApi } from '@directory/client';

/**
 * An audit event as GET /users/:id/events returns it. Mail templates and factor types are
 * stored on newer kinds but not (yet) in the answer: read when present, else a generic word.
 */
export type AuditEvent = UsersApi.components['schemas']['EventDto'] & {
  template?: string;
  factorType?: string;
};

const FIELD_NAMES: Record<string, string> = {
  displayName: 'display name',
  managerId: 'manager',
  'name.first': 'first name',
  'name.last': 'last name',
  name: 'name',
  email: 'email',
  title: 'title',
  department: 'department',
  location: 'location',
  phone: 'phone',
};

const FACTOR_NAMES: Record<string, string> = { totp: 'an authenticator app', webauthn: 'a passkey', recovery_code: 'a recovery code' };

const MAIL_NAMES: Record<string, string> = {
  'email-verification': 'email verification',
  'password-reset': 'password reset',
  'password-changed': 'password changed notice',
  invitation: 'invitation',
  'email-change-confirmation': 'email change confirmation',
  'email-change-notice': 'email change notice',
  'account-exists': 'account exists notice',
  'factors-reset': 'second factors reset notice',
  'recovery-code-used': 'recovery code used notice',
};

const LOGIN_FAILURES: Record<string, string> = {
  bad_password: 'wrong password',
  locked: 'sign-in locked after too many failures',
  unknown_email: 'unknown email',
};

/** "a, b and c". */
export function listInWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

const asList = (value: AuditEvent['from']): string[] => (Array.isArray(value) ? value : typeof value === 'string' ? [value] : []);
const rolesInWords = (value: AuditEvent['from']): string => (asList(value).length > 0 ? listInWords(asList(value)) : 'no role');
const factor = (event: AuditEvent) => (event.factorType ? (FACTOR_NAMES[event.factorType] ?? `a ${event.factorType}`) : 'a second factor');
const mail = (event: AuditEvent) => (event.template ? (MAIL_NAMES[event.template] ?? event.template) : undefined);

/** A human sentence for an event's kind and data: "Roles changed from member to member and admin". */
export function summarizeEvent(event: AuditEvent): string {
  switch (event.kind) {
    case 'UserRegistered':
      return 'Signed up';
    case 'LoginSucceeded':
      return 'Signed in';
    case 'LoginFailed':
      return event.reason ? `Sign-in failed: ${LOGIN_FAILURES[event.reason] ?? event.reason}` : 'Sign-in failed';
    case 'ProfileUpdated': {
      const fields = [...new Set((event.fields ?? []).map((field) => FIELD_NAMES[field] ?? field))];
      return fields.length > 0 ? `Profile updated: ${listInWords(fields)}` : 'Profile updated';
    }
    case 'RoleChanged':
      return `Roles changed from ${rolesInWords(event.from)} to ${rolesInWords(event.to)}`;
    case 'StatusChanged': {
      const [from] = asList(event.from);
      const [to] = asList(event.to);
      if (to === 'suspended') return 'Suspended';
      if (to === 'deleted') return from === 'invited' ? 'Invitation revoked' : 'Deleted';
      if (to === 'active' && from === 'suspended') return 'Restored (suspended → active)';
      if (to === 'active' && from === 'invited') return 'Invitation accepted';
      return from && to ? `Status changed from ${from} to ${to}` : 'Status changed';
    }
    case 'UserSearched':
      return event.resultCount === undefined ? 'Searched the directory' : `Searched the directory (${event.resultCount} results)`;
    case 'MailRequested':
      return mail(event) ? `Mail queued: ${mail(event)}` : 'Mail queued';
    case 'MailSent':
      return mail(event) ? `Mail sent: ${mail(event)}` : 'Mail sent';
    case 'MailFailed': {
      const what = mail(event) ? `Mail failed: ${mail(event)}` : 'Mail failed';
      return event.reason ? `${what} (${event.reason})` : what;
    }
    case 'EmailVerified':
      return 'Email address verified';
    case 'PasswordReset':
      return 'Password reset';
    case 'UserInvited':
      return 'Invited';
    case 'InvitationAccepted':
      return 'Invitation accepted';
    case 'EmailChanged':
      return 'Email address changed';
    case 'FactorEnrolled':
      return `Added ${factor(event)}`;
    case 'FactorUsed':
      return `Signed in with ${factor(event)}`;
    case 'FactorFailed':
      return `Second factor refused: ${factor(event)}`;
    case 'FactorRemoved':
      return `Removed ${factor(event)}`;
    case 'FactorsReset':
      return 'Second factors reset';
    case 'SessionsEnded':
      if (event.count === undefined) return 'All sessions ended';
      return event.count === 1 ? 'All sessions ended (1 was active)' : `All sessions ended (${event.count} were active)`;
    default:
      // A kind newer than this console: its name still says what happened.
      return event.kind.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
  }
}

/**
 * Who made the change: "you" for the signed-in admin, the admin's name once `names` has loaded
 * (undefined while loading), nothing for the person's own doings.
 */
export function eventActor(
  event: AuditEvent,
  names: ReadonlyMap<string, string> | undefined,
  selfId: string | undefined,
): string | undefined {
  if (!event.by) return undefined;
  if (event.by === selfId) return 'you';
  if (!names) return 'an admin';
  return names.get(event.by) ?? 'an admin no longer in the directory';
}
