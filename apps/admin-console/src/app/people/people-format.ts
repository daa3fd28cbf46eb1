import type { UsersApi } from '@directory/client';
import type { Status } from './people-filters';

export type Person = UsersApi.components['schemas']['UserViewDto'];
export type SecondFactor = NonNullable<Person['secondFactors']>[number];

const numbers = new Intl.NumberFormat('en');

export const formatCount = (n: number): string => numbers.format(n);

/** "1 person", "1,234 people". */
export const people = (n: number): string => `${formatCount(n)} ${n === 1 ? 'person' : 'people'}`;

/** What the live region says once a search has answered. */
export function matchSentence(total: number | undefined, loaded: number): string {
  if (total === undefined) return loaded === 0 ? 'No one matches' : `${people(loaded)} shown`;
  if (total === 0) return 'No one matches';
  return `${people(total)} ${total === 1 ? 'matches' : 'match'}`;
}

/** The load-more button's text: how far the list has got. */
export function loadedSentence(loaded: number, total: number | undefined): string {
  return total === undefined ? `${formatCount(loaded)} shown` : `${formatCount(loaded)} of ${formatCount(total)} shown`;
}

export const STATUS_LABELS: Record<Status, string> = {
  active: 'Active',
  suspended: 'Suspended',
  invited: 'Invited',
  deleted: 'Deleted',
};

export const FACTOR_LABELS: Record<SecondFactor, string> = {
  totp: 'Authenticator app',
  webauthn: 'Passkey',
  recovery_code: 'Recovery codes',
};

/** The factors a person has, or "None"; undefined (a view without them) is "—". */
export function factorsText(factors: readonly SecondFactor[] | undefined): string {
  if (factors === undefined) return '—';
  if (factors.length === 0) return 'None';
  return factors.map((factor) => FACTOR_LABELS[factor] ?? factor).join(', ');
}

/** Last sign-in: null means never (admins see it); undefined means the view does not carry it. */
export function lastSignInText(lastLoginAt: string | null | undefined, format: (date: Date) => string): string {
  if (lastLoginAt === undefined) return '—';
  if (lastLoginAt === null) return 'Never';
  const date = new Date(lastLoginAt);
  return Number.isNaN(date.getTime()) ? '—' : format(date);
}

/** Whether the person has a page to link to: GET /users/:id answers 404 for deleted people. */
export const hasPage = (person: Pick<Person, 'status'>): boolean => person.status !== 'deleted';
