import { Module } from '@nestjs/common';
import { ConnectionRole } from '@directory/connections';
import { DataAccessModule, UsersRepository } from '@directory/data-access';
import { ExportController } from './export.controller';
import { ExportService } from './export.service';

/** GET /users/export, on the slow role: a long export never holds a socket a search waits for. */
@Module({
  imports: [DataAccessModule.forFeature([UsersRepository], ConnectionRole.Slow)],
  controllers: [ExportController],
  providers: [ExportService],
})
export class ExportModule {}
