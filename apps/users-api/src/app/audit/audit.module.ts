import { Module } from '@nestjs/common';
import { DataAccessModule, EventsRepository } from '@directory/data-access';
import { AuditController } from './audit.controller';
import { AuditTrail } from './audit-trail.service';

/** GET /users/:id/events, and the trail the profile and admin modules write. */
@Module({
  imports: [DataAccessModule.forFeature([EventsRepository])],
  controllers: [AuditController],
  providers: [AuditTrail],
  exports: [AuditTrail],
})
export class AuditModule {}
