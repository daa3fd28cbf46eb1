import { Body, Controller, Get, HttpCode, HttpException, NotFoundException, Param, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExcludeEndpoint,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Public } from '@directory/auth';
import { PlatformErrorCode } from '@directory/platform';
import type { Response } from 'express';
import { AuthLoginProxy } from './auth-login-proxy';
import { DashboardAssets } from './dashboard-assets';
import { DashboardLoginDto, DashboardTokenDto } from './login.dto';

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
      .send(this.assets.page({ loginUrl: '/dashboard/api/login', apiBase: '/analytics' }));
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
  @ApiOperation({ summary: "Sign in through auth-api's POST /auth/login; answers the access token only" })
  @ApiOkResponse({ type: DashboardTokenDto })
  @ApiUnauthorizedResponse({ description: "auth-api's answer to wrong credentials" })
  @ApiBadRequestResponse({ description: 'Body fails validation, here or at auth-api (code validation_failed)' })
  @ApiTooManyRequestsResponse({ description: "auth-api's throttling or lockout, passed on with its Retry-After" })
  @ApiServiceUnavailableResponse({ description: 'auth-api is unreachable or failed (code auth_unavailable)' })
  async login(@Body() credentials: DashboardLoginDto, @Res({ passthrough: true }) res: Response): Promise<DashboardTokenDto> {
    const result = await this.loginProxy.login(credentials, res.req.ip);
    res.set('Cache-Control', 'no-store');
    if ('accessToken' in result) return result;
    if (result.retryAfter) res.set('Retry-After', result.retryAfter);
    throw new HttpException(result.body, result.status);
  }
}
