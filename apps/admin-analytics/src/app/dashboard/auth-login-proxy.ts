import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { AuthGuardErrorCode } from '@directory/auth';
import { SERVICE_CONFIG } from '@directory/platform';
import type { AdminAnalyticsConfig } from '../../config';
import { AnalyticsErrorCode } from '../analytics-error-codes';
import type { DashboardLoginDto, DashboardTokenDto } from './login.dto';
import { DASHBOARD_SECOND_FACTORS, type DashboardMfaChallengeDto, type DashboardMfaDto } from './second-factor.dto';

export interface ProxiedFailure {
  status: number;
  body: Record<string, unknown>;
  retryAfter?: string;
}

/** The account's only factor is a passkey: the page would have nothing to ask for. */
const PASSKEY_ONLY: ProxiedFailure = {
  status: 403,
  body: {
    message:
      'This account signs in with a passkey, which the dashboard does not support yet: add an authenticator app or recovery codes ' +
      'to your account, or use the analytics API with a token from POST /auth/login and POST /auth/mfa/verify',
    code: AuthGuardErrorCode.MfaRequired,
  },
};

/**
 * Forwards the dashboard's sign-in to auth-api: the password (POST /auth/login) and, for an
 * account with a second factor, the code (POST /auth/mfa/verify). The page then talks to one
 * origin only, so auth-api needs no CORS for it. Only the access token reaches the page: it
 * lives in memory there, and without a refresh token a stolen page state dies with the access token.
 *
 * `clientAddress` (the admin's `req.ip`) goes to auth-api in `X-Forwarded-For`, so its failure
 * limits and lockout count each admin's address, not this forwarder's; auth-api believes the
 * header only when this service's address is in its TRUST_PROXY.
 */
@Injectable()
export class AuthLoginProxy {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: AdminAnalyticsConfig) {}

  /**
   * The token; auth-api's login challenge for an account with a second factor (403 mfa_required when
   * its only factor is a passkey); or auth-api's own 4xx answer (401 wrong credentials, 429 with Retry-After, 400) to pass through.
   */
  async login(
    credentials: DashboardLoginDto,
    clientAddress?: string,
  ): Promise<DashboardTokenDto | DashboardMfaChallengeDto | ProxiedFailure> {
    const answer = await this.post('/auth/login', { email: credentials.email, password: credentials.password }, clientAddress);
    if ('failure' in answer) return answer.failure;
    const body = answer.body;
    if (body['mfaRequired'] === true) {
      const methods = Array.isArray(body['methods']) ? body['methods'].map(String) : [];
      if (!methods.some((method) => (DASHBOARD_SECOND_FACTORS as readonly string[]).includes(method))) return PASSKEY_ONLY;
      return { mfaRequired: true, challenge: String(body['challenge']), methods, expiresIn: Number(body['expiresIn'] ?? 0) };
    }
    return token(body);
  }

  /**
   * The second step: the token, or auth-api's 4xx to pass through (400 token_* for a challenge that is unknown,
   * expired or used; 401 invalid_second_factor; 429 with Retry-After; 400 validation_failed).
   */
  async verify(step: DashboardMfaDto, clientAddress?: string): Promise<DashboardTokenDto | ProxiedFailure> {
    const body = { challenge: step.challenge, totp: step.totp, recoveryCode: step.recoveryCode };
    const answer = await this.post('/auth/mfa/verify', body, clientAddress);
    return 'failure' in answer ? answer.failure : token(answer.body);
  }

  /** auth-api's 2xx body, or its 4xx to pass through; unreachable, 5xx or a 2xx without what we asked for → 503. */
  private async post(
    path: string,
    payload: object,
    clientAddress?: string,
  ): Promise<{ body: Record<string, unknown> } | { failure: ProxiedFailure }> {
    let response: Response;
    try {
      response = await fetch(`${this.config.AUTH_PUBLIC_URL}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(clientAddress ? { 'x-forwarded-for': clientAddress } : {}),
        },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      throw new ServiceUnavailableException({
        message: 'The sign-in service (auth-api) is unreachable; try again shortly',
        code: AnalyticsErrorCode.AuthUnavailable,
      });
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.ok && (typeof body['accessToken'] === 'string' || body['mfaRequired'] === true)) return { body };
    if (response.status >= 400 && response.status < 500) {
      const retryAfter = response.headers.get('retry-after') ?? undefined;
      return {
        failure: { status: response.status, body: { message: body['message'] ?? 'Sign-in failed', code: body['code'] }, retryAfter },
      };
    }
    throw unavailable();
  }
}

function token(body: Record<string, unknown>): DashboardTokenDto {
  if (typeof body['accessToken'] !== 'string') throw unavailable();
  return { accessToken: body['accessToken'], expiresIn: Number(body['expiresIn'] ?? 0) };
}

function unavailable(): ServiceUnavailableException {
  return new ServiceUnavailableException({
    message: 'The sign-in service (auth-api) failed; try again shortly',
    code: AnalyticsErrorCode.AuthUnavailable,
  });
}
