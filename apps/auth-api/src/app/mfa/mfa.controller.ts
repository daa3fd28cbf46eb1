import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExtension,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Authenticated, CurrentUser, type AuthenticatedUser } from '@directory/auth';
import { AbuseCeilingGuard } from '../account/abuse-ceiling.guard';
import { Client } from '../account/client-info.decorator';
import { TokenPairDto } from '../account/dto/token-pair.dto';
import { RetryAfterInterceptor } from '../account/retry-after.interceptor';
import type { ClientInfo } from '../sessions/sessions.service';
import { RequestOptionsDto } from '../passkeys/dto/passkeys.dto';
import { MfaVerifyDto, SecondFactorDto, StepUpResultDto } from './dto/mfa.dto';
import { SecondFactor } from './second-factor.service';
import { TOKEN_REFUSALS } from '../one-time-tokens/one-time-tokens.service';
import { PlatformErrorCode, type Refusal } from '@directory/platform';
import { AuthErrorCode } from '../account/account-errors';

/** The fields are optional in the schema; exactly one must be sent. */
const ONE_FACTOR: Refusal = {
  status: 400,
  code: PlatformErrorCode.ValidationFailed,
  when: 'not exactly one of totp, recoveryCode and webauthn',
};

const WRONG_FACTOR: Refusal = {
  status: 401,
  code: AuthErrorCode.InvalidSecondFactor,
  when: 'the code is wrong or used, or the passkey is not one of the account’s or does not verify',
};

/** The second step of a login with a second factor, and step-up inside a session. */
@ApiTags('auth')
@Controller('auth/mfa')
@UseInterceptors(RetryAfterInterceptor)
export class MfaController {
  constructor(private readonly secondFactor: SecondFactor) {}

  @Post('verify')
  @HttpCode(HttpStatus.OK)
  @UseGuards(AbuseCeilingGuard)
  @ApiOperation({
    summary: 'Finish a login that answered mfaRequired: the challenge and a TOTP code, a recovery code or a passkey assertion → token pair',
  })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiBadRequestResponse({
    description: 'Not exactly one of totp/recoveryCode/webauthn (validation_failed); challenge unknown, expired, used or stale (token_*)',
  })
  @ApiUnauthorizedResponse({
    description: 'Wrong code or a passkey that does not verify (invalid_second_factor); counts towards the lockout like a wrong password',
  })
  @ApiTooManyRequestsResponse({ description: 'Too many failures for this account or address (rate_limited); see Retry-After' })
  @ApiExtension('x-refusals', [...TOKEN_REFUSALS, ONE_FACTOR, WRONG_FACTOR])
  verify(@Body() body: MfaVerifyDto, @Client() client: ClientInfo): Promise<TokenPairDto> {
    return this.secondFactor.verify(body, client);
  }

  @Post('step-up')
  @HttpCode(HttpStatus.OK)
  @Authenticated()
  @ApiOperation({
    summary: 'Confirm a second factor within the session: a fresh access token for routes that answer step_up_required',
  })
  @ApiOkResponse({ type: StepUpResultDto })
  @ApiBadRequestResponse({
    description:
      'Not exactly one of totp/recoveryCode/webauthn (validation_failed); a passkey step-up challenge unknown, expired or used (token_*)',
  })
  @ApiTooManyRequestsResponse({ description: 'Too many failures (rate_limited); see Retry-After' })
  @ApiExtension('x-refusals', [ONE_FACTOR, WRONG_FACTOR, ...TOKEN_REFUSALS])
  stepUp(@CurrentUser() caller: AuthenticatedUser, @Body() body: SecondFactorDto, @Client() client: ClientInfo): Promise<StepUpResultDto> {
    return this.secondFactor.stepUp(caller, body, client);
  }

  @Post('step-up/options')
  @HttpCode(HttpStatus.OK)
  @Authenticated()
  @ApiOperation({ summary: 'Options for a passkey step-up (startAuthentication): a single-use challenge for the caller, valid 5 minutes' })
  @ApiOkResponse({ type: RequestOptionsDto })
  async stepUpOptions(@CurrentUser() caller: AuthenticatedUser): Promise<RequestOptionsDto> {
    return { options: { ...(await this.secondFactor.stepUpOptions(caller)) } };
  }
}
