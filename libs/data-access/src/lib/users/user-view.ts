import type { UserFields } from '@directory/schemas';
import type { Types } from 'mongoose';

/**
 * What every read asks the database for (PRINCIPLES.md #10: lean reads with a projection).
 * `sortName` is read for the page cursor only and never shown; `__v` becomes `version`.
 */
export const USER_VIEW_PROJECTION = {
  email: 1,
  name: 1,
  displayName: 1,
  title: 1,
  department: 1,
  location: 1,
  phone: 1,
  managerId: 1,
  roles: 1,
  status: 1,
  createdAt: 1,
  updatedAt: 1,
  __v: 1,
  sortName: 1,
  emailVerifiedAt: 1,
} as const;

/**
 * Admins also see when someone last signed in (dormant-account work), who invited them, when,
 * and which second-factor types they have (auth-api's non-secret summary, for support).
 */
export const ADMIN_USER_VIEW_PROJECTION = {
  ...USER_VIEW_PROJECTION,
  lastLoginAt: 1,
  invitedAt: 1,
  invitedBy: 1,
  secondFactors: 1,
} as const;

export type LeanUser = Pick<
  UserFields,
  | 'email'
  | 'name'
  | 'displayName'
  | 'title'
  | 'department'
  | 'location'
  | 'phone'
  | 'managerId'
  | 'roles'
  | 'status'
  | 'sortName'
  | 'lastLoginAt'
  | 'emailVerifiedAt'
  | 'invitedAt'
  | 'invitedBy'
  | 'secondFactors'
  | 'createdAt'
  | 'updatedAt'
> & { _id: Types.ObjectId; __v?: number };

/** A user as the API shows it: `id` and `version`, no internal keys. */
export interface UserView {
  id: string;
  email: string;
  name: { first: string; last: string };
  fullName: string;
  displayName: string | null;
  title: string | null;
  department: string | null;
  location: string | null;
  phone: string | null;
  managerId: string | null;
  roles: string[];
  status: string;
  /** The user proved they receive mail at `email` (a verification, invitation or email-change link). */
  emailVerified: boolean;
  lastLoginAt?: string | null;
  /** Admins only, while an invitation is pending: the latest invitation's instant. */
  invitedAt?: string;
  /** Admins only: the admin who invited the user, when they were invited. */
  invitedBy?: string;
  /** Admins only: the user's second-factor types (`totp`, `webauthn`, `recovery_code`), [] when none. */
  secondFactors?: string[];
  createdAt: string;
  updatedAt: string;
  /** Send it back in `If-Match` to change the profile (optimistic concurrency). */
  version: number;
}

const iso = (date: Date | null | undefined): string | null => (date ? new Date(date).toISOString() : null);

export function toUserView(user: LeanUser, options: { admin?: boolean } = {}): UserView {
  const view: UserView = {
    id: user._id.toHexString(),
    email: user.email,
    name: { first: user.name?.first ?? '', last: user.name?.last ?? '' },
    fullName: `${user.name?.first ?? ''} ${user.name?.last ?? ''}`.trim(),
    displayName: user.displayName ?? null,
    title: user.title ?? null,
    department: user.department ?? null,
    location: user.location ?? null,
    phone: user.phone ?? null,
    managerId: user.managerId ? user.managerId.toHexString() : null,
    roles: user.roles ?? [],
    status: user.status,
    emailVerified: Boolean(user.emailVerifiedAt),
    createdAt: iso(user.createdAt) ?? '',
    updatedAt: iso(user.updatedAt) ?? '',
    version: user.__v ?? 0,
  };
  if (options.admin) {
    view.lastLoginAt = iso(user.lastLoginAt);
    if (user.invitedAt) view.invitedAt = new Date(user.invitedAt).toISOString();
    if (user.invitedBy) view.invitedBy = user.invitedBy.toHexString();
    view.secondFactors = [...(user.secondFactors ?? [])];
  }
  return view;
}
