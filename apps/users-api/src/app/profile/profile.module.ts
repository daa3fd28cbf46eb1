import { Module } from '@nestjs/common';
import { DataAccessModule, OutboxRepository, UsersRepository } from '@directory/data-access';
import { AuditModule } from '../audit/audit.module';
import { ProfileController } from './profile.controller';
import { ProfileService } from './profile.service';

/** PATCH /users/me (and the email-change request it can carry). */
@Module({
  imports: [DataAccessModule.forFeature([UsersRepository, OutboxRepository]), AuditModule],
  controllers: [ProfileController],
  providers: [ProfileService],
})
export class ProfileModule {}
