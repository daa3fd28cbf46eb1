import type { AnalyticsApi } from '@directory/client';

type Schemas = AnalyticsApi.components['schemas'];
export type CohortRow = Schemas['CohortRow'];
export type FunnelFigures = Schemas['FunnelFigures'];
export type MfaFactor = Schemas['MfaAdoptionRow']['factor'];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A bucket as a short axis label: `2027-01-03` → "3 Jan", `2027-W01` → "W01", `2027-01` →
 * "Jan 2027". Anything else is shown as the API wrote it. Tables keep the API's own bucket.
 */
export function bucketLabel(bucket: string): string {
  let match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(bucket);
  if (match) return `${Number(match[3])} ${MONTHS[Number(match[2]) - 1] ?? match[2]}`;
  match = /^\d{4}-(W\d{2})$/.exec(bucket);
  if (match) return match[1];
  match = /^(\d{4})-(\d{2})$/.exec(bucket);
  if (match) return `${MONTHS[Number(match[2]) - 1] ?? match[2]} ${match[1]}`;
  return bucket;
}

/** A rate as a percentage, or an en dash when nothing started (the API's null). */
export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '–' : `${(rate * 100).toFixed(1)}%`;
}

export const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** The largest value and the first bucket holding it; undefined for an empty series. */
export function peak(rows: readonly { bucket: string; value: number }[]): { bucket: string; value: number } | undefined {
  return rows.reduce<{ bucket: string; value: number } | undefined>(
    (best, row) => (!best || row.value > best.value ? row : best),
    undefined,
  );
}

export const INTERVAL_NOUN = { day: 'day', week: 'ISO week', month: 'month' } as const;

/**
 * A series for a screen reader: "Signups per day from 2027-01-01 to 2027-01-28: 40 in total,
 * most (5) in 2027-01-09". `peak` leaves the total out, for counts that do not add up across
 * buckets (distinct active users).
 */
export function seriesSummary(
  what: string,
  per: string,
  rows: readonly { bucket: string; count: number }[],
  mode: 'total' | 'peak' = 'total',
): string {
  if (rows.length === 0) return `${what} per ${per}: no buckets in this range`;
  const top = peak(rows.map((r) => ({ bucket: r.bucket, value: r.count })));
  const total = sum(rows.map((r) => r.count));
  const range = `from ${rows[0].bucket} to ${rows[rows.length - 1].bucket}`;
  if (total === 0) return `${what} per ${per} ${range}: none`;
  const most = `most (${top?.value}) in ${top?.bucket}`;
  return `${what} per ${per} ${range}: ${mode === 'total' ? `${total} in total, ${most}` : most}`;
}

export const FAILURE_REASONS = ['bad_password', 'locked', 'unknown_email'] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];
export const REASON_LABELS: Record<FailureReason, string> = {
  bad_password: 'Failed: bad password',
  locked: 'Failed: locked',
  unknown_email: 'Failed: unknown email',
};

/** The generated type says `Record<string, never>` (the DTO has no schema for it); the API sends counts. */
export function failures(row: { failedByReason: unknown }, reason: FailureReason): number {
  const value = (row.failedByReason as Record<string, unknown> | null)?.[reason];
  return typeof value === 'number' ? value : 0;
}

export const BREAKDOWN_LABELS = { department: 'department', role: 'role', status: 'status', emailDomain: 'email domain' } as const;

export const FACTOR_LABELS: Record<MfaFactor, string> = {
  totp: 'Authenticator app (TOTP)',
  webauthn: 'Passkey (WebAuthn)',
  recovery_code: 'Recovery codes',
  any: 'Any second factor (TOTP or passkey)',
};

/** The funnels table's columns after the bucket, as the dashboard shows them. */
export const FUNNEL_COLUMNS: readonly { key: keyof FunnelFigures; label: string; rate?: true }[] = [
  { key: 'registered', label: 'Registered' },
  { key: 'verified', label: 'Verified' },
  { key: 'verificationRate', label: 'Verification rate', rate: true },
  { key: 'invited', label: 'Invited' },
  { key: 'accepted', label: 'Accepted' },
  { key: 'acceptanceRate', label: 'Acceptance rate', rate: true },
  { key: 'mailSent', label: 'Mails sent' },
  { key: 'mailFailed', label: 'Mails failed' },
];

export function funnelCell(figures: FunnelFigures, column: (typeof FUNNEL_COLUMNS)[number]): string {
  const value = figures[column.key];
  return column.rate ? percent(value) : String(value ?? 0);
}

export interface Cohort {
  cohortWeek: string;
  size: number;
  /** Indexed by week offset; undefined past the window (the retention triangle). */
  cells: (CohortRow | undefined)[];
}

/** The API's (cohort, offset) rows as one row per cohort, in the API's order. */
export function groupCohorts(rows: readonly CohortRow[], weeks: number): Cohort[] {
  const byWeek = new Map<string, Cohort>();
  for (const row of rows) {
    let cohort = byWeek.get(row.cohortWeek);
    if (!cohort) {
      cohort = { cohortWeek: row.cohortWeek, size: row.size, cells: Array.from({ length: weeks + 1 }, () => undefined) };
      byWeek.set(row.cohortWeek, cohort);
    }
    if (row.offset >= 0 && row.offset <= weeks) cohort.cells[row.offset] = row;
  }
  return [...byWeek.values()];
}

/** The file name a CSV download is saved under: `signups-2027-01-01-2027-01-28.csv`. */
export function csvFileName(route: string, parts: readonly (string | number | undefined)[]): string {
  const name = route.replace(/^\/analytics\//, '');
  return `${[name, ...parts.filter((p) => p !== undefined && p !== '')].join('-')}.csv`.replace(/[^A-Za-z0-9._-]/g, '_');
}
