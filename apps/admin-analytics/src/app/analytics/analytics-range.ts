import { BadRequestException } from '@nestjs/common';
import { AnalyticsErrorCode } from '../analytics-error-codes';
import { addDays, cohortWindow, DAY_MS, parseDayKey, snapToBuckets, type DayRange, type Interval } from '@directory/data-access';

export const DEFAULT_RANGE_DAYS = 28;

function today(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

function invalid(message: string, code: AnalyticsErrorCode): BadRequestException {
  return new BadRequestException({ message, code });
}

/**
 * The requested [from, to) checked against the cap (before widening to whole buckets, so the
 * cap means what the caller asked for), then snapped to the interval's buckets.
 */
export function resolveRange(query: { from?: string; to?: string }, interval: Interval, maxRangeDays: number, now = new Date()): DayRange {
  const to = query.to ? parseDayKey(query.to) : addDays(today(now), 1);
  const from = query.from ? parseDayKey(query.from) : addDays(to, -DEFAULT_RANGE_DAYS);
  if (from >= to) throw invalid('from must be before to (to is exclusive)', AnalyticsErrorCode.InvalidRange);
  const days = Math.round((to.getTime() - from.getTime()) / DAY_MS);
  if (days > maxRangeDays) {
    throw invalid(
      `The range spans ${days} days; at most ${maxRangeDays} are allowed (ANALYTICS_MAX_RANGE_DAYS)`,
      AnalyticsErrorCode.RangeTooLarge,
    );
  }
  return snapToBuckets(interval, { from, to });
}

/** The cohort window: weeks+1 whole weeks from the week of `from`, capped like any range. */
export function resolveCohortWindow(query: { from?: string; weeks: number }, maxRangeDays: number, now = new Date()): DayRange {
  const days = (query.weeks + 1) * 7;
  if (days > maxRangeDays) {
    throw invalid(
      `${query.weeks + 1} weeks span ${days} days; at most ${maxRangeDays} are allowed (ANALYTICS_MAX_RANGE_DAYS)`,
      AnalyticsErrorCode.RangeTooLarge,
    );
  }
  return cohortWindow(query.from ? parseDayKey(query.from) : addDays(today(now), -7 * query.weeks), query.weeks);
}

/**
 * The start of a window that ends now (snapshots such as MFA adoption): default the dashboard's
 * (28 days before tomorrow), at most ANALYTICS_MAX_RANGE_DAYS back. A later day is no error:
 * nobody has signed in since, so the answer is empty, not refused.
 */
export function resolveSince(query: { from?: string }, maxRangeDays: number, now = new Date()): Date {
  const tomorrow = addDays(today(now), 1);
  const since = query.from ? parseDayKey(query.from) : addDays(tomorrow, -DEFAULT_RANGE_DAYS);
  const days = Math.round((tomorrow.getTime() - since.getTime()) / DAY_MS);
  if (days > maxRangeDays) {
    throw invalid(
      `from is ${days} days before tomorrow; at most ${maxRangeDays} are allowed (ANALYTICS_MAX_RANGE_DAYS)`,
      AnalyticsErrorCode.RangeTooLarge,
    );
  }
  return since;
}
