import { Module } from '@nestjs/common';
import { ConnectionRole } from '@directory/connections';
import { AnalyticsRepository, DataAccessModule } from '@directory/data-access';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsService } from './analytics.service';

@Module({
  // Only what the reports read, on the slow role: no credentials, no sessions.
  imports: [DataAccessModule.forFeature([AnalyticsRepository], ConnectionRole.Slow)],
  controllers: [AnalyticsController],
  providers: [AnalyticsService],
})
export class AnalyticsModule {}
