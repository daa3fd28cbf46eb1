import { Module } from '@nestjs/common';
import { AdminUsersService } from './admin-users.service';
import { DirectoryService } from './directory.service';
import { ExportService } from './export.service';
import { ProfileService } from './profile.service';
import { UserEvents } from './user-events.service';
import { UsersController } from './users.controller';

@Module({
  controllers: [UsersController],
  providers: [DirectoryService, ProfileService, AdminUsersService, ExportService, UserEvents],
})
export class UsersModule {}
