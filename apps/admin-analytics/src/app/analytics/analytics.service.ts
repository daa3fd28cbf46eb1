import { Inject, Injectable } from '@nestjs/common';
import { ConnectionRole } from '@directory/connections';
import { SERVICE_CONFIG } from '@directory/platform';
import {
  addWeeks,
  AnalyticsRepository,
  bucketKeys,
  dayKey,
  FUNNELS,
  InjectRepository,
  type BucketCount,
  type DayRange,
  type KindCount,
} from '@directory/data-access';
import { EventKind, LOGIN_FAILURE_REASONS, type LoginFailureReason } from '@directory/schemas';
import type { AdminAnalyticsConfig } from '../../config';
import {
  NONE_KEY,
  OTHER_KEY,
  type BreakdownAnswer,
  type CohortRow,
  type CohortsAnswer,
  type FailuresByReason,
  type FunnelFigures,
  type FunnelRow,
  type FunnelsAnswer,
  type LoginsAnswer,
  type MfaAdoptionAnswer,
  type SeriesAnswer,
} from './analytics-answers';
import { resolveCohortWindow, resolveRange, resolveSince } from './analytics-range';
import { AnswerCache } from './answer-cache';
import type { ActivityIntervalQuery, BreakdownQuery, CohortsQuery, MfaAdoptionQuery, SignupsQuery } from './dto/analytics-queries.dto';

/**
 * Asks the AnalyticsRepository on the `slow` connection (the only one this app has,
 * PRINCIPLES.md #2, with ANALYTICS_MAX_TIME_MS as every aggregation's budget) and turns its
 * sparse groups into complete tables. A query past its budget fails with MaxTimeMSExpired, which the platform's
 * error filter answers as 503 `time_budget_exceeded`.
 */
@Injectable()
export class AnalyticsService {
  private readonly cache: AnswerCache;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: AdminAnalyticsConfig,
    @InjectRepository(AnalyticsRepository, ConnectionRole.Slow) private readonly reports: AnalyticsRepository,
  ) {
    this.cache = new AnswerCache(config.ANALYTICS_CACHE_TTL_MS);
  }

  signups(query: SignupsQuery): Promise<SeriesAnswer> {
    const range = this.range(query);
    return this.cached('signups', query.interval, range, async () => {
      const groups = await this.reports.signups(query.interval, range.from, range.to);
      return this.series(query.interval, range, groups);
    });
  }

  activeUsers(query: ActivityIntervalQuery): Promise<SeriesAnswer> {
    const range = this.range(query);
    return this.cached('active-users', query.interval, range, async () => {
      return this.series(query.interval, range, await this.reports.activeUsers(query.interval, dayKey(range.from), dayKey(range.to)));
    });
  }

  logins(query: ActivityIntervalQuery): Promise<LoginsAnswer> {
    const range = this.range(query);
    return this.cached('logins', query.interval, range, async () => {
      const groups = await this.reports.logins(query.interval, dayKey(range.from), dayKey(range.to));
      const zeroReasons = (): FailuresByReason =>
        Object.fromEntries(LOGIN_FAILURE_REASONS.map((reason) => [reason, 0])) as FailuresByReason;
      const rows = new Map(
        bucketKeys(query.interval, range).map((bucket) => [bucket, { bucket, succeeded: 0, failed: 0, failedByReason: zeroReasons() }]),
      );
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

  /**
   * Verification (UserRegistered → EmailVerified) and invitations (UserInvited →
   * InvitationAccepted) per bucket, with mail delivery beside them: three aggregations on the
   * `{ kind: 1, day: 1 }` index, zero-filled here.
   */
  funnels(query: ActivityIntervalQuery): Promise<FunnelsAnswer> {
    const range = this.range(query);
    return this.cached('funnels', query.interval, range, async () => {
      const [fromDay, toDay] = [dayKey(range.from), dayKey(range.to)];
      const [steps, totals, mail] = await Promise.all([
        this.reports.funnelSteps(query.interval, fromDay, toDay),
        this.reports.funnelTotals(fromDay, toDay),
        this.reports.mailOutcomes(query.interval, fromDay, toDay),
      ]);
      const perBucket = (groups: KindCount[]) => new Map(groups.map((group) => [`${group._id.bucket}|${group._id.kind}`, group.count]));
      const [stepCounts, mailCounts] = [perBucket(steps), perBucket(mail)];
      const rows: FunnelRow[] = bucketKeys(query.interval, range).map((bucket) => ({
        bucket,
        ...funnelFigures(
          (kind) => stepCounts.get(`${bucket}|${kind}`) ?? 0,
          (kind) => mailCounts.get(`${bucket}|${kind}`) ?? 0,
        ),
      }));
      const totalOf = new Map(totals.map((group) => [group._id, group.count]));
      const mailTotal = (kind: string) => mail.filter((group) => group._id.kind === kind).reduce((sum, group) => sum + group.count, 0);
      return { ...this.stamp(query.interval, range), rows, totals: funnelFigures((kind) => totalOf.get(kind) ?? 0, mailTotal) };
    });
  }

  cohorts(query: CohortsQuery): Promise<CohortsAnswer> {
    const window = resolveCohortWindow(query, this.config.ANALYTICS_MAX_RANGE_DAYS);
    const weeks = bucketKeys('week', window);
    const [first, last] = [weeks[0], weeks[weeks.length - 1]];
    return this.cache.getOrCompute(`cohorts:${first}:${query.weeks}`, async () => {
      const [sizes, active] = await Promise.all([this.reports.cohortSizes(first, last), this.reports.cohortActivity(first, last)]);
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
      const [top, total] = await Promise.all([this.reports.breakdownTop(query.by, query.limit), this.reports.breakdownTotal(query.by)]);
      const rows = top.map((group) => ({
        key: group._id === null || group._id === undefined || group._id === '' ? NONE_KEY : String(group._id),
        count: group.count,
      }));
      const other = total - rows.reduce((sum, row) => sum + row.count, 0);
      if (other > 0) rows.push({ key: OTHER_KEY, count: other });
      return { generatedAt: new Date().toISOString(), by: query.by, limit: query.limit, total, rows };
    });
  }

  /**
   * Second-factor adoption among active users: status active and signed in since `from` (the
   * activity that active-users counts; factors are today's, so the window ends now). One
   * aggregation on users, index `{ lastLoginAt: 1 }`.
   */
  mfaAdoption(query: MfaAdoptionQuery): Promise<MfaAdoptionAnswer> {
    const since = resolveSince(query, this.config.ANALYTICS_MAX_RANGE_DAYS);
    return this.cache.getOrCompute(`mfa-adoption:${dayKey(since)}`, async () => {
      const adoption = await this.reports.mfaAdoption(since);
      return { generatedAt: new Date().toISOString(), from: dayKey(since), ...adoption };
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
}

const rate = (completed: number, started: number): number | null => (started > 0 ? completed / started : null);

function funnelFigures(step: (kind: string) => number, mail: (kind: string) => number): FunnelFigures {
  const registered = step(FUNNELS.verification.started);
  const verified = step(FUNNELS.verification.completed);
  const invited = step(FUNNELS.invitations.started);
  const accepted = step(FUNNELS.invitations.completed);
  return {
    registered,
    verified,
    verificationRate: rate(verified, registered),
    invited,
    accepted,
    acceptanceRate: rate(accepted, invited),
    mailSent: mail(EventKind.MailSent),
    mailFailed: mail(EventKind.MailFailed),
  };
}
