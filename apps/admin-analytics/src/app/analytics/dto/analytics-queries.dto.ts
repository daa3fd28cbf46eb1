import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min, ValidateBy, type ValidationOptions } from 'class-validator';
import { BREAKDOWN_KEYS, parseDayKey, type BreakdownKey, type Interval } from '@directory/data-access';

/** A real calendar day as `YYYY-MM-DD` (so 2027-02-29 is refused, 2028-02-29 accepted). */
function IsDayKey(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDayKey',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          try {
            parseDayKey(value);
            return true;
          } catch {
            return false;
          }
        },
        defaultMessage: (args) => `${args?.property} must be a calendar date as YYYY-MM-DD (UTC)`,
      },
    },
    options,
  );
}

const dayDoc = (what: string) => ({
  type: String,
  format: 'date',
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
  example: '2027-01-01',
  description: `${what} (UTC, YYYY-MM-DD, a real calendar day)`,
});

/**
 * `from` inclusive, `to` exclusive; both default to the last 28 days up to today. Between the two
 * (no JSON schema can say it): `from` < `to` (else 400 `invalid_range`) and at most
 * ANALYTICS_MAX_RANGE_DAYS days apart (else 400 `range_too_large`); see the operations' `x-refusals`.
 */
export class DateRangeQuery {
  @ApiPropertyOptional(dayDoc('First day, inclusive; before `to`; default 28 days before `to`'))
  @IsOptional()
  @IsDayKey()
  from?: string;

  @ApiPropertyOptional(dayDoc('Day after the last one (exclusive); after `from`, at most ANALYTICS_MAX_RANGE_DAYS later; default tomorrow'))
  @IsOptional()
  @IsDayKey()
  to?: string;
}

export class SignupsQuery extends DateRangeQuery {
  @ApiPropertyOptional({
    enum: ['day', 'week', 'month'],
    default: 'day',
    description: 'Bucket size; week and month ranges widen to whole buckets',
  })
  @IsIn(['day', 'week', 'month'], { message: 'interval must be one of: day, week, month' })
  interval: Interval = 'day';
}

/** Active users and logins: day or week buckets (month too; it is as cheap). */
export class ActivityIntervalQuery extends SignupsQuery {}

/** MFA adoption is a snapshot of today's factors: the window only says who counts as active. */
export class MfaAdoptionQuery {
  @ApiPropertyOptional(
    dayDoc(
      'Active users are those with status active who signed in on or after this day; default 28 days before tomorrow ' +
        '(the dashboard window); at most ANALYTICS_MAX_RANGE_DAYS back (a later day: nobody is active yet)',
    ),
  )
  @IsOptional()
  @IsDayKey()
  from?: string;
}

export class CohortsQuery {
  @ApiPropertyOptional({ ...dayDoc('A day in the first cohort week; default 8 weeks ago'), example: '2026-12-28' })
  @IsOptional()
  @IsDayKey()
  from?: string;

  @ApiPropertyOptional({
    type: 'integer',
    default: 8,
    minimum: 0,
    maximum: 104,
    description: 'Week offsets 0..weeks; cohorts are the signup weeks from..from+weeks',
  })
  @Type(() => Number)
  @IsInt({ message: 'weeks must be a whole number' })
  @Min(0)
  @Max(104)
  weeks = 8;
}

export class BreakdownQuery {
  @ApiProperty({ enum: BREAKDOWN_KEYS, description: 'User field to count by' })
  @IsIn(BREAKDOWN_KEYS, { message: `by must be one of: ${BREAKDOWN_KEYS.join(', ')}` })
  by!: BreakdownKey;

  @ApiPropertyOptional({ type: 'integer', default: 10, minimum: 1, maximum: 100, description: 'Rows before the "other" row' })
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(100)
  limit = 10;
}
