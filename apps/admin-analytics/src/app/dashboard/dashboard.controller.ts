import { Body, Controller, Get, HttpCode, HttpException, NotFoundException, Param, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExcludeEndpoint,
  ApiExtension,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { Public } from '@directory/auth';
import { PlatformErrorCode, type Refusal } from '@directory/platform';
import type { Response } from 'express';
import { AuthLoginProxy, type ProxiedFailure } from './auth-login-proxy';
import { DashboardAssets } from './dashboard-assets';
import { DashboardLoginDto, DashboardTokenDto } from './login.dto';
import { DashboardMfaChallengeDto, DashboardMfaDto } from './second-factor.dto';

/**
 * auth-api's refusals of a schema-valid second step, passed on as they are (its AuthErrorCode
 * values; this app cannot import them): the challenge, then the code.
 */
const SECOND_STEP_REFUSALS: Refusal[] = [
  { status: 400, code: 'token_invalid', when: 'the challenge is not one auth-api issued (altered, truncated, made up)' },
  { status: 400, code: 'token_wrong_purpose', when: 'the token is not a login challenge' },
  { status: 400, code: 'token_expired', when: 'the challenge is past its lifetime (sign in with the password again)' },
  { status: 400, code: 'token_used', when: 'the challenge was already redeemed' },
  { status: 400, code: 'token_stale', when: 'the account changed since the password was checked' },
  { status: 400, code: PlatformErrorCode.ValidationFailed, when: 'not exactly one of totp and recoveryCode' },
  { status: 401, code: 'invalid_second_factor', when: 'the code is wrong or was used already' },
];

/** Scripts and styles from this origin only; no inline script (settings travel as JSON data). */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Chart.js sizes its canvases through inline style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/**
 * The admin dashboard: a static page, its assets, and a sign-in forwarded to auth-api. All
 * public — the page holds no data; every figure it draws comes from the admin-only API with
 * the token the admin signs in for.
 */
@ApiTags('dashboard')
@Public()
@Controller('dashboard')
export class DashboardController {
  constructor(
    private readonly assets: DashboardAssets,
    private readonly loginProxy: AuthLoginProxy,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The admin dashboard page (sign in as an admin; charts of every /analytics endpoint)' })
  @ApiProduces('text/html')
  page(@Res() res: Response): void {
    res
      .type('html')
      .set({ 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' })
      .send(this.assets.page({ loginUrl: '/dashboard/api/login', mfaUrl: '/dashboard/api/mfa', apiBase: '/analytics' }));
  }

  @Get('assets/:name')
  @ApiExcludeEndpoint()
  asset(@Param('name') name: string, @Res() res: Response): void {
    const asset = this.assets.asset(name);
    if (!asset) throw new NotFoundException({ message: 'No such dashboard asset', code: PlatformErrorCode.NotFound });
    res.type(asset.type).set({ 'Cache-Control': 'public, max-age=300', 'X-Content-Type-Options': 'nosniff' }).send(asset.body);
  }

  @Post('api/login')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Sign in through auth-api's POST /auth/login; answers the access token only, or for an account with a second factor " +
      "auth-api's challenge (then POST /dashboard/api/mfa)",
  })
  @ApiExtraModels(DashboardTokenDto, DashboardMfaChallengeDto)
  @ApiOkResponse({
    description: 'The access token, or `mfaRequired` with the challenge and the methods the account can use',
    schema: { oneOf: [{ $ref: getSchemaPath(DashboardTokenDto) }, { $ref: getSchemaPath(DashboardMfaChallengeDto) }] },
  })
  @ApiUnauthorizedResponse({ description: "auth-api's answer to wrong credentials" })
  @ApiBadRequestResponse({ description: 'Body fails validation, here or at auth-api (code validation_failed)' })
  @ApiTooManyRequestsResponse({ description: "auth-api's throttling or lockout, passed on with its Retry-After" })
  @ApiForbiddenResponse({
    description: "The account's only second factor is a passkey, which the dashboard cannot ask for yet (code mfa_required)",
  })
  @ApiServiceUnavailableResponse({ description: 'auth-api is unreachable or failed (code auth_unavailable)' })
  async login(
    @Body() credentials: DashboardLoginDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DashboardTokenDto | DashboardMfaChallengeDto> {
    return answer(await this.loginProxy.login(credentials, res.req.ip), res);
  }

  @Post('api/mfa')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "The second step of a sign-in that answered mfaRequired, through auth-api's POST /auth/mfa/verify: the challenge and a " +
      'TOTP code or a recovery code; answers the access token only',
  })
  @ApiOkResponse({ type: DashboardTokenDto })
  @ApiBadRequestResponse({
    description: 'Body fails validation (validation_failed); the challenge is unknown, expired, used or stale at auth-api (token_*)',
  })
  @ApiUnauthorizedResponse({ description: 'Wrong or used code (invalid_second_factor); counts towards the lockout like a wrong password' })
  @ApiTooManyRequestsResponse({ description: "auth-api's throttling or lockout, passed on with its Retry-After" })
  @ApiServiceUnavailableResponse({ description: 'auth-api is unreachable or failed (code auth_unavailable)' })
  @ApiExtension('x-refusals', SECOND_STEP_REFUSALS)
  async secondFactor(@Body() step: DashboardMfaDto, @Res({ passthrough: true }) res: Response): Promise<DashboardTokenDto> {
    return answer(await this.loginProxy.verify(step, res.req.ip), res);
  }
}

/** A sign-in answer is never cached; auth-api's refusals go out with their status, code and Retry-After. */
function answer<T extends object>(result: T | ProxiedFailure, res: Response): T {
  res.set('Cache-Control', 'no-store');
  if (!isFailure(result)) return result;
  if (result.retryAfter) res.set('Retry-After', result.retryAfter);
  throw new HttpException(result.body, result.status);
}

function isFailure(result: object): result is ProxiedFailure {
  return 'status' in result && 'body' in result;
}
