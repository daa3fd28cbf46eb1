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
import { BreakdownAnswer, CohortsAnswer, FunnelsAnswer, LoginsAnswer, SeriesAnswer } from './analytics-answers';
import { AnalyticsService } from './analytics.service';
import { CsvInterceptor } from './csv.interceptor';
import { ActivityIntervalQuery, BreakdownQuery, CohortsQuery, SignupsQuery } from './dto/analytics-queries.dto';

/** Constraints between `from`, `to` and `weeks` that no JSON schema can express (issue 12 item 6). */
const RANGE_REFUSALS = [
  { status: 400, code: 'invalid_range', when: '`from` is not before `to` (`to` is exclusive)' },
  { status: 400, code: 'range_too_large', when: 'the range (or the cohort window) spans more than ANALYTICS_MAX_RANGE_DAYS days' },
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
}
