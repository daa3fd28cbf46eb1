import { Module } from '@nestjs/common';
import { ActivitiesRepository, DataAccessModule, EventsRepository } from '@directory/data-access';
import { AuthEvents } from './auth-events.service';

/** Auth events and the daily activity rollup, for analytics. */
@Module({
  imports: [DataAccessModule.forFeature([EventsRepository, ActivitiesRepository])],
  providers: [AuthEvents],
  exports: [AuthEvents],
})
export class EventsModule {}
