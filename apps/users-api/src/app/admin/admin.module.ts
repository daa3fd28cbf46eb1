import { Module } from '@nestjs/common';
import { DataAccessModule, SessionsRepository, UsersRepository } from '@directory/data-access';
import { AuditModule } from '../audit/audit.module';
import { AdminController } from './admin.controller';
import { AdminUsersService } from './admin-users.service';

/** PATCH and DELETE /users/:id (admins): roles, status, department, title. */
@Module({
  imports: [DataAccessModule.forFeature([UsersRepository, SessionsRepository]), AuditModule],
  controllers: [AdminController],
  providers: [AdminUsersService],
})
export class AdminModule {}
