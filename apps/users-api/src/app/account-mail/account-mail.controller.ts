import { Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '@directory/auth';
import { UserRole } from '@directory/schemas';
import { ApiUserIdParam } from '../common/dto/api-params';
import { ParseObjectIdPipe, toObjectId } from '../common/object-id.pipe';
import { UsersRoutes } from '../common/users-routes.decorator';
import { AccountMailService } from './account-mail.service';
import { MailByStatusQuery, MailLimitQuery, MailListDto } from './dto/mail-message.dto';

@UsersRoutes(UserRole.Admin)
export class AccountMailController {
  constructor(private readonly mail: AccountMailService) {}

  @Get('mail')
  @ApiOperation({
    summary: 'Admin: outbox messages in one delivery status (default failed), newest first',
    description: 'Template, recipient, status, attempts, the last error and when it was sent; never the message parameters or any link.',
  })
  @ApiOkResponse({ type: MailListDto })
  async byStatus(@Query() query: MailByStatusQuery): Promise<MailListDto> {
    return { items: await this.mail.withStatus(query.status, query.limit) };
  }

  @Get(':id/mail')
  @ApiOperation({ summary: "Admin: the user's outbox messages, newest first (what was sent, failed or voided, and why)" })
  @ApiUserIdParam()
  @ApiOkResponse({ type: MailListDto })
  @ApiNotFoundResponse({ description: 'No such user' })
  async forUser(@Param('id', ParseObjectIdPipe) id: string, @Query() query: MailLimitQuery): Promise<MailListDto> {
    return { items: await this.mail.forUser(toObjectId(id), query.limit) };
  }

  @Post(':id/password-reset')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Admin: mail the user a password-reset link',
    description:
      'The link is minted by auth-api when the message is sent (POST /auth/password/reset completes it). The admin never sees or sets a password. Active users only.',
  })
  @ApiUserIdParam()
  @ApiAcceptedResponse({ description: 'The reset mail is queued (GET /users/:id/mail shows its delivery)' })
  @ApiNotFoundResponse({ description: 'No such user' })
  @ApiConflictResponse({ description: 'The user is not active (`not_active`): invited, suspended or deleted' })
  async passwordReset(@Param('id', ParseObjectIdPipe) id: string, @CurrentUser() caller: AuthenticatedUser): Promise<void> {
    await this.mail.requestPasswordReset(caller.id, toObjectId(id));
  }
}
