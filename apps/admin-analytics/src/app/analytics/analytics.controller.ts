import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiExtension,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Roles } from '@directory/auth';
import { BreakdownAnswer, CohortsAnswer, FunnelsAnswer, LoginsAnswer, MfaAdoptionAnswer, SeriesAnswer } from './analytics-answers';
import { AnalyticsService } from './analytics.service';
import { CsvInterceptor } from './csv.interceptor';
import { ActivityIntervalQuery, BreakdownQuery, CohortsQuery, MfaAdoptionQuery, SignupsQuery } from './dto/analytics-queries.dto';

/** Constraints between `from`, `to` and `weeks` that no JSON schema can express (issue 12 item 6). */
const RANGE_REFUSALS = [
  { status: 400, code: 'invalid_range', when: '`from` is not before `to` (`to` is exclusive)' },
  { status: 400, code: 'range_too_large', when: 'the range (or the cohort window) spans more than ANALYTICS_MAX_RANGE_DAYS days' },
];

/** `from` alone: the window always ends now. */
const SINCE_REFUSALS = [
  { status: 400, code: 'range_too_large', when: '`from` is more than ANALYTICS_MAX_RANGE_DAYS days before tomorrow' },
];

/** Admin-only read models over users, events and the activity rollup (the global JWT guard authenticates). */
@ApiTags('analytics')
@ApiBearerAuth()
@ApiProduces('application/json', 'text/csv')
@ApiUnauthorizedResponse({ description: 'Missing, invalid, expired or revoked access token' })
@ApiForbiddenResponse({ description: 'Requires the admin role' })
@ApiBadRequestResponse({
  description:
    'Bad interval or key (code validation_failed), from ≥ to (invalid_range), or a range over ANALYTICS_MAX_RANGE_DAYS (range_too_large)',
})
@ApiServiceUnavailableResponse({ description: 'The aggregation exceeded ANALYTICS_MAX_TIME_MS (code time_budget_exceeded)' })
@ApiExtension('x-refusals', RANGE_REFUSALS)
@Roles('admin')
@UseInterceptors(CsvInterceptor)
@Controller('analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get('signups')
  @ApiOperation({ summary: 'Signups per day, ISO week or month (UTC), zero-filled' })
  @ApiOkResponse({ type: SeriesAnswer })
  signups(@Query() query: SignupsQuery): Promise<SeriesAnswer> {
    return this.analytics.signups(query);
  }

  @Get('active-users')
  @ApiOperation({ summary: 'Distinct users who logged in, per bucket (from the daily activity rollup)' })
  @ApiOkResponse({ type: SeriesAnswer })
  activeUsers(@Query() query: ActivityIntervalQuery): Promise<SeriesAnswer> {
    return this.analytics.activeUsers(query);
  }

  @Get('cohorts')
  @ApiOperation({ summary: 'Weekly retention: cohorts by signup week, active count and share per week offset' })
  @ApiOkResponse({ type: CohortsAnswer })
  cohorts(@Query() query: CohortsQuery): Promise<CohortsAnswer> {
    return this.analytics.cohorts(query);
  }

  @Get('breakdown')
  @ApiOperation({ summary: 'Users counted by department, role, status or email domain, largest first' })
  @ApiOkResponse({ type: BreakdownAnswer })
  breakdown(@Query() query: BreakdownQuery): Promise<BreakdownAnswer> {
    return this.analytics.breakdown(query);
  }

  @Get('logins')
  @ApiOperation({ summary: 'Login successes and failures per bucket, failures split by reason' })
  @ApiOkResponse({ type: LoginsAnswer })
  logins(@Query() query: ActivityIntervalQuery): Promise<LoginsAnswer> {
    return this.analytics.logins(query);
  }

  @Get('funnels')
  @ApiOperation({
    summary:
      'Email verification (registered → verified) and invitations (invited → accepted) per bucket, with their rates and mail delivery',
    description:
      'Distinct users per step and bucket from the events collection; `totals` counts distinct users over the whole range. ' +
      'A step is counted in the bucket it happened in, so a rate compares what started and what completed in the same bucket.',
  })
  @ApiOkResponse({ type: FunnelsAnswer })
  funnels(@Query() query: ActivityIntervalQuery): Promise<FunnelsAnswer> {
    return this.analytics.funnels(query);
  }

  @Get('mfa-adoption')
  @ApiOperation({
    summary: 'Second-factor adoption: share of active users with each factor type, with any second factor, with recovery codes',
    description:
      'Active users: status active and signed in (lastLoginAt) on or after `from` — the activity GET /analytics/active-users counts; ' +
      "suspended, invited and deleted accounts never count. Factors are today's: auth-api's summary on each user (`secondFactors`), " +
      'so the window runs to now. `any` is TOTP or a passkey (a factor that answers a login challenge); recovery codes alone are a fallback. ' +
      'One aggregation on users, served by the `{ lastLoginAt: 1 }` index.',
  })
  @ApiOkResponse({ type: MfaAdoptionAnswer })
  @ApiExtension('x-refusals', SINCE_REFUSALS)
  mfaAdoption(@Query() query: MfaAdoptionQuery): Promise<MfaAdoptionAnswer> {
    return this.analytics.mfaAdoption(query);
  }
}
