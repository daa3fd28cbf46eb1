import { Body, Controller, Get, HttpCode, HttpStatus, NotFoundException, Post, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import type { Response } from 'express';
import {
  ApiExtraModels,
  getSchemaPath,
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Authenticated, CurrentUser, RequireRecentFactor, type AuthenticatedUser } from '@directory/auth';
import { toUserView, UsersRepository, UserViewDto, type UserView } from '@directory/data-access';
import { UserRole } from '@directory/schemas';
import { Types } from 'mongoose';
import { Clock } from '../clock';
import type { ClientInfo } from '../sessions/sessions.service';
import { AbuseCeilingGuard } from './abuse-ceiling.guard';
import { AccountSecurity } from './account-security.service';
import { AuthErrorCode } from './account-errors';
import { Client } from './client-info.decorator';
import { ChangePasswordDto } from './dto/change-password.dto';
import { LoginDto } from './dto/login.dto';
import { RefreshTokenDto } from './dto/refresh-token.dto';
import { RegisterDto } from './dto/register.dto';
import { RegistrationAcceptedDto } from './dto/registration-accepted.dto';
import { RegistrationResultDto } from './dto/registration-result.dto';
import { TokenPairDto } from './dto/token-pair.dto';
import { MfaChallengeDto } from '../mfa/dto/mfa.dto';
import { Login } from './login.service';
import { Registration } from './registration.service';
import { RetryAfterInterceptor } from './retry-after.interceptor';
import { SessionTokens } from './session-tokens.service';

@ApiTags('auth')
@Controller('auth')
@UseInterceptors(RetryAfterInterceptor)
@ApiBadRequestResponse({ description: 'Body fails validation (wrong types, unknown fields, operators)' })
export class AuthController {
  constructor(
    private readonly clock: Clock,
    private readonly registration: Registration,
    private readonly loginFlow: Login,
    private readonly tokens: SessionTokens,
    private readonly security: AccountSecurity,
    private readonly users: UsersRepository,
  ) {}

  @Post('register')
  @UseGuards(AbuseCeilingGuard)
  @ApiOperation({
    summary: 'Create an account (and sign in, unless login waits for a verified email)',
    description:
      'A verification link is mailed either way. With AUTH_REQUIRE_VERIFIED_EMAIL on (production default) the answer is 202 with one body ' +
      'whether or not the address already has an account (its owner is mailed a notice instead); otherwise 201 with the user and a token pair, and 409 for a taken address.',
  })
  @ApiCreatedResponse({ type: RegistrationResultDto, description: 'AUTH_REQUIRE_VERIFIED_EMAIL off: the account, signed in' })
  @ApiAcceptedResponse({
    type: RegistrationAcceptedDto,
    description: 'AUTH_REQUIRE_VERIFIED_EMAIL on: check your inbox (taken or new address alike)',
  })
  @ApiConflictResponse({ description: 'The email is already registered (only when AUTH_REQUIRE_VERIFIED_EMAIL is off)' })
  @ApiTooManyRequestsResponse({ description: 'Abuse ceiling of this address reached (code rate_limited); see Retry-After' })
  async register(
    @Body() body: RegisterDto,
    @Client() client: ClientInfo,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RegistrationResultDto | RegistrationAcceptedDto> {
    const result = await this.registration.register(body, client);
    if (!('user' in result)) response.status(HttpStatus.ACCEPTED);
    return result;
  }

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @UseGuards(AbuseCeilingGuard)
  @ApiOperation({ summary: 'Exchange email and password for a token pair' })
  @ApiExtraModels(TokenPairDto, MfaChallengeDto)
  @ApiOkResponse({
    description: 'A token pair, or, for an account with a second factor, a challenge for POST /auth/mfa/verify',
    schema: { oneOf: [{ $ref: getSchemaPath(TokenPairDto) }, { $ref: getSchemaPath(MfaChallengeDto) }] },
  })
  @ApiForbiddenResponse({ description: 'Right password, email not verified (email_not_verified; AUTH_REQUIRE_VERIFIED_EMAIL)' })
  @ApiUnauthorizedResponse({ description: 'Wrong email or password (one answer for both)' })
  @ApiTooManyRequestsResponse({
    description:
      'Too many failed attempts (for this email, this email from this address, or this address) or abuse ceiling; one answer, code rate_limited; see Retry-After',
  })
  login(@Body() body: LoginDto, @Client() client: ClientInfo): Promise<TokenPairDto | MfaChallengeDto> {
    return this.loginFlow.login(body, client);
  }

  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @UseGuards(AbuseCeilingGuard)
  @ApiOperation({ summary: 'Rotate a refresh token: new pair, the old token stops working; a replayed one ends its session' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({ description: 'Unknown, expired, revoked or already used refresh token' })
  refresh(@Body() body: RefreshTokenDto): Promise<TokenPairDto> {
    return this.tokens.refresh(body.refreshToken, this.clock.now());
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End the session of a refresh token' })
  @ApiNoContentResponse({ description: 'Session ended (also when it already was)' })
  logout(@Body() body: RefreshTokenDto): Promise<void> {
    return this.tokens.logout(body.refreshToken, this.clock.now());
  }

  @Post('logout-all')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Authenticated()
  @ApiOperation({ summary: 'End every session of the caller and revoke all access tokens issued so far' })
  @ApiNoContentResponse()
  logoutAll(@CurrentUser() caller: AuthenticatedUser): Promise<void> {
    return this.security.logoutEverywhere(caller);
  }

  @Get('me')
  @Authenticated()
  @ApiOperation({ summary: 'The signed-in user, exactly as GET /users/me shows it' })
  @ApiOkResponse({ type: UserViewDto })
  async me(@CurrentUser() caller: AuthenticatedUser): Promise<UserView> {
    const admin = caller.roles.includes(UserRole.Admin);
    const user = await this.users.findVisible(new Types.ObjectId(caller.id), admin);
    if (!user) throw new NotFoundException({ message: 'User not found', code: AuthErrorCode.NotFound });
    return toUserView(user, { admin });
  }

  @Post('password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Authenticated()
  @RequireRecentFactor()
  @ApiOperation({ summary: 'Change the password; other sessions end and all access tokens issued so far are revoked' })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ description: 'The current password is wrong' })
  @ApiTooManyRequestsResponse({ description: 'Account locked; see Retry-After' })
  changePassword(@CurrentUser() caller: AuthenticatedUser, @Body() body: ChangePasswordDto): Promise<void> {
    return this.security.changePassword(caller, body);
  }
}
