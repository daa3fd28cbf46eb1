import { Body, Delete, Headers, HttpCode, HttpStatus, Param, Patch, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiHeader, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '@directory/auth';
import { UserViewDto, type UserView } from '@directory/data-access';
import type { Response } from 'express';
import { optionalVersion, versionTag } from '../common/if-match';
import { ParseObjectIdPipe, toObjectId } from '../common/object-id.pipe';
import { AdminUsersService } from './admin-users.service';
import { AdminUpdateUserDto } from './dto/admin-update.dto';
import { UsersRoutes } from '../common/users-routes.decorator';
import { ApiUserIdParam, IF_MATCH_PATTERN } from '../common/dto/api-params';
import { UserRole } from '@directory/schemas';

@UsersRoutes(UserRole.Admin)
export class AdminController {
  constructor(private readonly admins: AdminUsersService) {}

  @Patch(':id')
  @ApiOperation({
    summary: 'Admin: change roles, status, department or title',
    description:
      'Suspending or deleting ends the user\'s sessions and revokes their access tokens; removing a role revokes access tokens. You cannot remove your own admin role or suspend yourself (409). Optional If-Match: "<version>".',
  })
  @ApiUserIdParam()
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'Only apply when the user is still at this version',
    example: '"3"',
    schema: { type: 'string', pattern: IF_MATCH_PATTERN },
  })
  @ApiOkResponse({ type: UserViewDto })
  @ApiNotFoundResponse({ description: 'No such user' })
  @ApiConflictResponse({
    description: 'Stale If-Match, a concurrent change, a change that would lock you out, or a status change of a pending invitation',
  })
  async update(
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
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: "Admin: soft delete (status deleted); ends the user's sessions and revokes their tokens" })
  @ApiUserIdParam()
  @ApiNoContentResponse({ description: 'Deleted (also when it already was)' })
  @ApiNotFoundResponse({ description: 'No such user' })
  @ApiConflictResponse({ description: 'You cannot delete yourself' })
  remove(@Param('id', ParseObjectIdPipe) id: string, @CurrentUser() caller: AuthenticatedUser): Promise<void> {
    return this.admins.remove(caller.id, toObjectId(id));
  }
}
