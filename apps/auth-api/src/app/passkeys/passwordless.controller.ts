import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExtension,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { AbuseCeilingGuard } from '../account/abuse-ceiling.guard';
import { AuthErrorCode } from '../account/account-errors';
import { Client } from '../account/client-info.decorator';
import { TokenPairDto } from '../account/dto/token-pair.dto';
import { RetryAfterInterceptor } from '../account/retry-after.interceptor';
import { TOKEN_REFUSALS } from '../one-time-tokens/one-time-tokens.service';
import type { ClientInfo } from '../sessions/sessions.service';
import { PasskeyLoginDto, RequestOptionsDto } from './dto/passkeys.dto';
import { PasswordlessLogin } from './passwordless-login.service';

/** Passwordless sign-in with a passkey (discoverable credential): no email, no password. */
@ApiTags('auth')
@Controller('auth/passkeys')
@UseInterceptors(RetryAfterInterceptor)
@UseGuards(AbuseCeilingGuard)
export class PasswordlessController {
  constructor(private readonly passwordless: PasswordlessLogin) {}

  @Post('options')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Options for startAuthentication(): any passkey of this site, user verification required' })
  @ApiOkResponse({ type: RequestOptionsDto })
  @ApiTooManyRequestsResponse({ description: 'Abuse ceiling for this address (rate_limited); see Retry-After' })
  async options(): Promise<RequestOptionsDto> {
    return { options: { ...(await this.passwordless.options()) } };
  }

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Sign in with startAuthentication()'s result → token pair (amr hwk|swk, user, mfa)" })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiBadRequestResponse({ description: 'Malformed (validation_failed); challenge unknown, expired or used (token_*)' })
  @ApiUnauthorizedResponse({
    description: 'Unknown passkey, bad signature, no user verification, or an inactive account (passkey_invalid)',
  })
  @ApiForbiddenResponse({ description: 'The email is not verified yet (email_not_verified, with AUTH_REQUIRE_VERIFIED_EMAIL)' })
  @ApiTooManyRequestsResponse({ description: 'Abuse ceiling for this address (rate_limited); see Retry-After' })
  @ApiExtension('x-refusals', [
    ...TOKEN_REFUSALS,
    { status: 401, code: AuthErrorCode.PasskeyInvalid, when: 'the passkey is unknown or does not verify, or its account is not active' },
    { status: 403, code: AuthErrorCode.EmailNotVerified, when: 'AUTH_REQUIRE_VERIFIED_EMAIL and the address is not verified' },
  ])
  login(@Body() body: PasskeyLoginDto, @Client() client: ClientInfo): Promise<TokenPairDto> {
    return this.passwordless.signIn(body.response as AuthenticationResponseJSON, client);
  }
}
