import type { UsersApi } from '@directory/client';

/** The filters GET /users and GET /users/export share, as the services type them. */
export type UserFilterQuery = NonNullable<UsersApi.operations['ExportController_export']['parameters']['query']>;
export type Role = NonNullable<UserFilterQuery['role']>;
export type Status = NonNullable<UserFilterQuery['status']>;
export type Verified = NonNullable<UserFilterQuery['verified']>;

export const ROLES: readonly Role[] = ['member', 'admin'];
export const STATUSES: readonly Status[] = ['active', 'suspended', 'invited', 'deleted'];
const VERIFIED: readonly Verified[] = ['true', 'false'];

/** users-api's limits (MAX_QUERY_LENGTH, USER_LIMITS.department): longer is a 400, so it is cut here. */
export const MAX_Q_LENGTH = 100;
export const MAX_DEPARTMENT_LENGTH = 100;

/**
 * What the People page filters by. Every field is optional: absent means "not filtered".
 * Dates are calendar days (`YYYY-MM-DD`, what `<input type="date">` gives and what reads well in
 * a shared URL); the API wants instants, see `toApiQuery`.
 */
export interface PeopleFilters {
  q?: string;
  department?: string;
  role?: Role;
  status?: Status;
  verified?: Verified;
  /** Last sign-in before this day, or never (dormant accounts). */
  lastActiveBefore?: string;
  /** Last sign-in on or after this day. */
  lastActiveAfter?: string;
}

export type FilterKey = keyof PeopleFilters;

/** URL order: stable, so the same view is always the same link. */
export const FILTER_KEYS: readonly FilterKey[] = ['q', 'department', 'role', 'status', 'verified', 'lastActiveBefore', 'lastActiveAfter'];

// eslint-disable-next-line no-control-regex -- users-api refuses control characters in q (400): drop them
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

/** q as users-api takes it: no control characters, no surrounding blanks (they would match no one), at most 100 characters. */
export function normalizeQ(value: string): string {
  return value.replace(CONTROL_CHARACTERS, '').trim().slice(0, MAX_Q_LENGTH);
}

export function normalizeDepartment(value: string): string {
  return value.replace(CONTROL_CHARACTERS, '').trim().slice(0, MAX_DEPARTMENT_LENGTH);
}

/**
 * A real calendar day `YYYY-MM-DD` from year 1000 on (users-api refuses years 0000–0099, and a date
 * input gives those while a year is being typed), else ''.
 */
export function normalizeDay(value: string): string {
  const match = /^([1-9]\d{3})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!match) return '';
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2025-02-30 over to March: a day that does not survive the round trip does not exist.
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? match[0] : '';
}

const oneOf = <T extends string>(allowed: readonly T[], value: string | null | undefined): T | undefined =>
  allowed.find((candidate) => candidate === value);

/** The value a filter keeps from raw text, '' when it means "not filtered". */
function clean(key: FilterKey, raw: string | null | undefined): string {
  if (raw == null) return '';
  switch (key) {
    case 'q':
      return normalizeQ(raw);
    case 'department':
      return normalizeDepartment(raw);
    case 'role':
      return oneOf(ROLES, raw) ?? '';
    case 'status':
      return oneOf(STATUSES, raw) ?? '';
    case 'verified':
      return oneOf(VERIFIED, raw) ?? '';
    case 'lastActiveBefore':
    case 'lastActiveAfter':
      return normalizeDay(raw);
  }
}

/** Filters from a URL's query (`?q=jos&status=suspended`): empty, unknown or malformed values are ignored. */
export function parseFilters(params: URLSearchParams): PeopleFilters {
  const filters: PeopleFilters = {};
  for (const key of FILTER_KEYS) setFilter(filters, key, params.get(key));
  return filters;
}

function setFilter(filters: PeopleFilters, key: FilterKey, raw: string | null | undefined): void {
  const value = clean(key, raw);
  // clean() only lets through values of the key's own type.
  if (value) (filters as Record<FilterKey, string>)[key] = value;
  else delete filters[key];
}

/** A copy with one filter changed; '' (or a value the filter does not take) removes it. */
export function withFilter(filters: PeopleFilters, key: FilterKey, raw: string): PeopleFilters {
  const next = { ...filters };
  setFilter(next, key, raw);
  return next;
}

/** The URL query for filters: only the filters set, in FILTER_KEYS order. */
export function toSearchParams(filters: PeopleFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  return params;
}

export const hasFilters = (filters: PeopleFilters): boolean => FILTER_KEYS.some((key) => filters[key]);

/**
 * The API's query for filters. A day becomes its first instant in UTC, so "before 2026-01-01"
 * means before that day began and "on or after" includes the whole day — the same UTC days
 * admin-analytics reports in.
 */
export function toApiQuery(filters: PeopleFilters): UserFilterQuery {
  const query: UserFilterQuery = {};
  if (filters.q) query.q = filters.q;
  if (filters.department) query.department = filters.department;
  if (filters.role) query.role = filters.role;
  if (filters.status) query.status = filters.status;
  if (filters.verified) query.verified = filters.verified;
  if (filters.lastActiveBefore) query.lastActiveBefore = `${filters.lastActiveBefore}T00:00:00Z`;
  if (filters.lastActiveAfter) query.lastActiveAfter = `${filters.lastActiveAfter}T00:00:00Z`;
  return query;
}
