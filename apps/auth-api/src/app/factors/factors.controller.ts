import { Body, Controller, Delete, Get, HttpCode, HttpStatus, NotFoundException, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtension,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  AuthGuardErrorCode,
  Authenticated,
  CurrentUser,
  RequireRecentAuthentication,
  RequireRecentFactor,
  type AuthenticatedUser,
} from '@directory/auth';
import type { Refusal } from '@directory/platform';
import { Types } from 'mongoose';
import { AuthErrorCode } from '../account/account-errors';
import { Clock } from '../clock';
import { ConfirmTotpDto, EnrolTotpDto, FactorListDto, RecoveryCodesDto, TotpEnrolmentDto } from './dto/factors.dto';
import { Factors, parseId, type FactorList, type TotpEnrolment } from './factors.service';

/** Adding a way to sign in: a fresh factor, or without one a fresh password sign-in (libs/auth RequireRecentAuthentication). */
export const RECENT_AUTHENTICATION: Refusal[] = [
  {
    status: 401,
    code: AuthGuardErrorCode.StepUpRequired,
    when: 'the account has a second factor and none was verified in the last 5 minutes (POST /auth/mfa/step-up)',
  },
  { status: 401, code: AuthGuardErrorCode.ReauthenticationRequired, when: 'a password-only session signed in more than 5 minutes ago' },
];

const STEP_UP: Refusal = {
  status: 401,
  code: AuthGuardErrorCode.StepUpRequired,
  when: 'the account has a second factor and none was verified in the last 5 minutes (POST /auth/mfa/step-up)',
};

const factorNotFound = () => new NotFoundException({ message: 'Factor not found', code: AuthErrorCode.NotFound });

/** The caller's own second factors: TOTP enrolment, recovery codes, list, removal. */
@ApiTags('auth-factors')
@ApiBearerAuth()
@Controller('auth/factors')
export class FactorsController {
  constructor(
    private readonly clock: Clock,
    private readonly factors: Factors,
  ) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: "The caller's second factors (never their seeds) and how many recovery codes are left" })
  @ApiOkResponse({ type: FactorListDto })
  list(@CurrentUser() caller: AuthenticatedUser): Promise<FactorList> {
    return this.factors.list(new Types.ObjectId(caller.id));
  }

  @Post('totp')
  @HttpCode(HttpStatus.CREATED)
  @Authenticated()
  @RequireRecentAuthentication()
  @ApiOperation({
    summary: 'Start a TOTP enrolment: a pending factor, its otpauth:// URI and QR code (shown once); confirm it with a first code',
  })
  @ApiCreatedResponse({ type: TotpEnrolmentDto })
  @ApiBadRequestResponse({ description: 'Body fails validation (name missing or longer than 64)' })
  @ApiConflictResponse({ description: 'The account has as many factors as allowed (code too_many_factors)' })
  @ApiExtension('x-refusals', [
    ...RECENT_AUTHENTICATION,
    { status: 409, code: AuthErrorCode.TooManyFactors, when: 'the account already has 10 factors' },
  ])
  enrolTotp(@CurrentUser() caller: AuthenticatedUser, @Body() body: EnrolTotpDto): Promise<TotpEnrolment> {
    return this.factors.enrolTotp(new Types.ObjectId(caller.id), body.name, this.clock.now());
  }

  @Post('totp/:id/confirm')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Authenticated()
  @ApiOperation({
    summary: "Activate a pending TOTP factor with the app's current code; a first factor ends the caller's other sessions",
  })
  @ApiNoContentResponse({ description: 'Active' })
  @ApiBadRequestResponse({ description: 'The code is wrong, outside ±1 step, or already used (code invalid_code), or not 6 digits' })
  @ApiNotFoundResponse({ description: 'The caller has no such factor' })
  @ApiConflictResponse({ description: 'Already active (code factor_already_active)' })
  @ApiExtension('x-refusals', [
    { status: 400, code: AuthErrorCode.InvalidCode, when: 'the code is wrong, more than one 30-second step away, or already used' },
    { status: 409, code: AuthErrorCode.FactorAlreadyActive, when: 'the factor was confirmed before' },
  ])
  async confirmTotp(@CurrentUser() caller: AuthenticatedUser, @Param('id') id: string, @Body() body: ConfirmTotpDto): Promise<void> {
    const factorId = parseId(id);
    if (!factorId) throw factorNotFound();
    await this.factors.confirmTotp(new Types.ObjectId(caller.id), factorId, body.code, this.clock.now(), caller.sessionId);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Authenticated()
  @RequireRecentFactor()
  @ApiOperation({
    summary: 'Remove one of the caller’s factors (step-up: a second factor within 5 minutes); the last one takes the recovery codes along',
  })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiExtension('x-refusals', [STEP_UP])
  @ApiNotFoundResponse({ description: 'The caller has no such factor' })
  async remove(@CurrentUser() caller: AuthenticatedUser, @Param('id') id: string): Promise<void> {
    const factorId = parseId(id);
    if (!factorId) throw factorNotFound();
    await this.factors.remove(new Types.ObjectId(caller.id), factorId, this.clock.now());
  }

  @Post('recovery-codes')
  @HttpCode(HttpStatus.CREATED)
  @Authenticated()
  @RequireRecentFactor()
  @ApiOperation({ summary: 'Ten new single-use recovery codes, shown once; the previous set stops working (step-up required)' })
  @ApiCreatedResponse({ type: RecoveryCodesDto })
  @ApiConflictResponse({ description: 'No active second factor yet (code factor_required)' })
  @ApiExtension('x-refusals', [
    STEP_UP,
    { status: 409, code: AuthErrorCode.FactorRequired, when: 'the account has no active second factor' },
  ])
  async recoveryCodes(@CurrentUser() caller: AuthenticatedUser): Promise<RecoveryCodesDto> {
    return { codes: await this.factors.generateRecoveryCodes(new Types.ObjectId(caller.id), this.clock.now()) };
  }
}
