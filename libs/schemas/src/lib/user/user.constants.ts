/** Roles a user can hold; `admin` unlocks user management and analytics. */
export const UserRole = {
  Member: 'member',
  Admin: 'admin',
} as const;
export type UserRole = (typeof UserRole)[keyof typeof UserRole];
export const USER_ROLES: readonly UserRole[] = Object.values(UserRole);

/**
 * `deleted` is a soft delete: the document stays so events and reports keep their subject.
 * `invited`: created by an admin, no password yet; becomes `active` when the invitation is accepted.
 */
export const UserStatus = {
  Active: 'active',
  Invited: 'invited',
  Suspended: 'suspended',
  Deleted: 'deleted',
} as const;
export type UserStatus = (typeof UserStatus)[keyof typeof UserStatus];
export const USER_STATUSES: readonly UserStatus[] = Object.values(UserStatus);
/** Everyone but soft-deleted and invited users: what directory reads and analytics count by default. */
export const VISIBLE_USER_STATUSES: readonly UserStatus[] = [UserStatus.Active, UserStatus.Suspended];

/** Length limits shared with the DTOs, so an API rejects what the schema would. */
export const USER_LIMITS = {
  email: 254,
  name: 100,
  displayName: 100,
  title: 120,
  department: 100,
  location: 120,
  phone: 40,
} as const;
