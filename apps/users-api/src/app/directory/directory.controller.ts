import { Get, Header, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AUTH_MODULE_OPTIONS, CurrentUser, type AuthenticatedUser, type AuthModuleOptions } from '@directory/auth';
import { UserViewDto, type UserView } from '@directory/data-access';
import type { Response } from 'express';
import { Types } from 'mongoose';
import { PageQuery } from '../common/dto/page.query';
import { UserPageDto } from '../common/dto/user-view.dto';
import { versionTag } from '../common/if-match';
import { ParseObjectIdPipe, toObjectId } from '../common/object-id.pipe';
import { viewerOf } from '../common/viewer';
import { DirectoryService, type UserPage } from './directory.service';
import { ListUsersQuery } from './dto/list-users.query';
import { UsersRoutes } from '../common/users-routes.decorator';
import { ApiRefusals, ApiUserIdParam } from '../common/dto/api-params';

@UsersRoutes()
export class DirectoryController {
  constructor(
    private readonly directory: DirectoryService,
    @Inject(AUTH_MODULE_OPTIONS) private readonly authOptions: AuthModuleOptions,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Search and browse the directory',
    description:
      'Ordered by normalized "last first" name, then id. Cursor-paginated: pass `nextCursor` as `after`. With `ids=` returns those users in the order asked instead.',
  })
  @ApiOkResponse({ type: UserPageDto })
  @ApiRefusals({ status: 400, code: 'invalid_query', when: '`ids` combined with any other parameter' })
  list(@Query() query: ListUsersQuery, @CurrentUser() caller: AuthenticatedUser): Promise<UserPage> {
    return this.directory.list(query, viewerOf(caller, this.authOptions));
  }

  @Get('me')
  @ApiOperation({ summary: "The caller's own profile; `version` (also the ETag) is what PATCH /users/me expects in If-Match" })
  @ApiOkResponse({ type: UserViewDto })
  async me(@CurrentUser() caller: AuthenticatedUser, @Res({ passthrough: true }) res: Response): Promise<UserView> {
    const user = await this.directory.byId(new Types.ObjectId(caller.id), viewerOf(caller, this.authOptions));
    res.setHeader('ETag', versionTag(user.version));
    return user;
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user; deleted users are not found, nor pending invitations unless you are an admin' })
  @ApiUserIdParam()
  @ApiOkResponse({ type: UserViewDto })
  @ApiNotFoundResponse({ description: 'No such user, deleted, or (for members) invited' })
  async byId(
    @Param('id', ParseObjectIdPipe) id: string,
    @CurrentUser() caller: AuthenticatedUser,
    @Res({ passthrough: true }) res: Response,
  ): Promise<UserView> {
    const user = await this.directory.byId(toObjectId(id), viewerOf(caller, this.authOptions));
    res.setHeader('ETag', versionTag(user.version));
    return user;
  }

  @Get(':id/reports')
  @ApiOperation({ summary: 'Direct reports of a user (managerId), in name order, cursor-paginated' })
  @ApiUserIdParam()
  @ApiOkResponse({ type: UserPageDto })
  @ApiNotFoundResponse({ description: 'No such user, or deleted' })
  reports(
    @Param('id', ParseObjectIdPipe) id: string,
    @Query() query: PageQuery,
    @CurrentUser() caller: AuthenticatedUser,
  ): Promise<UserPage> {
    return this.directory.reports(toObjectId(id), query.limit, query.after, viewerOf(caller, this.authOptions));
  }
}
