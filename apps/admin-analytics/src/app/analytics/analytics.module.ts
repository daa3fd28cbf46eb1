import { Module } from '@nestjs/common';
import { ConnectionRole, ConnectionsModule } from '@directory/connections';
import { ACTIVITY_SCHEMA, EVENT_SCHEMA, USER_SCHEMA } from '@directory/schemas';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsService } from './analytics.service';

@Module({
  // Only what the reports read, on the slow role: no credentials, no sessions.
  imports: [ConnectionsModule.forFeature([USER_SCHEMA, EVENT_SCHEMA, ACTIVITY_SCHEMA], ConnectionRole.Slow)],
  controllers: [AnalyticsController],
  providers: [AnalyticsService],
})
export class AnalyticsModule {}
