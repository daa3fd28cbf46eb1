import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtension,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Authenticated, CurrentUser, RequireRecentAuthentication, type AuthenticatedUser } from '@directory/auth';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { Types } from 'mongoose';
import { AuthErrorCode } from '../account/account-errors';
import { Clock } from '../clock';
import { RECENT_AUTHENTICATION } from '../factors/factors.controller';
import type { FactorListItem } from '../factors/factors.service';
import { TOKEN_REFUSALS } from '../one-time-tokens/one-time-tokens.service';
import { CreationOptionsDto, PasskeyDto, RegisterPasskeyDto } from './dto/passkeys.dto';
import { Passkeys } from './passkeys.service';

/** Registering a passkey as one of the caller's factors (listing and removal: /auth/factors). */
@ApiTags('auth-factors')
@ApiBearerAuth()
@Controller('auth/factors/passkeys')
export class PasskeysController {
  constructor(
    private readonly clock: Clock,
    private readonly passkeys: Passkeys,
  ) {}

  @Post('options')
  @HttpCode(HttpStatus.OK)
  @Authenticated()
  // A passkey signs in on its own: a stolen access token alone must not be able to add one.
  @RequireRecentAuthentication()
  @ApiExtension('x-refusals', RECENT_AUTHENTICATION)
  @ApiOperation({
    summary: 'Options for navigator.credentials.create() (startRegistration): a discoverable passkey with user verification',
  })
  @ApiOkResponse({ type: CreationOptionsDto })
  async options(@CurrentUser() caller: AuthenticatedUser): Promise<CreationOptionsDto> {
    return { options: { ...(await this.passkeys.registrationOptions(new Types.ObjectId(caller.id), this.clock.now())) } };
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @Authenticated()
  @ApiOperation({
    summary: "Register a passkey from startRegistration()'s result; a first factor ends the caller's other sessions",
  })
  @ApiCreatedResponse({ type: PasskeyDto })
  @ApiBadRequestResponse({
    description: 'Malformed (validation_failed); does not verify (passkey_invalid); challenge unknown, expired, used (token_*)',
  })
  @ApiConflictResponse({ description: 'The credential is registered already (passkey_exists), or too many factors (too_many_factors)' })
  @ApiExtension('x-refusals', [
    ...TOKEN_REFUSALS,
    {
      status: 400,
      code: AuthErrorCode.PasskeyInvalid,
      when: 'the response does not verify: signature, origin, RP ID, no user verification, another challenge',
    },
    { status: 409, code: AuthErrorCode.PasskeyExists, when: 'this authenticator credential is registered already' },
    { status: 409, code: AuthErrorCode.TooManyFactors, when: 'the account already has 10 factors' },
  ])
  register(@CurrentUser() caller: AuthenticatedUser, @Body() body: RegisterPasskeyDto): Promise<FactorListItem> {
    return this.passkeys.register(
      new Types.ObjectId(caller.id),
      body.name,
      body.response as RegistrationResponseJSON,
      this.clock.now(),
      caller.sessionId,
    );
  }
}
