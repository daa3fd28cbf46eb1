import { Body, Delete, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
} from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '@directory/auth';
import { UserViewDto, type UserView } from '@directory/data-access';
import { UserRole } from '@directory/schemas';
import type { Response } from 'express';
import { ApiRefusals, OBJECT_ID_PATTERN } from '../common/dto/api-params';
import { PageQuery } from '../common/dto/page.query';
import { UserPageDto } from '../common/dto/user-view.dto';
import { versionTag } from '../common/if-match';
import { ParseObjectIdPipe, toObjectId } from '../common/object-id.pipe';
import { UsersRoutes } from '../common/users-routes.decorator';
import { InviteUserDto } from './dto/invite-user.dto';
import { InvitationsService } from './invitations.service';

const ApiInvitationIdParam = (): MethodDecorator =>
  ApiParam({ name: 'id', description: "The invited user's id", schema: { type: 'string', pattern: OBJECT_ID_PATTERN } });

@UsersRoutes(UserRole.Admin)
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Get('invitations')
  @ApiOperation({ summary: 'Admin: pending invitations (users in status invited), in name order, cursor-paginated' })
  @ApiOkResponse({ type: UserPageDto })
  list(@Query() query: PageQuery): Promise<{ items: UserView[]; nextCursor: string | null }> {
    return this.invitations.pending(query.limit, query.after);
  }

  @Post('invitations')
  @ApiOperation({
    summary: 'Admin: invite someone by email',
    description:
      'Creates the user in status `invited` (hidden from members, no password) and mails them a link to POST /auth/invitations/accept, valid for AUTH_INVITATION_TTL (default 7 days). The address of a pending invitation re-invites: a fresh link (older links stop working) and the given profile fields replace the stored ones (200).',
  })
  @ApiCreatedResponse({ type: UserViewDto, description: 'Invited; the mail is queued' })
  @ApiOkResponse({ type: UserViewDto, description: 'Re-invited: the address had a pending invitation; a fresh link is queued' })
  @ApiConflictResponse({ description: 'Another account (not a pending invitation) has this address (`email_taken`)' })
  @ApiRefusals({ status: 400, code: 'invalid_manager', when: '`managerId` names no user or a deleted one' })
  async invite(
    @Body() body: InviteUserDto,
    @CurrentUser() caller: AuthenticatedUser,
    @Res({ passthrough: true }) res: Response,
  ): Promise<UserView> {
    const { user, reinvited } = await this.invitations.invite(caller.id, body);
    res.status(reinvited ? HttpStatus.OK : HttpStatus.CREATED);
    res.setHeader('ETag', versionTag(user.version));
    return user;
  }

  @Post('invitations/:id/resend')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Admin: send a pending invitation again (a fresh link; older links stop working)' })
  @ApiInvitationIdParam()
  @ApiOkResponse({ type: UserViewDto })
  @ApiNotFoundResponse({ description: 'No such user' })
  @ApiConflictResponse({ description: 'The user is not a pending invitation (`not_invited`), or changed meanwhile' })
  async resend(
    @Param('id', ParseObjectIdPipe) id: string,
    @CurrentUser() caller: AuthenticatedUser,
    @Res({ passthrough: true }) res: Response,
  ): Promise<UserView> {
    const user = await this.invitations.resend(caller.id, toObjectId(id));
    res.setHeader('ETag', versionTag(user.version));
    return user;
  }

  @Delete('invitations/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Admin: revoke a pending invitation (the user becomes deleted; its links stop working)' })
  @ApiInvitationIdParam()
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiNotFoundResponse({ description: 'No such user' })
  @ApiConflictResponse({ description: 'The user is not a pending invitation (`not_invited`): accepted, revoked or never invited' })
  revoke(@Param('id', ParseObjectIdPipe) id: string, @CurrentUser() caller: AuthenticatedUser): Promise<void> {
    return this.invitations.revoke(caller.id, toObjectId(id));
  }
}
