/**
 * What the analytics page shows — range, bucket size, cohort weeks, breakdown field — read from
 * and written to the URL so a view can be shared. Days are UTC `YYYY-MM-DD`, `to` exclusive, as
 * admin-analytics reads them (README "admin-analytics").
 */
export const INTERVALS = ['day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

export const BREAKDOWNS = ['department', 'role', 'status', 'emailDomain'] as const;
export type BreakdownBy = (typeof BREAKDOWNS)[number];

export interface AnalyticsView {
  from: string;
  /** Exclusive. */
  to: string;
  interval: Interval;
  /** Cohort week offsets 0..weeks. */
  weeks: number;
  by: BreakdownBy;
}

/** The dashboard's defaults: the 28 days up to today, daily, 8 cohort weeks, by department. */
export const DEFAULT_DAYS = 28;
export const DEFAULT_WEEKS = 8;
export const MAX_WEEKS = 52;

const DAY_MS = 86_400_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A real calendar day in `YYYY-MM-DD` (2026-02-30 is not). */
export function isCalendarDay(value: string): boolean {
  const match = DAY_PATTERN.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return isoDay(date) === value;
}

export function addDays(day: string, days: number): string {
  return isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
}

export function defaultView(now: Date): AnalyticsView {
  const to = addDays(isoDay(now), 1);
  return { from: addDays(to, -DEFAULT_DAYS), to, interval: 'day', weeks: DEFAULT_WEEKS, by: 'department' };
}

function isWeeks(value: string | null): value is string {
  return value !== null && /^\d{1,2}$/.test(value) && Number(value) <= MAX_WEEKS;
}

const oneOf = <T extends string>(values: readonly T[], value: string | null): value is T => values.includes(value as T);

/**
 * The view a URL asks for. A malformed value falls back to the default rather than failing the
 * page, and a range that ends before it starts falls back as a whole: a shared link still opens.
 */
export function parseView(params: URLSearchParams, now: Date): AnalyticsView {
  const fallback = defaultView(now);
  const day = (name: 'from' | 'to') => {
    const value = params.get(name);
    return value !== null && isCalendarDay(value) ? value : undefined;
  };
  let to = day('to');
  let from = day('from');
  // Only one end given: keep the default width on the other side.
  if (from && !to) to = addDays(from, DEFAULT_DAYS);
  if (to && !from) from = addDays(to, -DEFAULT_DAYS);
  if (!from || !to || from >= to) ({ from, to } = fallback);
  const interval = params.get('interval');
  const by = params.get('by');
  const weeks = params.get('weeks');
  return {
    from,
    to,
    interval: oneOf(INTERVALS, interval) ? interval : fallback.interval,
    weeks: isWeeks(weeks) ? Number(weeks) : fallback.weeks,
    by: oneOf(BREAKDOWNS, by) ? by : fallback.by,
  };
}

/** The URL's query for a view: every field, so a shared link shows the same days tomorrow. */
export function viewToSearch(view: AnalyticsView): URLSearchParams {
  return new URLSearchParams({ from: view.from, to: view.to, interval: view.interval, weeks: String(view.weeks), by: view.by });
}

/** The range form as typed, before it is applied. */
export interface ViewDraft {
  from: string;
  to: string;
  weeks: string;
}

export type DraftErrors = Partial<Record<keyof ViewDraft, string>>;

/** Messages for the fields that would make admin-analytics answer 400, keyed by field. */
export function draftErrors(draft: ViewDraft): DraftErrors {
  const errors: DraftErrors = {};
  if (!isCalendarDay(draft.from)) errors.from = 'Enter a start date.';
  if (!isCalendarDay(draft.to)) errors.to = 'Enter an end date.';
  else if (!errors.from && draft.from >= draft.to) errors.to = 'The end date must be after the start date (the end is not included).';
  if (!isWeeks(draft.weeks.trim())) errors.weeks = `Enter a whole number of weeks from 0 to ${MAX_WEEKS}.`;
  return errors;
}

/** The last day a range counts (its `to` is exclusive), for people reading it. */
export function lastDay(view: Pick<AnalyticsView, 'to'>): string {
  return addDays(view.to, -1);
}
