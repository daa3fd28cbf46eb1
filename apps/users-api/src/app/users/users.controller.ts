import { Body, Controller, Delete, Get, Header, Headers, HttpCode, HttpStatus, Param, Patch, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotAcceptableResponse,
  ApiNotFoundResponse,
  ApiProduces,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Authenticated, CurrentUser, type AuthenticatedUser } from '@directory/auth';
import type { Request, Response } from 'express';
import { Types } from 'mongoose';
import { AdminUsersService } from './admin-users.service';
import { DirectoryService, type UserPage } from './directory.service';
import { AdminUpdateUserDto } from './dto/admin-update.dto';
import { ListUsersQuery } from './dto/list-users.query';
import { DEFAULT_PAGE_SIZE, PageQuery } from './dto/page.query';
import { UpdateProfileDto } from './dto/update-profile.dto';
import { UserFilterQuery } from './dto/user-filter.query';
import { EventPageDto, UserPageDto, UserViewDto } from './dto/user-view.dto';
import { ExportService } from './export.service';
import { optionalVersion, requiredVersion, versionTag } from './if-match';
import { ParseObjectIdPipe, toObjectId } from './object-id.pipe';
import { decodeTimeCursor } from './page-cursor';
import { ProfileService } from './profile.service';
import { UserEvents, type EventView } from './user-events.service';
import { userFilter, viewerOf } from './user-filter';
import type { UserView } from './user-view';

@ApiTags('users')
@Controller('users')
@Authenticated()
@ApiBadRequestResponse({ description: 'Invalid parameters: unknown or repeated parameters, bad ids, limits or cursors' })
export class UsersController {
  constructor(
    private readonly directory: DirectoryService,
    private readonly profiles: ProfileService,
    private readonly admins: AdminUsersService,
    private readonly exports: ExportService,
    private readonly events: UserEvents,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Search and browse the directory',
    description:
      'Ordered by normalized "last first" name, then id. Cursor-paginated: pass `nextCursor` as `after`. With `ids=` returns those users in the order asked instead.',
  })
  @ApiOkResponse({ type: UserPageDto })
  list(@Query() query: ListUsersQuery, @CurrentUser() caller: AuthenticatedUser): Promise<UserPage> {
    return this.directory.list(query, viewerOf(caller));
  }

  @Get('export')
  @Authenticated('admin')
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
    await this.exports.stream(userFilter(query, viewerOf(caller)), format, res);
  }

  @Get('me')
  @ApiOperation({ summary: 'The caller\'s own profile; `version` (also the ETag) is what PATCH /users/me expects in If-Match' })
  @ApiOkResponse({ type: UserViewDto })
  async me(@CurrentUser() caller: AuthenticatedUser, @Res({ passthrough: true }) res: Response): Promise<UserView> {
    const user = await this.directory.byId(new Types.ObjectId(caller.id), viewerOf(caller));
    res.setHeader('ETag', versionTag(user.version));
    return user;
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user; deleted users are not found' })
  @ApiOkResponse({ type: UserViewDto })
  @ApiNotFoundResponse({ description: 'No such user, or deleted' })
  async byId(
    @Param('id', ParseObjectIdPipe) id: string,
    @CurrentUser() caller: AuthenticatedUser,
    @Res({ passthrough: true }) res: Response,
  ): Promise<UserView> {
    const user = await this.directory.byId(toObjectId(id), viewerOf(caller));
    res.setHeader('ETag', versionTag(user.version));
    return user;
  }

  @Get(':id/reports')
  @ApiOperation({ summary: 'Direct reports of a user (managerId), in name order, cursor-paginated' })
  @ApiOkResponse({ type: UserPageDto })
  @ApiNotFoundResponse({ description: 'No such user, or deleted' })
  reports(
    @Param('id', ParseObjectIdPipe) id: string,
    @Query() query: PageQuery,
    @CurrentUser() caller: AuthenticatedUser,
  ): Promise<UserPage> {
    return this.directory.reports(toObjectId(id), query.limit, query.after, viewerOf(caller));
  }

  @Patch('me')
  @ApiOperation({
    summary: 'Change your own profile (name, displayName, title, department, location, phone, managerId)',
    description:
      'Optimistic concurrency: send the `version` you read (GET /users/me, also its ETag) as `If-Match: "<version>"`. If the profile changed since, nothing is written and the answer is 409. `null` clears an optional field. Any other field (roles, status, email, ...) is a 400.',
  })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The version you read, e.g. "3"', example: '"3"' })
  @ApiOkResponse({ type: UserViewDto, description: 'The updated profile; its new version is also the ETag' })
  @ApiConflictResponse({ description: 'Stale version: someone changed the profile since you read it' })
  @ApiResponse({ status: 428, description: 'If-Match missing' })
  async updateMe(
    @CurrentUser() caller: AuthenticatedUser,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: UpdateProfileDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<UserView> {
    const user = await this.profiles.update(caller.id, requiredVersion(ifMatch), body);
    res.setHeader('ETag', versionTag(user.version));
    return user;
  }

  @Get(':id/events')
  @Authenticated('admin')
  @ApiOperation({ summary: "Admin: a user's audit trail, newest first, cursor-paginated" })
  @ApiOkResponse({ type: EventPageDto })
  async userEvents(
    @Param('id', ParseObjectIdPipe) id: string,
    @Query() query: PageQuery,
  ): Promise<{ items: EventView[]; nextCursor: string | null }> {
    const after = query.after === undefined ? undefined : decodeTimeCursor(query.after);
    return this.events.history(toObjectId(id), query.limit ?? DEFAULT_PAGE_SIZE, after);
  }

  @Patch(':id')
  @Authenticated('admin')
  @ApiOperation({
    summary: 'Admin: change roles, status, department or title',
    description:
      'Suspending or deleting ends the user\'s sessions and revokes their access tokens; removing a role revokes access tokens. You cannot remove your own admin role or suspend yourself (409). Optional If-Match: "<version>".',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'Only apply when the user is still at this version', example: '"3"' })
  @ApiOkResponse({ type: UserViewDto })
  @ApiNotFoundResponse({ description: 'No such user' })
  @ApiConflictResponse({ description: 'Stale If-Match, a concurrent change, or a change that would lock you out' })
  async adminUpdate(
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() body: AdminUpdateUserDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() caller: AuthenticatedUser,
    @Res({ passthrough: true }) res: Response,
  ): Promise<UserView> {
    const user = await this.admins.update(caller.id, toObjectId(id), body, optionalVersion(ifMatch));
    res.setHeader('ETag', versionTag(user.version));
    return user;
  }

  @Delete(':id')
  @Authenticated('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Admin: soft delete (status deleted); ends the user\'s sessions and revokes their tokens' })
  @ApiNoContentResponse({ description: 'Deleted (also when it already was)' })
  @ApiNotFoundResponse({ description: 'No such user' })
  @ApiConflictResponse({ description: 'You cannot delete yourself' })
  remove(@Param('id', ParseObjectIdPipe) id: string, @CurrentUser() caller: AuthenticatedUser): Promise<void> {
    return this.admins.remove(caller.id, toObjectId(id));
  }
}
