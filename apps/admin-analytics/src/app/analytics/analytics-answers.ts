import { ApiProperty } from '@nestjs/swagger';
import { MFA_ADOPTION_KEYS, type MfaAdoptionKey } from '@directory/data-access';
import { LOGIN_FAILURE_REASONS, type LoginFailureReason } from '@directory/schemas';

/** Every answer says when it was computed (a cached answer keeps its time) and the parameters it used. */
class Answer {
  @ApiProperty({ example: '2027-01-05T10:00:00.000Z', description: 'When the figures were computed (cached answers keep it)' })
  generatedAt!: string;
}

class RangeAnswer extends Answer {
  @ApiProperty({ enum: ['day', 'week', 'month'] })
  interval!: string;
  @ApiProperty({ example: '2026-12-28', description: 'First day counted (range widened to whole buckets)' })
  from!: string;
  @ApiProperty({ example: '2027-01-11', description: 'Day after the last one counted (exclusive)' })
  to!: string;
}

export class BucketCountRow {
  @ApiProperty({ example: '2026-W53', description: 'YYYY-MM-DD, GGGG-Www (ISO week) or YYYY-MM' })
  bucket!: string;
  @ApiProperty({ example: 12 })
  count!: number;
}

export class SeriesAnswer extends RangeAnswer {
  @ApiProperty({ type: [BucketCountRow], description: 'Every bucket in range, in order, zero-filled' })
  rows!: BucketCountRow[];
}

export type FailuresByReason = Record<LoginFailureReason, number>;

export class LoginsRow {
  @ApiProperty({ example: '2027-01-01' })
  bucket!: string;
  @ApiProperty()
  succeeded!: number;
  @ApiProperty()
  failed!: number;
  @ApiProperty({
    example: Object.fromEntries(LOGIN_FAILURE_REASONS.map((reason) => [reason, 0])),
    description: `Failures split by reason: ${LOGIN_FAILURE_REASONS.join(', ')}`,
  })
  failedByReason!: FailuresByReason;
}

export class LoginsAnswer extends RangeAnswer {
  @ApiProperty({ type: [LoginsRow] })
  rows!: LoginsRow[];
}

export class CohortRow {
  @ApiProperty({ example: '2026-W53', description: 'Signup week of the cohort' })
  cohortWeek!: string;
  @ApiProperty({ description: 'Users who signed up that week' })
  size!: number;
  @ApiProperty({ description: 'Weeks after the signup week (0 = the signup week)' })
  offset!: number;
  @ApiProperty({ example: '2027-W01' })
  week!: string;
  @ApiProperty({ description: 'Cohort members active (logged in) that week' })
  active!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'active / size; null for an empty cohort' })
  share!: number | null;
}

export class CohortsAnswer extends Answer {
  @ApiProperty({ example: '2026-12-28', description: 'Monday of the first cohort week' })
  from!: string;
  @ApiProperty({ example: '2027-02-01', description: 'Monday after the last week of the window (exclusive)' })
  to!: string;
  @ApiProperty()
  weeks!: number;
  @ApiProperty({
    type: [CohortRow],
    description: 'One row per (cohort, offset) inside the window: cohort i has offsets 0..weeks-i (a retention triangle)',
  })
  rows!: CohortRow[];
}

export class BreakdownRow {
  @ApiProperty({ example: 'Engineering', description: 'Value of the field; "(none)" when unset, "other" for the rest past the limit' })
  key!: string;
  @ApiProperty()
  count!: number;
}

export class BreakdownAnswer extends Answer {
  @ApiProperty({ enum: ['department', 'role', 'status', 'emailDomain'] })
  by!: string;
  @ApiProperty()
  limit!: number;
  @ApiProperty({ description: 'Sum of all rows (users, or role assignments for by=role)' })
  total!: number;
  @ApiProperty({ type: [BreakdownRow], description: 'Largest first, ties by key; then an "other" row if more keys exist' })
  rows!: BreakdownRow[];
}

/** Both account funnels and mail delivery for one bucket, or (without `bucket`) for the whole range. */
export class FunnelFigures {
  @ApiProperty({ description: 'Users who registered (UserRegistered), distinct per bucket' })
  registered!: number;
  @ApiProperty({ description: 'Users who verified their email (EmailVerified), distinct per bucket' })
  verified!: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'verified / registered; null when nobody registered. Counted by when each step happened, so a bucket can exceed 1',
  })
  verificationRate!: number | null;
  @ApiProperty({ description: 'Users invited (UserInvited, re-invitations of a user count once), distinct per bucket' })
  invited!: number;
  @ApiProperty({ description: 'Invitations accepted (InvitationAccepted), distinct users per bucket' })
  accepted!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'accepted / invited; null when nobody was invited' })
  acceptanceRate!: number | null;
  @ApiProperty({ description: 'Messages delivered (MailSent)' })
  mailSent!: number;
  @ApiProperty({ description: 'Messages given up after their last attempt (MailFailed)' })
  mailFailed!: number;
}

export class FunnelRow extends FunnelFigures {
  @ApiProperty({ example: '2027-W01' })
  bucket!: string;
}

export class FunnelsAnswer extends RangeAnswer {
  @ApiProperty({ type: [FunnelRow], description: 'Every bucket in range, in order, zero-filled (CSV: these rows)' })
  rows!: FunnelRow[];
  @ApiProperty({ type: FunnelFigures, description: 'The whole range: distinct users per step, so not always the sum of the rows' })
  totals!: FunnelFigures;
}

export class MfaAdoptionRow {
  @ApiProperty({
    enum: MFA_ADOPTION_KEYS,
    description: 'A factor type, or `any`: TOTP or a passkey, a factor that answers a login challenge (recovery codes alone do not)',
  })
  factor!: MfaAdoptionKey;
  @ApiProperty({ example: 12, description: 'Active users with it' })
  users!: number;
  @ApiProperty({ nullable: true, type: Number, example: 0.25, description: 'users / activeUsers; null when nobody is active' })
  share!: number | null;
}

export class MfaAdoptionAnswer extends Answer {
  @ApiProperty({
    example: '2027-01-01',
    description: 'Start of the window, which ends now (`generatedAt`): active users signed in on or after this day (UTC)',
  })
  from!: string;
  @ApiProperty({ example: 48, description: 'Users with status active who signed in within the window' })
  activeUsers!: number;
  @ApiProperty({
    type: [MfaAdoptionRow],
    description: 'totp, webauthn, recovery_code, any — always all four, in this order (CSV: these rows)',
  })
  rows!: MfaAdoptionRow[];
}

/** Label of users without a value (e.g. no department). */
export const NONE_KEY = '(none)';
export const OTHER_KEY = 'other';
