import { dayKey, isoWeekKey, monthKey, parseDayKey } from '@directory/schemas';

/**
 * Calendar arithmetic in UTC for the bucket sequences answers are zero-filled over. The keys
 * are the ones the schemas' middleware stores (dayKey/isoWeekKey/monthKey), so a bucket
 * computed here always names the same bucket as a stored `day`/`week`/`month`.
 */
export type Interval = 'day' | 'week' | 'month';
export const INTERVALS: readonly Interval[] = ['day', 'week', 'month'];

export const DAY_MS = 86_400_000;

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** Monday 00:00 UTC of the ISO week the instant falls in. */
export function startOfIsoWeek(date: Date): Date {
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  return addDays(new Date(midnight), -((date.getUTCDay() + 6) % 7));
}

export function startOfMonth(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}

function nextMonth(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
}

/** Start of the bucket an instant falls in. */
export function bucketStart(interval: Interval, date: Date): Date {
  if (interval === 'week') return startOfIsoWeek(date);
  if (interval === 'month') return startOfMonth(date);
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

function nextBucket(interval: Interval, start: Date): Date {
  if (interval === 'week') return addDays(start, 7);
  if (interval === 'month') return nextMonth(start);
  return addDays(start, 1);
}

/** The stored key of the bucket an instant falls in. */
export function bucketKey(interval: Interval, date: Date): string {
  if (interval === 'week') return isoWeekKey(date);
  if (interval === 'month') return monthKey(date);
  return dayKey(date);
}

export interface DayRange {
  /** Inclusive, UTC midnight. */
  from: Date;
  /** Exclusive, UTC midnight. */
  to: Date;
}

/**
 * Widens [from, to) to whole buckets: a week answer starts on a Monday and ends before one,
 * a month answer covers whole months. Every bucket is then complete, and its count means the
 * same whatever day the caller picked.
 */
export function snapToBuckets(interval: Interval, range: DayRange): DayRange {
  const from = bucketStart(interval, range.from);
  const lastDay = addDays(range.to, -1);
  return { from, to: nextBucket(interval, bucketStart(interval, lastDay)) };
}

/** Every bucket key in [from, to), in order; `from` must be a bucket start. */
export function bucketKeys(interval: Interval, range: DayRange): string[] {
  const keys: string[] = [];
  for (let start = range.from; start < range.to; start = nextBucket(interval, start)) keys.push(bucketKey(interval, start));
  return keys;
}

/** Monday 00:00 UTC of an ISO week key `GGGG-Www` (week 1 is the week with January 4th). */
export function startOfWeekKey(week: string): Date {
  const match = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!match) throw new RangeError(`Expected a GGGG-Www week key, got "${week}"`);
  const week1 = startOfIsoWeek(new Date(Date.UTC(Number(match[1]), 0, 4)));
  return addDays(week1, (Number(match[2]) - 1) * 7);
}

/** The week key `weeks` weeks after `week` (negative goes back). */
export function addWeeks(week: string, weeks: number): string {
  return isoWeekKey(addDays(startOfWeekKey(week), weeks * 7));
}

/** The cohort window: weeks+1 whole weeks from the week of `from`. */
export function cohortWindow(from: Date, weeks: number): DayRange {
  return snapToBuckets('week', { from, to: addDays(from, (weeks + 1) * 7 - 6) });
}

export { dayKey, parseDayKey };
