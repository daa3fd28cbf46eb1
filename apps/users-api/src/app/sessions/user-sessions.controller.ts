import { Delete, Get, Header, HttpCode, HttpStatus, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '@directory/auth';
import { UserRole } from '@directory/schemas';
import { ApiUserIdParam } from '../common/dto/api-params';
import { ParseObjectIdPipe, toObjectId } from '../common/object-id.pipe';
import { UsersRoutes } from '../common/users-routes.decorator';
import { UserSessionsDto } from './dto/user-sessions.dto';
import { UserSessionsService } from './user-sessions.service';

@UsersRoutes(UserRole.Admin)
export class UserSessionsController {
  constructor(private readonly sessions: UserSessionsService) {}

  @Get(':id/sessions')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: "Admin: a user's live sessions (count, last use), most recently used first",
    description:
      'Live: neither ended nor expired. `active` counts them all; `items` lists at most 50. No token or token hash is ever returned.',
  })
  @ApiUserIdParam()
  @ApiOkResponse({ type: UserSessionsDto })
  @ApiNotFoundResponse({ description: 'No such user, or deleted' })
  list(@Param('id', ParseObjectIdPipe) id: string): Promise<UserSessionsDto> {
    return this.sessions.list(toObjectId(id));
  }

  @Delete(':id/sessions')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: "Admin: end all of a user's sessions and revoke their access tokens",
    description:
      'Every session ends (its refresh token is refused) and every access token issued so far stops working; event `SessionsEnded {by, count}`. Allowed on yourself: your own token stops working too, sign in again.',
  })
  @ApiUserIdParam()
  @ApiNoContentResponse({ description: 'Ended (also when there was no live session)' })
  @ApiNotFoundResponse({ description: 'No such user, or deleted' })
  endAll(@Param('id', ParseObjectIdPipe) id: string, @CurrentUser() caller: AuthenticatedUser): Promise<void> {
    return this.sessions.endAll(caller.id, toObjectId(id));
  }
}
