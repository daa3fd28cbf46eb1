import { Module } from '@nestjs/common';
import { DataAccessModule, OutboxRepository, UsersRepository } from '@directory/data-access';
import { AuditModule } from '../audit/audit.module';
import { InvitationsController } from './invitations.controller';
import { InvitationsService } from './invitations.service';

/** /users/invitations (admins): invite, list, resend, revoke. */
@Module({
  imports: [DataAccessModule.forFeature([UsersRepository, OutboxRepository]), AuditModule],
  controllers: [InvitationsController],
  providers: [InvitationsService],
})
export class InvitationsModule {}
