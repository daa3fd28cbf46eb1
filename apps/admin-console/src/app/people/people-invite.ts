import type { UsersApi } from '@directory/client';
import { isApiError } from '../api/api-error';
import type { Role } from './people-filters';

export type InviteBody = UsersApi.components['schemas']['InviteUserDto'];

/** The invitation form's fields, as typed. */
export interface InviteForm {
  email: string;
  first: string;
  last: string;
  department: string;
  title: string;
  role: Role;
}

/**
 * POST /users/invitations' body: values trimmed, and optional fields left out when blank
 * (users-api refuses a blank department or title with 400 rather than ignoring it).
 * An admin is given both roles: elsewhere in the directory an admin is also a member.
 */
export function invitationBody(form: InviteForm): InviteBody {
  const body: InviteBody = {
    email: form.email.trim(),
    name: { first: form.first.trim(), last: form.last.trim() },
    roles: form.role === 'admin' ? ['member', 'admin'] : ['member'],
  };
  const department = form.department.trim();
  const title = form.title.trim();
  if (department) body.department = department;
  if (title) body.title = title;
  return body;
}

/** Where the form shows an error: next to the email field, or above the buttons. */
export interface InviteProblem {
  field?: 'email';
  message: string;
}

export function inviteProblem(error: unknown): InviteProblem {
  if (isApiError(error, 'email_taken'))
    return { field: 'email', message: 'An account already uses this address. Search for it instead, or use another address.' };
  if (isApiError(error) && error.status === 400) return { message: `Check the form: ${error.message}` };
  if (isApiError(error, 'forbidden')) return { message: 'Admin role required for this.' };
  if (isApiError(error, 'mfa_required')) return { message: 'Admins need a sign-in with a second factor to invite people.' };
  if (isApiError(error) && error.status === 429) return { message: 'Too many requests; wait a moment and try again.' };
  if (isApiError(error)) return { message: `The invitation failed (${error.message}); try again.` };
  return { message: 'The service could not be reached; check your connection and try again.' };
}
