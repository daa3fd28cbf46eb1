import { Module } from '@nestjs/common';
import { DataAccessModule, SessionsRepository, UsersRepository } from '@directory/data-access';
import { AuditModule } from '../audit/audit.module';
import { UserSessionsController } from './user-sessions.controller';
import { UserSessionsService } from './user-sessions.service';

/** GET and DELETE /users/:id/sessions (admins): a user's live sessions, and ending them all. */
@Module({
  imports: [DataAccessModule.forFeature([UsersRepository, SessionsRepository]), AuditModule],
  controllers: [UserSessionsController],
  providers: [UserSessionsService],
})
export class UserSessionsModule {}
