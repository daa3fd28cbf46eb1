import { Module } from '@nestjs/common';
import { DataAccessModule, UsersRepository } from '@directory/data-access';
import { AuditModule } from '../audit/audit.module';
import { ProfileController } from './profile.controller';
import { ProfileService } from './profile.service';

/** PATCH /users/me. */
@Module({
  imports: [DataAccessModule.forFeature([UsersRepository]), AuditModule],
  controllers: [ProfileController],
  providers: [ProfileService],
})
export class ProfileModule {}
