import { ACTIVITY_SCHEMA, EVENT_SCHEMA, ModelName, USER_SCHEMA, type SchemaRegistration } from '@directory/schemas';
import type { Connection, Model, PipelineStage } from 'mongoose';
import {
  activeUsersPipeline,
  breakdownTopPipeline,
  breakdownTotalPipeline,
  cohortActivityPipeline,
  cohortSizesPipeline,
  funnelStepsPipeline,
  funnelTotalsPipeline,
  loginsPipeline,
  mailOutcomesPipeline,
  signupsPipeline,
  type BreakdownKey,
  type BucketCount,
  type CohortActiveCount,
  type KindCount,
  type LoginCount,
} from './pipelines';
import type { Interval } from './time-buckets';
import { foldMfaAdoption, mfaAdoptionPipeline, type FactorSetCount, type MfaAdoption } from './mfa-adoption';

export { MFA_ADOPTION_KEYS, type MfaAdoption, type MfaAdoptionKey, type MfaAdoptionRow } from './mfa-adoption';

/**
 * The reports of admin-analytics: the aggregations of pipelines.ts (each names the index it
 * uses), run on whatever role this repository was built for — the slow one, whose connection
 * gives every aggregation its time budget (`maxTimeMS`, libs/connections). Sparse groups in,
 * sparse groups out: filling the empty buckets is the service's work.
 */
export class AnalyticsRepository {
  static readonly schemas: readonly SchemaRegistration[] = [USER_SCHEMA, EVENT_SCHEMA, ACTIVITY_SCHEMA];
  private readonly users: Model<unknown>;
  /** The base model: a discriminator model would prepend its own `$match` on kind. */
  private readonly events: Model<unknown>;
  private readonly activities: Model<unknown>;

  constructor(connection: Connection) {
    this.users = connection.model<unknown>(ModelName.User);
    this.events = connection.model<unknown>(ModelName.Event);
    this.activities = connection.model<unknown>(ModelName.Activity);
  }

  signups(interval: Interval, from: Date, to: Date): Promise<BucketCount[]> {
    return run(this.users, signupsPipeline(interval, from, to));
  }

  activeUsers(interval: Interval, fromDay: string, toDay: string): Promise<BucketCount[]> {
    return run(this.activities, activeUsersPipeline(interval, fromDay, toDay));
  }

  logins(interval: Interval, fromDay: string, toDay: string): Promise<LoginCount[]> {
    return run(this.events, loginsPipeline(interval, fromDay, toDay));
  }

  /** Distinct users per (bucket, funnel step). */
  funnelSteps(interval: Interval, fromDay: string, toDay: string): Promise<KindCount[]> {
    return run(this.events, funnelStepsPipeline(interval, fromDay, toDay));
  }

  /** Distinct users per funnel step over the whole range. */
  funnelTotals(fromDay: string, toDay: string): Promise<BucketCount[]> {
    return run(this.events, funnelTotalsPipeline(fromDay, toDay));
  }

  /** Mail delivery outcomes (MailSent / MailFailed events) per bucket. */
  mailOutcomes(interval: Interval, fromDay: string, toDay: string): Promise<KindCount[]> {
    return run(this.events, mailOutcomesPipeline(interval, fromDay, toDay));
  }

  cohortSizes(firstWeek: string, lastWeek: string): Promise<BucketCount[]> {
    return run(this.users, cohortSizesPipeline(firstWeek, lastWeek));
  }

  cohortActivity(firstWeek: string, lastWeek: string): Promise<CohortActiveCount[]> {
    return run(this.activities, cohortActivityPipeline(firstWeek, lastWeek));
  }

  breakdownTop(by: BreakdownKey, limit: number): Promise<{ _id: string | null; count: number }[]> {
    return run(this.users, breakdownTopPipeline(by, limit));
  }

  async breakdownTotal(by: BreakdownKey): Promise<number> {
    const [totals] = await run<{ total: number }>(this.users, breakdownTotalPipeline(by));
    return totals?.total ?? 0;
  }

  /**
   * Second-factor adoption among active users — status active and signed in at or after `since`
   * (the start of the dashboard's window; `lastLoginAt` and `secondFactors` are both current
   * state, so the window runs to now): one aggregation on users, index `{ lastLoginAt: 1 }`.
   */
  async mfaAdoption(since: Date): Promise<MfaAdoption> {
    return foldMfaAdoption(await run<FactorSetCount>(this.users, mfaAdoptionPipeline(since)));
  }
}

function run<T>(model: Model<unknown>, pipeline: PipelineStage[]): Promise<T[]> {
  return model.aggregate<T>(pipeline).exec();
}
