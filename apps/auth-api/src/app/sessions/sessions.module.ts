import { Module } from '@nestjs/common';
import { DataAccessModule, SessionsRepository } from '@directory/data-access';
import { SessionsService } from './sessions.service';

/** Refresh-token sessions: start, rotate with reuse detection, end. */
@Module({
  imports: [DataAccessModule.forFeature([SessionsRepository])],
  providers: [SessionsService],
  exports: [SessionsService],
})
export class SessionsModule {}
