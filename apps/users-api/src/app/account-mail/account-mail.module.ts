import { Module } from '@nestjs/common';
import { DataAccessModule, OutboxRepository, UsersRepository } from '@directory/data-access';
import { AuditModule } from '../audit/audit.module';
import { AccountMailController } from './account-mail.controller';
import { AccountMailService } from './account-mail.service';

/** GET /users/mail, GET /users/:id/mail and POST /users/:id/password-reset (admins). */
@Module({
  imports: [DataAccessModule.forFeature([UsersRepository, OutboxRepository]), AuditModule],
  controllers: [AccountMailController],
  providers: [AccountMailService],
})
export class AccountMailModule {}
