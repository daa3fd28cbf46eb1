import { dayKey, emailDomain, isoWeekKey, monthKey, normalizeText } from '../shared/normalize';
import type { UserDerivedFields } from './user.types';

/** The profile values every derived key is computed from. */
export interface UserKeyInputs {
  first?: string | null;
  last?: string | null;
  displayName?: string | null;
  email?: string | null;
}

/** Profile paths whose change requires recomputing the derived keys. */
export const USER_KEY_INPUT_PATHS = ['name.first', 'name.last', 'displayName', 'email'] as const;
export type UserKeyInputPath = (typeof USER_KEY_INPUT_PATHS)[number];

/** Paths only middleware writes (UserDerivedFields). */
export const USER_DERIVED_PATHS = [
  'searchKeys',
  'searchPrefixes',
  'sortName',
  'emailDomain',
  'signupDay',
  'signupWeek',
  'signupMonth',
] as const satisfies readonly (keyof UserDerivedFields)[];

/**
 * The strings a prefix query "q" may start with — first, last and display name, each of
 * their words, "first last", "last first" and the email — normalized. Their prefixes are
 * stored in `searchPrefixes` (see `userSearchPrefixes`), so "q matches any of them" is ONE
 * equality on ONE index, {searchPrefixes, sortName, _id}, instead of an `$or` over several
 * indexes that then have to be merged and sorted. The array stays small (a dozen short strings).
 */
export function userSearchKeys(input: UserKeyInputs): string[] {
  const first = normalizeText(input.first);
  const last = normalizeText(input.last);
  const display = normalizeText(input.displayName);
  const keys = new Set<string>();
  const add = (key: string) => {
    if (key) keys.add(key);
  };
  for (const part of [first, last, display]) {
    add(part);
    for (const word of part.split(' ')) add(word);
  }
  add(`${first} ${last}`.trim());
  add(`${last} ${first}`.trim());
  add(normalizeText(input.email));
  // Sorted so that recomputing unchanged inputs yields an equal array: Mongoose then
  // sees no change and a save does not rewrite the index entries.
  return [...keys].sort();
}

/** Normalized "last first": directory order is by family name, ties broken by `_id`. */
export function userSortName(input: Pick<UserKeyInputs, 'first' | 'last'>): string {
  return `${normalizeText(input.last)} ${normalizeText(input.first)}`.trim();
}

/**
 * Longest prefix stored in `searchPrefixes`. Longer queries use the stored prefix of this
 * length for the index bounds and check the rest against `searchKeys`.
 */
export const SEARCH_PREFIX_MAX = 16;

/**
 * Every prefix (1..SEARCH_PREFIX_MAX characters) of every search key, so a search for "jo"
 * is an EQUALITY on {searchPrefixes, sortName, _id}: the index then yields matches already in
 * name order and a page reads at most limit + 1 keys. A range or regex on `searchKeys` would
 * have to read every matching key and sort them. A user has a few dozen short entries.
 */
export function userSearchPrefixes(searchKeys: readonly string[]): string[] {
  const prefixes = new Set<string>();
  for (const key of searchKeys) {
    for (let length = 1; length <= Math.min(key.length, SEARCH_PREFIX_MAX); length++) prefixes.add(key.slice(0, length));
  }
  return [...prefixes].sort();
}

export function userProfileKeys(
  input: UserKeyInputs,
): Pick<UserDerivedFields, 'searchKeys' | 'searchPrefixes' | 'sortName' | 'emailDomain'> {
  const searchKeys = userSearchKeys(input);
  return {
    searchKeys,
    searchPrefixes: userSearchPrefixes(searchKeys),
    sortName: userSortName(input),
    emailDomain: emailDomain(input.email),
  };
}

export function userSignupKeys(createdAt: Date): Pick<UserDerivedFields, 'signupDay' | 'signupWeek' | 'signupMonth'> {
  return {
    signupDay: dayKey(createdAt),
    signupWeek: isoWeekKey(createdAt),
    signupMonth: monthKey(createdAt),
  };
}

const REGEXP_SPECIALS = /[.*+?^${}()|[\]\\]/g;

/**
 * Filter value for `searchKeys` that matches keys starting with the normalized query, or
 * `null` when the query normalizes to nothing (browse instead). An anchored,
 * case-sensitive regex with an escaped literal becomes tight index bounds, and unlike a
 * `$gte`/`$lt` pair it cannot be satisfied by two different array elements. A RegExp
 * (not `{ $regex }`) also passes `sanitizeFilter` untouched.
 *
 *   const prefix = userSearchPrefix(q);
 *   User.find(prefix ? { searchKeys: prefix } : {}).sort({ sortName: 1, _id: 1 })
 */
export function userSearchPrefix(q: string | null | undefined): RegExp | null {
  const normalized = normalizeText(q);
  return normalized ? new RegExp(`^${normalized.replace(REGEXP_SPECIALS, '\\$&')}`) : null;
}

/**
 * The filter for "q is a prefix of a name, display name or email", or `null` when q
 * normalizes to nothing (browse instead). Up to SEARCH_PREFIX_MAX characters it is one
 * equality on `searchPrefixes`; longer queries add the escaped prefix regex on `searchKeys`
 * to the equality on their first SEARCH_PREFIX_MAX characters. No operator objects: the
 * filter passes `sanitizeFilter` as it is.
 *
 *   User.find({ ...userSearchFilter(q) }).sort({ sortName: 1, _id: 1 })
 */
export function userSearchFilter(q: string | null | undefined): { searchPrefixes: string; searchKeys?: RegExp } | null {
  const normalized = normalizeText(q);
  if (!normalized) return null;
  if (normalized.length <= SEARCH_PREFIX_MAX) return { searchPrefixes: normalized };
  return { searchPrefixes: normalized.slice(0, SEARCH_PREFIX_MAX), searchKeys: userSearchPrefix(normalized) as RegExp };
}
