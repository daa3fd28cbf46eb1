import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { TooManyAttemptsException } from './account-errors';

/**
 * A high per-IP ceiling on register, login and refresh (AUTH_THROTTLE_LIMIT, 600/min by
 * default), against floods only: it counts every request, so it must stay far above what an
 * office behind one NAT address does legitimately. Failed logins have their own low limits
 * in the failure ledger (LoginLedger). In memory, per replica: a ceiling, not a security
 * boundary. Its 429 is auth-api's one 429 (code `rate_limited`, `Retry-After` set by the guard).
 */
@Injectable()
export class AbuseCeilingGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new TooManyAttemptsException(Math.max(1, detail.timeToBlockExpire));
  }
}
