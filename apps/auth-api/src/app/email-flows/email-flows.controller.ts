import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards, UseInterceptors } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiExtension,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { Authenticated, CurrentUser, type AuthenticatedUser } from '@directory/auth';
import { UserViewDto, type UserView } from '@directory/data-access';
import type { Refusal } from '@directory/platform';
import { TOKEN_REFUSALS } from '../one-time-tokens/one-time-tokens.service';
import { AuthErrorCode } from '../account/account-errors';
import { AbuseCeilingGuard } from '../account/abuse-ceiling.guard';
import { RetryAfterInterceptor } from '../account/retry-after.interceptor';
import { AcceptedDto, AcceptInvitationDto, ForgotPasswordDto, ResetPasswordDto, TokenDto } from './dto/email-flow.dto';
import { EmailChange } from './email-change.service';
import { EmailVerification } from './email-verification.service';
import { InvitationAcceptance } from './invitation-acceptance.service';
import { FORGOT_PASSWORD_ANSWER, PasswordReset } from './password-reset.service';

const WEAK_PASSWORD: Refusal = {
  status: 400,
  code: AuthErrorCode.WeakPassword,
  when: 'the password fails the policy (too common, the email, ...)',
};

const TOKEN_REFUSED =
  'Body fails validation (validation_failed, weak_password), or the link is refused: token_invalid (unknown or altered), ' +
  'token_wrong_purpose, token_expired, token_used, token_stale (the account changed since it was sent). Nothing changes.';

/** The account-by-email flows: the links mail carries land here (through the /account pages). */
@ApiTags('auth')
@Controller('auth')
@UseInterceptors(RetryAfterInterceptor)
export class EmailFlowsController {
  constructor(
    private readonly verification: EmailVerification,
    private readonly passwordReset: PasswordReset,
    private readonly invitations: InvitationAcceptance,
    private readonly emailChange: EmailChange,
  ) {}

  @Post('email/verify')
  @HttpCode(HttpStatus.NO_CONTENT)
  @UseGuards(AbuseCeilingGuard)
  @ApiOperation({ summary: 'Verify the account email with the token from the verification mail' })
  @ApiNoContentResponse({ description: 'The address is verified' })
  @ApiBadRequestResponse({ description: TOKEN_REFUSED })
  @ApiExtension('x-refusals', TOKEN_REFUSALS)
  verify(@Body() body: TokenDto): Promise<void> {
    return this.verification.verify(body.token);
  }

  @Post('email/verify/resend')
  @HttpCode(HttpStatus.ACCEPTED)
  @Authenticated()
  @ApiOperation({ summary: 'Send the verification mail again (AUTH_MAILS_PER_HOUR per address and hour)' })
  @ApiAcceptedResponse({ description: 'A new link is on its way; older ones keep working until they expire' })
  @ApiConflictResponse({ description: 'Already verified (email_already_verified)' })
  @ApiNotFoundResponse({ description: 'The account no longer exists or is not active' })
  @ApiTooManyRequestsResponse({ description: 'Hourly limit reached (rate_limited); see Retry-After' })
  resend(@CurrentUser() caller: AuthenticatedUser): Promise<void> {
    return this.verification.resend(caller.id);
  }

  @Post('password/forgot')
  @HttpCode(HttpStatus.ACCEPTED)
  @UseGuards(AbuseCeilingGuard)
  @ApiOperation({
    summary: 'Mail a password-reset link',
    description:
      'Always 202 with the same body, whether or not an account uses the address, and the same work either way; at most AUTH_MAILS_PER_HOUR mails per address and hour.',
  })
  @ApiAcceptedResponse({ type: AcceptedDto })
  @ApiBadRequestResponse({ description: 'Not an email address (validation_failed)' })
  async forgot(@Body() body: ForgotPasswordDto): Promise<AcceptedDto> {
    await this.passwordReset.forgot(body.email);
    return { ...FORGOT_PASSWORD_ANSWER };
  }

  @Post('password/reset')
  @HttpCode(HttpStatus.NO_CONTENT)
  @UseGuards(AbuseCeilingGuard)
  @ApiOperation({
    summary: 'Choose a new password with the token from the reset mail',
    description: 'Every session ends, every access token is revoked, the lockout is cleared, and a notice is mailed.',
  })
  @ApiNoContentResponse({ description: 'The password is changed' })
  @ApiBadRequestResponse({ description: TOKEN_REFUSED })
  @ApiExtension('x-refusals', [...TOKEN_REFUSALS, WEAK_PASSWORD])
  reset(@Body() body: ResetPasswordDto): Promise<void> {
    return this.passwordReset.reset(body.token, body.newPassword);
  }

  @Post('invitations/accept')
  @HttpCode(HttpStatus.OK)
  @UseGuards(AbuseCeilingGuard)
  @ApiOperation({ summary: 'Accept an invitation: choose a password; the account becomes active and its email verified' })
  @ApiOkResponse({ type: UserViewDto })
  @ApiBadRequestResponse({ description: TOKEN_REFUSED })
  @ApiExtension('x-refusals', [...TOKEN_REFUSALS, WEAK_PASSWORD])
  accept(@Body() body: AcceptInvitationDto): Promise<UserView> {
    return this.invitations.accept(body.token, body.password);
  }

  @Post('email/confirm-change')
  @HttpCode(HttpStatus.NO_CONTENT)
  @UseGuards(AbuseCeilingGuard)
  @ApiOperation({ summary: 'Confirm a new email address with the token mailed to it; every session ends' })
  @ApiNoContentResponse({ description: 'The email is changed (and verified)' })
  @ApiBadRequestResponse({ description: TOKEN_REFUSED })
  @ApiConflictResponse({ description: 'Another account took the address meanwhile (email_taken); the link stays unused' })
  @ApiExtension('x-refusals', TOKEN_REFUSALS)
  confirmChange(@Body() body: TokenDto): Promise<void> {
    return this.emailChange.confirm(body.token);
  }
}
