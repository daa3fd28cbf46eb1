import { Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiNotAcceptableResponse, ApiOkResponse, ApiOperation, ApiProduces } from '@nestjs/swagger';
import { AUTH_MODULE_OPTIONS, CurrentUser, type AuthenticatedUser, type AuthModuleOptions } from '@directory/auth';
import type { Request, Response } from 'express';
import { viewerOf } from '../common/viewer';
import { UserFilterQuery } from '../directory/dto/user-filter.query';
import { userFilter } from '../directory/user-filter';
import { ExportService } from './export.service';
import { UsersRoutes } from '../common/users-routes.decorator';
import { UserRole } from '@directory/schemas';

@UsersRoutes(UserRole.Admin)
export class ExportController {
  constructor(
    private readonly exports: ExportService,
    @Inject(AUTH_MODULE_OPTIONS) private readonly authOptions: AuthModuleOptions,
  ) {}

  @Get('export')
  @ApiOperation({
    summary: 'Admin: stream every user matching the directory filters as NDJSON or CSV (by Accept)',
    description: 'Same filters as GET /users, no page size limit; rows in directory order. Streamed from a database cursor.',
  })
  @ApiProduces('application/x-ndjson', 'text/csv')
  @ApiOkResponse({ description: 'One user per line (NDJSON), or a CSV with a header row' })
  @ApiNotAcceptableResponse({ description: 'Accept names neither application/x-ndjson nor text/csv' })
  async export(
    @Query() query: UserFilterQuery,
    @CurrentUser() caller: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const format = this.exports.negotiate(req);
    await this.exports.stream(userFilter(query, viewerOf(caller, this.authOptions)), format, res);
  }
}
