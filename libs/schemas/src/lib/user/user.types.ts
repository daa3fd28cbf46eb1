import type { Types } from 'mongoose';
import type { UserRole, UserStatus } from './user.constants';
import type { SecondFactorType } from '../event/event.constants';

export interface UserName {
  first: string;
  last: string;
}

/** What clients may ask to change (through a DTO that whitelists a subset of these). */
export interface UserProfileFields {
  email: string;
  name: UserName;
  displayName?: string | null;
  title?: string | null;
  department?: string | null;
  location?: string | null;
  phone?: string | null;
  /** Manager on the "many" side of the relationship (PRINCIPLES.md #4). */
  managerId?: Types.ObjectId | null;
}

/** Keys only middleware writes; any value a client sends for them is overwritten. */
export interface UserDerivedFields {
  /** Normalized name, display-name and email keys a prefix search matches against. */
  searchKeys: string[];
  /** Every prefix (up to 16 characters) of every search key: a search is one equality. */
  searchPrefixes: string[];
  /** Normalized "last first": the order search results and directory pages are sorted by. */
  sortName: string;
  emailDomain: string;
  /** Signup buckets from `createdAt` (UTC): `YYYY-MM-DD`, `GGGG-Www`, `YYYY-MM`. */
  signupDay: string;
  signupWeek: string;
  signupMonth: string;
}

export interface UserFields extends UserProfileFields, UserDerivedFields {
  roles: UserRole[];
  status: UserStatus;
  lastLoginAt?: Date | null;
  /** Access tokens issued before this instant are refused (logout everywhere, password change). */
  tokensValidAfter?: Date | null;
  /** When the user proved they receive mail at `email`; cleared when the email changes. */
  emailVerifiedAt?: Date | null;
  /** The latest invitation's instant: an invitation link is valid only for the latest one. */
  invitedAt?: Date | null;
  /** The admin who sent the latest invitation. */
  invitedBy?: Types.ObjectId | null;
  /** Second factors the user has active, a summary auth-api keeps (the factors themselves stay in auth-api's collections). */
  secondFactors?: SecondFactorType[];
  createdAt: Date;
  updatedAt: Date;
}

export interface UserVirtuals {
  /** "First Last". */
  fullName: string;
}
