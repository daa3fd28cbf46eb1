import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ConnectionRole } from '@directory/connections';
import { SERVICE_CONFIG } from '@directory/platform';
import { EventKind, LOGIN_FAILURE_REASONS, ModelName, type LoginFailureReason } from '@directory/schemas';
import type { Model, PipelineStage } from 'mongoose';
import type { AdminAnalyticsConfig } from '../../config';
import {
  NONE_KEY,
  OTHER_KEY,
  type BreakdownAnswer,
  type CohortRow,
  type CohortsAnswer,
  type FailuresByReason,
  type LoginsAnswer,
  type SeriesAnswer,
} from './analytics-answers';
import { resolveCohortWindow, resolveRange } from './analytics-range';
import { AnswerCache } from './answer-cache';
import type { ActivityIntervalQuery, BreakdownQuery, CohortsQuery, SignupsQuery } from './dto/analytics-queries.dto';
import {
  activeUsersPipeline,
  breakdownTopPipeline,
  breakdownTotalPipeline,
  cohortActivityPipeline,
  cohortSizesPipeline,
  loginsPipeline,
  signupsPipeline,
  type BucketCount,
  type CohortActiveCount,
  type LoginCount,
} from './pipelines';
import { addWeeks, bucketKeys, dayKey, type DayRange } from './time-buckets';

/**
 * Runs the pipelines of pipelines.ts on the `slow` connection (the only one this app has,
 * PRINCIPLES.md #2) with the configured time budget, and turns their sparse groups into
 * complete tables. A query past its budget fails with MaxTimeMSExpired, which the platform's
 * error filter answers as 503 `time_budget_exceeded`.
 */
@Injectable()
export class AnalyticsService {
  private readonly cache: AnswerCache;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: AdminAnalyticsConfig,
    @InjectModel(ModelName.User, ConnectionRole.Slow) private readonly users: Model<unknown>,
    // The base model: a discriminator model would prepend its own `$match` on kind.
    @InjectModel(ModelName.Event, ConnectionRole.Slow) private readonly events: Model<unknown>,
    @InjectModel(ModelName.Activity, ConnectionRole.Slow) private readonly activities: Model<unknown>,
  ) {
    this.cache = new AnswerCache(config.ANALYTICS_CACHE_TTL_MS);
  }

  signups(query: SignupsQuery): Promise<SeriesAnswer> {
    const range = this.range(query);
    return this.cached('signups', query.interval, range, async () => {
      const groups = await this.aggregate<BucketCount>(this.users, signupsPipeline(query.interval, range.from, range.to));
      return this.series(query.interval, range, groups);
    });
  }

  activeUsers(query: ActivityIntervalQuery): Promise<SeriesAnswer> {
    const range = this.range(query);
    return this.cached('active-users', query.interval, range, async () => {
      const pipeline = activeUsersPipeline(query.interval, dayKey(range.from), dayKey(range.to));
      return this.series(query.interval, range, await this.aggregate<BucketCount>(this.activities, pipeline));
    });
  }

  logins(query: ActivityIntervalQuery): Promise<LoginsAnswer> {
    const range = this.range(query);
    return this.cached('logins', query.interval, range, async () => {
      const groups = await this.aggregate<LoginCount>(this.events, loginsPipeline(query.interval, dayKey(range.from), dayKey(range.to)));
      const zeroReasons = (): FailuresByReason =>
        Object.fromEntries(LOGIN_FAILURE_REASONS.map((reason) => [reason, 0])) as FailuresByReason;
      const rows = new Map(bucketKeys(query.interval, range).map((bucket) => [bucket, { bucket, succeeded: 0, failed: 0, failedByReason: zeroReasons() }]));
      for (const { _id, count } of groups) {
        const row = rows.get(_id.bucket);
        if (!row) continue;
        if (_id.kind === EventKind.LoginSucceeded) {
          row.succeeded += count;
        } else {
          row.failed += count;
          const reason = _id.reason as LoginFailureReason;
          if (reason in row.failedByReason) row.failedByReason[reason] += count;
        }
      }
      return { ...this.stamp(query.interval, range), rows: [...rows.values()] };
    });
  }

  cohorts(query: CohortsQuery): Promise<CohortsAnswer> {
    const window = resolveCohortWindow(query, this.config.ANALYTICS_MAX_RANGE_DAYS);
    const weeks = bucketKeys('week', window);
    const [first, last] = [weeks[0], weeks[weeks.length - 1]];
    return this.cache.getOrCompute(`cohorts:${first}:${query.weeks}`, async () => {
      const [sizes, active] = await Promise.all([
        this.aggregate<BucketCount>(this.users, cohortSizesPipeline(first, last)),
        this.aggregate<CohortActiveCount>(this.activities, cohortActivityPipeline(first, last)),
      ]);
      const sizeOf = new Map(sizes.map((group) => [group._id, group.count]));
      const activeIn = new Map(active.map((group) => [`${group._id.cohortWeek}|${group._id.week}`, group.count]));
      const rows: CohortRow[] = [];
      weeks.forEach((cohortWeek, index) => {
        const size = sizeOf.get(cohortWeek) ?? 0;
        for (let offset = 0; index + offset < weeks.length; offset++) {
          const week = addWeeks(cohortWeek, offset);
          const count = activeIn.get(`${cohortWeek}|${week}`) ?? 0;
          rows.push({ cohortWeek, size, offset, week, active: count, share: size > 0 ? count / size : null });
        }
      });
      return { generatedAt: new Date().toISOString(), from: dayKey(window.from), to: dayKey(window.to), weeks: query.weeks, rows };
    });
  }

  breakdown(query: BreakdownQuery): Promise<BreakdownAnswer> {
    return this.cache.getOrCompute(`breakdown:${query.by}:${query.limit}`, async () => {
      const [top, totals] = await Promise.all([
        this.aggregate<{ _id: string | null; count: number }>(this.users, breakdownTopPipeline(query.by, query.limit)),
        this.aggregate<{ total: number }>(this.users, breakdownTotalPipeline(query.by)),
      ]);
      const total = totals[0]?.total ?? 0;
      const rows = top.map((group) => ({ key: group._id === null || group._id === undefined || group._id === '' ? NONE_KEY : String(group._id), count: group.count }));
      const other = total - rows.reduce((sum, row) => sum + row.count, 0);
      if (other > 0) rows.push({ key: OTHER_KEY, count: other });
      return { generatedAt: new Date().toISOString(), by: query.by, limit: query.limit, total, rows };
    });
  }

  private range(query: SignupsQuery): DayRange {
    return resolveRange(query, query.interval, this.config.ANALYTICS_MAX_RANGE_DAYS);
  }

  private cached<T>(endpoint: string, interval: string, range: DayRange, compute: () => Promise<T>): Promise<T> {
    return this.cache.getOrCompute(`${endpoint}:${interval}:${dayKey(range.from)}:${dayKey(range.to)}`, compute);
  }

  private stamp(interval: string, range: DayRange) {
    return { generatedAt: new Date().toISOString(), interval, from: dayKey(range.from), to: dayKey(range.to) };
  }

  private series(interval: SignupsQuery['interval'], range: DayRange, groups: BucketCount[]): SeriesAnswer {
    const counts = new Map(groups.map((group) => [group._id, group.count]));
    const rows = bucketKeys(interval, range).map((bucket) => ({ bucket, count: counts.get(bucket) ?? 0 }));
    return { ...this.stamp(interval, range), rows };
  }

  private aggregate<T>(model: Model<unknown>, pipeline: PipelineStage[]): Promise<T[]> {
    // Set here too, not only by the slow connection's default: the budget is this app's config.
    return model.aggregate<T>(pipeline).option({ maxTimeMS: this.config.ANALYTICS_MAX_TIME_MS }).exec();
  }
}
