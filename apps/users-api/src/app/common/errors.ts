import { ConflictException, NotFoundException } from '@nestjs/common';
import { PlatformErrorCode } from '@directory/platform';

/** Every `code` users-api puts in an error body (platform-wide codes: libs/platform). */
export const UsersErrorCode = {
  NotFound: PlatformErrorCode.NotFound,
  Forbidden: PlatformErrorCode.Forbidden,
  InvalidQuery: 'invalid_query',
  InvalidId: 'invalid_id',
  InvalidCursor: 'invalid_cursor',
  InvalidManager: 'invalid_manager',
  EmptyUpdate: 'empty_update',
  VersionConflict: PlatformErrorCode.VersionConflict,
  VersionRequired: 'version_required',
  InvalidIfMatch: 'invalid_if_match',
  SelfLockout: 'self_lockout',
  LastAdmin: 'last_admin',
  NotAcceptable: PlatformErrorCode.NotAcceptable,
  TooManyRequests: PlatformErrorCode.TooManyRequests,
  /** Another account has this email address (an invitation or an email change). */
  EmailTaken: 'email_taken',
  /** The user is not (or no longer) a pending invitation: resend or revoke does not apply. */
  NotInvited: 'not_invited',
  /** The user's invitation is pending: it is accepted or revoked, not edited into another status. */
  InvitationPending: 'invitation_pending',
  /** An admin-triggered password reset is for active users only. */
  NotActive: 'not_active',
} as const;
export type UsersErrorCode = (typeof UsersErrorCode)[keyof typeof UsersErrorCode];

export function userNotFound(): NotFoundException {
  return new NotFoundException({ message: 'User not found', code: UsersErrorCode.NotFound });
}

export function versionConflict(): ConflictException {
  return new ConflictException({
    message: 'The profile was changed by someone else since you read it; GET it again and reapply your change',
    code: UsersErrorCode.VersionConflict,
  });
}

export function emailTaken(): ConflictException {
  return new ConflictException({ message: 'Another account uses this email address', code: UsersErrorCode.EmailTaken });
}

/** The change would leave no active admin: nobody could manage users any more (issue 12). */
export function lastAdmin(): ConflictException {
  return new ConflictException({
    message: 'This change would leave no active admin; promote another admin first',
    code: UsersErrorCode.LastAdmin,
  });
}
