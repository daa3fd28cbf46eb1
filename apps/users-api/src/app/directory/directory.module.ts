import { Module } from '@nestjs/common';
import { DataAccessModule, EventsRepository, UsersRepository } from '@directory/data-access';
import { DirectoryController } from './directory.controller';
import { DirectoryService } from './directory.service';
import { SearchEvents } from './search-events';

/** GET /users (search and browse), /users/me, /users/:id, /users/:id/reports. */
@Module({
  imports: [DataAccessModule.forFeature([UsersRepository, EventsRepository])],
  controllers: [DirectoryController],
  providers: [DirectoryService, SearchEvents],
})
export class DirectoryModule {}
