import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { SERVICE_CONFIG } from '@directory/platform';
import type { AdminAnalyticsConfig } from '../../config';
import { AnalyticsErrorCode } from '../analytics-error-codes';
import type { DashboardLoginDto, DashboardTokenDto } from './login.dto';

export interface ProxiedFailure {
  status: number;
  body: Record<string, unknown>;
  retryAfter?: string;
}

/**
 * Forwards the dashboard's sign-in to auth-api. The page then talks to one origin only, so
 * auth-api needs no CORS for it. Only the access token reaches the page: it lives in memory
 * there, and without a refresh token a stolen page state dies with the access token.
 */
@Injectable()
export class AuthLoginProxy {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: AdminAnalyticsConfig) {}

  /**
   * The token, or auth-api's own 4xx answer (401 wrong credentials, 429 with Retry-After, 400) to pass through.
   * `clientAddress` (the admin's `req.ip`) goes to auth-api in `X-Forwarded-For`, so its failure limits
   * count each admin's address, not this forwarder's; auth-api believes the header only when this
   * service's address is in its TRUST_PROXY.
   */
  async login(credentials: DashboardLoginDto, clientAddress?: string): Promise<DashboardTokenDto | ProxiedFailure> {
    let response: Response;
    try {
      response = await fetch(`${this.config.AUTH_PUBLIC_URL}/auth/login`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(clientAddress ? { 'x-forwarded-for': clientAddress } : {}),
        },
        body: JSON.stringify({ email: credentials.email, password: credentials.password }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      throw new ServiceUnavailableException({
        message: 'The sign-in service (auth-api) is unreachable; try again shortly',
        code: AnalyticsErrorCode.AuthUnavailable,
      });
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.ok && typeof body['accessToken'] === 'string') {
      return { accessToken: body['accessToken'], expiresIn: Number(body['expiresIn'] ?? 0) };
    }
    if (response.status >= 400 && response.status < 500) {
      const retryAfter = response.headers.get('retry-after') ?? undefined;
      return { status: response.status, body: { message: body['message'] ?? 'Sign-in failed', code: body['code'] }, retryAfter };
    }
    throw new ServiceUnavailableException({
      message: 'The sign-in service (auth-api) failed; try again shortly',
      code: AnalyticsErrorCode.AuthUnavailable,
    });
  }
}
