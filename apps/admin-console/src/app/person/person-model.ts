import type { AuthApi, UsersApi } from '@directory/client';
import { dateTime } from '../shared/date-time';

export type Person = UsersApi.components['schemas']['UserViewDto'];
export type PersonStatus = Person['status'];
export type Role = Person['roles'][number];
export type AdminPatch = UsersApi.components['schemas']['AdminUpdateUserDto'];
export type FactorList = AuthApi.components['schemas']['FactorListDto'];

export const ROLES: readonly Role[] = ['member', 'admin'];

/** Every query of this page starts with this, so the People list (['people', …]) never collides with it. */
export const personKey = (id: string) => ['person', id] as const;

/** A MongoDB ObjectId; anything else cannot name a person, so the page says so without asking. */
export const isPersonId = (id: string | undefined): id is string => id !== undefined && /^[0-9a-f]{24}$/i.test(id);

/** `If-Match` for a version read from the service (RFC 9110 quotes entity tags). */
export const versionTag = (version: number): string => `"${version}"`;

export type PersonAction = 'suspend' | 'restore' | 'delete' | 'passwordReset' | 'unlock' | 'resendInvitation' | 'revokeInvitation';

/**
 * What an admin may do to a person in this status. Yourself: no suspend or delete (the service
 * refuses them with 409 `self_lockout`, so the buttons would only lead to an error).
 */
export function actionsFor(status: PersonStatus, isSelf: boolean): PersonAction[] {
  switch (status) {
    case 'active':
      return [...(isSelf ? [] : (['suspend', 'delete'] as const)), 'passwordReset', 'unlock'];
    case 'suspended':
      return ['restore', ...(isSelf ? [] : (['delete'] as const)), 'unlock'];
    case 'invited':
      return ['resendInvitation', 'revokeInvitation'];
    case 'deleted':
      return [];
  }
}

/**
 * Whether the action changes the person's status (delete and revoke included). Its answer then
 * invalidates every person's queries, not just this one's: a manager's Direct reports show it.
 */
export const changesStatus = (action: PersonAction): boolean =>
  action === 'suspend' || action === 'restore' || action === 'delete' || action === 'revokeInvitation';

/**
 * The role the signed-in admin may not untick on their own page: their admin role (the service
 * answers 409 `self_lockout`). Undefined when nothing is locked.
 */
export const lockedRole = (person: Pick<Person, 'roles'>, isSelf: boolean): Role | undefined =>
  isSelf && person.roles.includes('admin') ? 'admin' : undefined;

export interface ManagerChain {
  /** The top of the chain first, the person's own manager last. */
  managers: Person[];
  /** Why the walk stopped before a person without a manager, if it did. */
  stopped?: 'limit' | 'cycle' | 'missing';
}

/**
 * Walks `managerId` upwards from the person's manager: at most `max` levels, stopping on a
 * repeat (the service refuses cycles, but old data may hold one) or a manager no longer in the
 * directory (`load` answers undefined: deleted or unknown).
 */
export async function walkManagerChain(
  person: Pick<Person, 'id' | 'managerId'>,
  load: (id: string) => Promise<Person | undefined>,
  max = 10,
): Promise<ManagerChain> {
  const upwards: Person[] = [];
  const seen = new Set<string>([person.id]);
  let next = person.managerId;
  while (next) {
    if (seen.has(next)) return { managers: upwards.reverse(), stopped: 'cycle' };
    if (upwards.length >= max) return { managers: upwards.reverse(), stopped: 'limit' };
    seen.add(next);
    const manager = await load(next);
    if (!manager) return { managers: upwards.reverse(), stopped: 'missing' };
    upwards.push(manager);
    next = manager.managerId;
  }
  return { managers: upwards.reverse() };
}

export interface EditValues {
  title: string;
  department: string;
  roles: Role[];
}

export const editValuesOf = (person: Person): EditValues => ({
  title: person.title ?? '',
  department: person.department ?? '',
  roles: ROLES.filter((role) => person.roles.includes(role)),
});

/**
 * The PATCH body for what the form changed, or undefined when nothing did. Blank text clears
 * the field (null); roles are sent as the complete new set, as the service expects.
 */
export function editPatch(person: Person, values: EditValues): AdminPatch | undefined {
  const patch: AdminPatch = {};
  const title = values.title.trim() || null;
  const department = values.department.trim() || null;
  if (title !== (person.title ?? null)) patch.title = title;
  if (department !== (person.department ?? null)) patch.department = department;
  const roles = ROLES.filter((role) => values.roles.includes(role));
  const before = ROLES.filter((role) => person.roles.includes(role));
  if (roles.join() !== before.join()) patch.roles = roles;
  return Object.keys(patch).length > 0 ? patch : undefined;
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "1 Dec 2026, 03:05" in the browser's time zone; "—" for nothing. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : dateTime.format(date);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "5 minutes ago", "yesterday", "in 3 days"; "just now" under a minute. */
export function formatRelative(iso: string, now: Date = new Date()): string {
  const seconds = (new Date(iso).getTime() - now.getTime()) / 1000;
  if (Number.isNaN(seconds)) return '—';
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.trunc(seconds / size), unit);
  }
  return 'just now';
}

/** "2 active sessions, last used 5 minutes ago". */
export function sessionsSummary(sessions: { active: number; lastUsedAt: string | null }, now: Date = new Date()): string {
  if (sessions.active === 0) return 'No active sessions';
  const count = sessions.active === 1 ? '1 active session' : `${sessions.active} active sessions`;
  return sessions.lastUsedAt ? `${count}, last used ${formatRelative(sessions.lastUsedAt, now)}` : count;
}

/** "Firefox on Linux" from a User-Agent: enough to tell sessions apart, not a full parser. */
export function describeUserAgent(userAgent: string | undefined): string {
  if (!userAgent) return 'Unknown client';
  const browser =
    [
      ['Edg/', 'Edge'],
      ['OPR/', 'Opera'],
      ['Firefox/', 'Firefox'],
      ['Chrome/', 'Chrome'],
      ['Safari/', 'Safari'],
      ['curl/', 'curl'],
    ].find(([token]) => userAgent.includes(token))?.[1] ?? undefined;
  const system =
    [
      ['Android', 'Android'],
      ['iPhone', 'iOS'],
      ['iPad', 'iPadOS'],
      ['Windows', 'Windows'],
      ['Mac OS X', 'macOS'],
      ['CrOS', 'ChromeOS'],
      ['Linux', 'Linux'],
    ].find(([token]) => userAgent.includes(token))?.[1] ?? undefined;
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? (userAgent.length > 40 ? `${userAgent.slice(0, 40)}…` : userAgent);
}

const AMR: Record<string, string> = {
  pwd: 'password',
  otp: 'authenticator code',
  hwk: 'passkey',
  swk: 'passkey',
  user: 'passkey',
  mfa: 'second factor',
  kba: 'recovery code',
};

/** RFC 8176 method names in words: ['pwd','otp','mfa'] → "password, authenticator code". */
export function describeAmr(amr: readonly string[]): string {
  const words = [...new Set(amr.filter((method) => method !== 'mfa').map((method) => AMR[method] ?? method))];
  return words.length > 0 ? words.join(', ') : '—';
}
